package crew.agent.api;

import java.io.IOException;

/** No agent answers at the address, or the caller may not reach it ({@link #notRunning()} tells which). */
public class AgentUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean notRunning;

    public AgentUnavailableException(String message, boolean notRunning, Throwable cause) {
        super(message, cause);
        this.notRunning = notRunning;
    }

    /** True when nothing listens (no socket, or a stale one); false when one runs but refused this caller. */
    public boolean notRunning() {
        return notRunning;
    }

    /** What a user does to get an agent, for messages. */
    public static final String HOW_TO_START = "start one with 'sudo crew agent' (foreground) or install it as a service with"
            + " 'sudo crew agent install' (systemd), and join group crew to control it: 'sudo usermod -aG crew $USER'";
}
