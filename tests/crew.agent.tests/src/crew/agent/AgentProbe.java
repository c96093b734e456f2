package crew.agent;

import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentUnavailableException;
import crew.agent.api.UnixSocketTransport;

/**
 * A client process the tests run as another user (runuser): connects to SOCKET, prints the handshake, then for
 * each METHOD PARAMS pair (PARAMS: JSON, or @FILE of the user's own) prints "OK json" or "ERROR code message".
 */
public final class AgentProbe {

    private AgentProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (AgentClient c = AgentClient.connect(new UnixSocketTransport(Path.of(args[0])), "probe")) {
            System.out.println("HELLO " + c.hello());
            for (int i = 1; i + 1 < args.length; i += 2) {
                String p = args[i + 1].startsWith("@") ? Files.readString(Path.of(args[i + 1].substring(1))) : args[i + 1];
                try {
                    System.out.println("OK " + c.call(args[i], JsonParser.parseString(p).getAsJsonObject()));
                } catch (AgentException e) {
                    JsonObject o = new JsonObject();
                    o.addProperty("code", e.code());
                    o.addProperty("message", e.getMessage());
                    o.addProperty("rule", e.rule());
                    System.out.println("ERROR " + o);
                }
            }
        } catch (AgentUnavailableException e) {
            System.out.println("UNAVAILABLE " + e.getMessage());
        }
    }
}
