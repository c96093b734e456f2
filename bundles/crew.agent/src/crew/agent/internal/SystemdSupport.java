package crew.agent.internal;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/** systemd's side of the agent: the socket it passes (socket activation) and the readiness notification. */
public final class SystemdSupport {

    private SystemdSupport() {
    }

    /**
     * The listening socket systemd passed as fd 3 (LISTEN_FDS=1 for this pid), moved to fd 0 where the JDK's
     * {@link System#inheritedChannel()} finds it. Empty when the agent was not socket-activated.
     */
    public static Optional<ServerSocketChannel> activatedSocket() throws IOException {
        String fds = System.getenv("LISTEN_FDS");
        String pid = System.getenv("LISTEN_PID");
        if (fds == null || pid == null || !pid.equals(String.valueOf(ProcessHandle.current().pid()))) {
            return Optional.empty();
        }
        if (!fds.equals("1")) {
            throw new IOException("systemd passed " + fds + " sockets; the agent listens on exactly one (crew-agent.socket)");
        }
        Posix.dup2(3, 0);
        return System.inheritedChannel() instanceof ServerSocketChannel s ? Optional.of(s) : Optional.empty();
    }

    /** sd_notify(READY=1 and a status line); false when not run by systemd (no NOTIFY_SOCKET) or libsystemd is missing. */
    public static boolean notifyReady(String status) {
        if (System.getenv("NOTIFY_SOCKET") == null) {
            return false;
        }
        try {
            Function f = NativeLibrary.getInstance("systemd").getFunction("sd_notify");
            return f.invokeInt(new Object[] {0, "READY=1\nSTATUS=" + status.replace('\n', ' ')}) > 0;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }
}
