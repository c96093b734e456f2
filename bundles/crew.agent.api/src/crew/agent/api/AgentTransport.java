package crew.agent.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * How a client reaches the agent. Linux and macOS: a Unix socket ({@link UnixSocketTransport}); Windows would add a
 * named pipe with an ACL behind the same interface, so clients do not change.
 */
public interface AgentTransport {

    /** Opens a connection; {@link AgentUnavailableException} when no agent listens or the caller may not reach it. */
    Connection connect() throws IOException;

    /** Where the agent is expected, for messages. */
    String address();

    /** One bidirectional byte stream to the agent. */
    interface Connection extends Closeable {
        InputStream in();

        OutputStream out();
    }

    /** Where the agent listens when nothing else is said (the systemd socket unit's ListenStream). */
    String SYSTEM_SOCKET = "/run/crew/agent.sock";
    /** The system property that points clients (and the agent) at another socket; it wins over the environment. */
    String SOCKET_PROPERTY = "crew.agent.socket";
    /** The environment variable that points clients (and the agent) at another socket: an agent on a private socket. */
    String SOCKET_VARIABLE = "CREW_AGENT_SOCKET";

    /** The socket the agent listens on: crew.agent.socket property, else $CREW_AGENT_SOCKET, else /run/crew/agent.sock. */
    static Path defaultSocket() {
        return socketFrom(System.getProperty(SOCKET_PROPERTY), System.getenv(SOCKET_VARIABLE));
    }

    /**
     * The socket {@link #defaultSocket()} chooses from the property's and the variable's values (null: not set): the
     * first that is not blank, else {@link #SYSTEM_SOCKET}; a relative path is taken from the working directory.
     */
    static Path socketFrom(String property, String variable) {
        for (String p : new String[] {property, variable}) {
            if (p != null && !p.isBlank()) {
                return Path.of(p.strip()).toAbsolutePath().normalize();
            }
        }
        return Path.of(SYSTEM_SOCKET);
    }

    /** This platform's transport to the default address. */
    static AgentTransport system() {
        return new UnixSocketTransport(defaultSocket());
    }
}
