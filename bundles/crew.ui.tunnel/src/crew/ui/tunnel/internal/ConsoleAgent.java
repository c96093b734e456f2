package crew.ui.tunnel.internal;

import java.io.IOException;
import java.util.Optional;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentTransport;
import crew.agent.api.AgentUnavailableException;

/** The console's way to the privileged agent: a connection that may control it, or why not. */
final class ConsoleAgent {

    /** An agent runs but this user may not use it for this (its words say what to do). */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private ConsoleAgent() {
    }

    /** A controlling connection to the agent when one runs; empty when none runs. */
    static Optional<AgentClient> find() throws Unavailable {
        try {
            Optional<AgentClient> c = AgentClient.ifRunning(AgentTransport.system(), "workbench");
            if (c.isPresent() && !c.get().mayControl()) {
                String rule = c.get().hello().get("rule").getAsString();
                c.get().close();
                throw new Unavailable("The CREW agent runs, but it lets this user read status only: " + rule
                        + ". Join group crew: 'sudo usermod -aG crew $USER', then log in again.");
            }
            return c;
        } catch (AgentUnavailableException e) {
            throw new Unavailable(e.getMessage());
        } catch (IOException | AgentException e) {
            throw new Unavailable("The CREW agent at " + AgentTransport.system().address() + " did not answer: " + e.getMessage());
        }
    }
}
