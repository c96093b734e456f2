package crew.ui.tunnel.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentProtocol;
import crew.agent.api.AgentTransport;
import crew.agent.api.AgentUnavailableException;

/** The console's way to the privileged agent: a connection when one runs, what it lets this user do, or why not. */
final class ConsoleAgent {

    /** An agent runs but this user cannot reach it, or it did not answer (the words say what to do). */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private ConsoleAgent() {
    }

    /**
     * A connection to the agent when one runs (empty when none runs). A connection that may only read is returned
     * too: the agent itself refuses its control calls, naming the rule.
     */
    static Optional<AgentClient> find() throws Unavailable {
        try {
            return AgentClient.ifRunning(AgentTransport.system(), "workbench");
        } catch (AgentUnavailableException e) {
            throw new Unavailable(e.getMessage());
        } catch (IOException | AgentException e) {
            throw new Unavailable("The CREW agent at " + AgentTransport.system().address() + " did not answer: " + e.getMessage());
        }
    }

    /** What the console says when the agent refused a call for this user's role. */
    static String refused(AgentException e) {
        java.util.regex.Matcher group = java.util.regex.Pattern.compile("members of group '([A-Za-z0-9_.-]+)'").matcher(e.rule());
        if (!group.find()) {
            return "The CREW agent refused: " + e.getMessage() + ".";
        }
        return "The CREW agent refused: " + e.getMessage() + ". To control it, join its group: 'sudo usermod -aG " + group.group(1)
                + " $USER', then log in again.";
    }

    /** One line about the agent for the console: none (and how to start one), or who this user is to it and what it runs. */
    static String describe() {
        String where = AgentTransport.system().address();
        Optional<AgentClient> found;
        try {
            found = find();
        } catch (Unavailable e) {
            return "CREW agent: " + e.getMessage();
        }
        if (found.isEmpty()) {
            return AgentClient.callerIsRoot() ? "No CREW agent runs at " + where + ": this workbench runs as root, so tunnels and labs run in this"
                    + " process and end with it. " + NetworkPrivileges.HOW_TO_START
                    : "No CREW agent runs at " + where + ": tunnels and labs need it. " + NetworkPrivileges.HOW_TO_START;
        }
        try (AgentClient c = found.get()) {
            JsonObject hello = c.hello();
            JsonObject status = c.call(AgentProtocol.STATUS, new JsonObject()).getAsJsonObject();
            List<String> runs = new ArrayList<>();
            for (JsonElement e : status.getAsJsonArray("sessions")) {
                JsonObject s = e.getAsJsonObject();
                runs.add("session " + s.get("sessionId").getAsString() + " " + s.get("state").getAsString() + " (" + s.get("owner").getAsString() + ")");
            }
            for (JsonElement e : status.getAsJsonArray("labs")) {
                runs.add("lab " + e.getAsJsonObject().get("id").getAsString());
            }
            String who = hello.get("user").getAsString() + " (uid " + hello.get("uid").getAsString() + ")";
            String role = c.mayControl() ? who + " may control it: " + hello.get("rule").getAsString()
                    : who + " may read status and events only: " + hello.get("rule").getAsString();
            return "CREW agent (pid " + hello.get("agentPid").getAsString() + ", " + where + "): " + role + ". It runs "
                    + (runs.isEmpty() ? "nothing." : String.join(", ", runs) + ".");
        } catch (IOException | AgentException | RuntimeException e) {
            return "The CREW agent at " + where + " did not answer: " + e.getMessage();
        }
    }
}
