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

    /** The socket the agent listens on: crew.agent.socket property, else $CREW_AGENT_SOCKET, else /run/crew/agent.sock. */
    static Path defaultSocket() {
        String p = System.getProperty("crew.agent.socket", System.getenv().getOrDefault("CREW_AGENT_SOCKET", ""));
        return Path.of(p.isEmpty() ? "/run/crew/agent.sock" : p);
    }

    /** This platform's transport to the default address. */
    static AgentTransport system() {
        return new UnixSocketTransport(defaultSocket());
    }
}
