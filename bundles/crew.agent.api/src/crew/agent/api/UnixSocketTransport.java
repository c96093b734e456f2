package crew.agent.api;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** The agent's Unix socket (Linux, macOS): the kernel's file permissions and peer credentials guard it. */
public final class UnixSocketTransport implements AgentTransport {
    private final Path socket;

    public UnixSocketTransport(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    @Override
    public String address() {
        return socket.toString();
    }

    @Override
    public Connection connect() throws IOException {
        if (!Files.exists(socket)) {
            throw new AgentUnavailableException("no CREW agent runs (no socket " + socket + ")", true, null);
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            String m = String.valueOf(e.getMessage());
            if (m.contains("ermission denied")) {
                throw new AgentUnavailableException("a CREW agent runs at " + socket + ", but this user may not connect to it (the socket is for root"
                        + " and group crew: 'sudo usermod -aG crew $USER', then log in again)", false, e);
            }
            throw new AgentUnavailableException("no CREW agent runs (" + socket + ": " + m + ")", true, e);
        }
        InputStream in = new BufferedInputStream(ChannelStreams.in(ch), 8192);
        OutputStream out = ChannelStreams.out(ch);
        return new Connection() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}
