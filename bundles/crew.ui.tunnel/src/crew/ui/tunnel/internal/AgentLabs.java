package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.gson.JsonObject;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentProtocol;
import crew.agent.api.AgentTransport;
import crew.agent.api.LabCopies;
import crew.tunnel.TunnelOptions;

/**
 * The labs this console started in the privileged agent: the design's content goes to the agent, the users'
 * profiles come back and are kept as this user's own copies, which the profile list offers. No UI here.
 */
final class AgentLabs {
    /** A lab in the agent: what lab.up answered. */
    record Lab(String id, String deviceNamespace, String endpoint, List<String> clients, List<Path> profiles) {
    }

    private final Map<String, Lab> labs = new ConcurrentHashMap<>();

    boolean has(String id) {
        return labs.containsKey(id);
    }

    List<String> ids() {
        return new ArrayList<>(labs.keySet());
    }

    Lab start(AgentClient client, Path design, String id) throws IOException, AgentException {
        JsonObject p = new JsonObject();
        p.addProperty("id", id);
        p.addProperty("designName", design.getFileName().toString());
        p.addProperty("design", Files.readString(design, StandardCharsets.UTF_8));
        JsonObject r = client.call(AgentProtocol.LAB_UP, p).getAsJsonObject();
        JsonObject profiles = r.getAsJsonObject("profiles");
        Lab lab = new Lab(id, r.get("deviceNamespace").getAsString(), r.get("endpoint").getAsString(), new ArrayList<>(profiles.keySet()),
                LabCopies.write(TunnelOptions.crewHome(), id, profiles));
        labs.put(id, lab);
        return lab;
    }

    /** The profile entries of these labs' users. */
    List<ProfileEntry> entries() {
        List<ProfileEntry> out = new ArrayList<>();
        for (Lab lab : labs.values()) {
            for (int i = 0; i < lab.clients().size(); i++) {
                out.add(new ProfileEntry("lab " + lab.id() + ": " + lab.clients().get(i) + " (device " + lab.deviceNamespace() + ", agent)",
                        lab.profiles().get(i), lab.deviceNamespace(), lab.id(), lab.clients().get(i)));
            }
        }
        return out;
    }

    /** Takes a lab down in the agent; returns its problems. */
    List<String> stop(String id) throws IOException, AgentException {
        labs.remove(id);
        try (AgentClient c = AgentClient.connect(AgentTransport.system(), "workbench")) {
            JsonObject p = new JsonObject();
            p.addProperty("id", id);
            List<String> problems = new ArrayList<>();
            c.call(AgentProtocol.LAB_DOWN, p).getAsJsonObject().getAsJsonArray("problems").forEach(x -> problems.add(x.getAsString()));
            return problems;
        }
    }
}
