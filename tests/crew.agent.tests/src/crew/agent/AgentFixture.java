package crew.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import crew.agent.api.AgentClient;
import crew.agent.api.ChannelStreams;
import crew.agent.api.Framing;
import crew.agent.api.UnixSocketTransport;
import crew.agent.internal.AgentMain;
import crew.tunnel.TunnelOptions;

/** A real agent in this JVM on a socket in a fresh folder, with its own CREW home; closed after the test. */
final class AgentFixture implements AutoCloseable {
    final Path dir;
    final Path socket;
    final Path home;
    final AgentRuntime runtime;
    /** The agent's log lines (also printed). */
    final java.util.List<String> log;
    private final String previousHome;

    private AgentFixture(Path dir, Path home, AgentRuntime runtime, java.util.List<String> log, String previousHome) {
        this.log = log;
        this.dir = dir;
        this.socket = dir.resolve("agent.sock");
        this.home = home;
        this.runtime = runtime;
        this.previousHome = previousHome;
    }

    static AgentFixture start(String mode, String group, AgentServer.Limits limits) throws IOException {
        Path dir = Files.createTempDirectory("crew-ag-sock");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createTempDirectory("crew-ag-home");
        String previous = System.getProperty("crew.home");
        System.setProperty("crew.home", home.toString());
        java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        AgentRuntime r = AgentRuntime.start(new AgentRuntime.Settings(dir.resolve("agent.sock"), mode, group, TunnelOptions.findOpenvpn(), limits),
                AgentMain.namespaceBackends(), null, line -> {
                    System.out.println("agent: " + line);
                    log.add(line);
                });
        return new AgentFixture(dir, home, r, log, previous);
    }

    static AgentFixture start() throws IOException {
        return start("rw-rw----", "agcrew", AgentServer.Limits.defaults());
    }

    AgentClient client() throws Exception {
        return AgentClient.connect(new UnixSocketTransport(socket), "test");
    }

    /** A connection that speaks raw bytes, for framing tests. */
    Raw raw() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new Raw(ch);
    }

    @Override
    public void close() throws IOException {
        runtime.close();
        if (previousHome == null) {
            System.clearProperty("crew.home");
        } else {
            System.setProperty("crew.home", previousHome);
        }
        deleteTree(dir);
        deleteTree(home);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Raw bytes to the agent and frames back. */
    static final class Raw implements AutoCloseable {
        final SocketChannel channel;
        final InputStream in;

        Raw(SocketChannel channel) {
            this.channel = channel;
            this.in = ChannelStreams.in(channel);
        }

        void send(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        void frame(String json) throws IOException {
            Framing.write(ChannelStreams.out(channel), json);
        }

        void hello() throws Exception {
            frame("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocol\":1}}");
            String r = next(Duration.ofSeconds(5));
            if (r == null || !r.contains("\"result\"")) {
                throw new AssertionError("no handshake: " + r);
            }
        }

        /** The next message, or null when the agent closed the connection; fails after {@code timeout}. */
        String next(Duration timeout) throws Exception {
            CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
                try {
                    return Framing.read(in);
                } catch (IOException e) {
                    return null;
                }
            });
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Reads until the agent closes the connection; returns what it said last. */
        String untilClosed(Duration timeout) throws Exception {
            long end = System.nanoTime() + timeout.toNanos();
            String last = null;
            while (System.nanoTime() < end) {
                String m = next(Duration.ofNanos(end - System.nanoTime()));
                if (m == null) {
                    return last == null ? "" : last;
                }
                last = m;
            }
            throw new AssertionError("the agent did not close the connection within " + timeout);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
