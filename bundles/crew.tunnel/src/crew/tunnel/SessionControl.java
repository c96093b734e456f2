package crew.tunnel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A running session's control socket ({@code $CREW_HOME/tunnel/SESSION/control.sock}, in the session's 0700 folder):
 * another process ({@code crew tunnel disconnect}, {@code crew lab down}) asks the session to end and gets its answer
 * once the table is restored. Signalling the session's process instead would end whatever else runs there (the
 * workbench, a lab's owner) and tells the asker nothing about the restore.
 *
 * <p>Protocol: one line {@code disconnect}; the answer is {@code ended}, then one {@code problem TEXT} line per restore
 * problem, then the connection closes.
 */
final class SessionControl implements AutoCloseable {
    static final String FILE = "control.sock";
    private static final String REQUEST = "disconnect";
    private static final String ENDED = "ended";
    private static final String PROBLEM = "problem ";

    private final Path socket;
    private final ServerSocketChannel server;

    private SessionControl(Path socket, ServerSocketChannel server) {
        this.socket = socket;
        this.server = server;
    }

    /** Listens on {@code socket}; each disconnect request runs {@code disconnect} and answers with its problems. */
    static SessionControl listen(Path socket, String sessionId, Supplier<List<String>> disconnect) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        SessionControl control = new SessionControl(socket, s);
        Thread t = new Thread(() -> control.serve(disconnect), "crew-tunnel-control-" + sessionId);
        t.setDaemon(true);
        t.start();
        return control;
    }

    Path socket() {
        return socket;
    }

    private void serve(Supplier<List<String>> disconnect) {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                String request = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8)).readLine();
                if (!REQUEST.equals(request)) {
                    write(c, "unknown request\n");
                    continue;
                }
                StringBuilder answer = new StringBuilder(ENDED).append('\n');
                for (String p : disconnect.get()) {
                    answer.append(PROBLEM).append(p.replace('\n', ' ')).append('\n');
                }
                write(c, answer.toString());
            } catch (IOException | RuntimeException e) {
                // closed (the session ended), or the asker went away: the next request is served anyway
            }
        }
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /**
     * Asks the session listening on {@code socket} to end and waits for it: returns the restore problems it reported
     * (empty: its table is restored). An IOException when nobody answers within {@code timeout}.
     */
    static List<String> requestDisconnect(Path socket, Duration timeout) throws IOException {
        SocketChannel c;
        try {
            c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new IOException("no session answers on " + socket + ": " + e.getMessage(), e);
        }
        // a Unix socket channel has no read timeout: read on another thread and close the channel when time is up
        CompletableFuture<List<String>> answer = CompletableFuture.supplyAsync(() -> {
            try {
                write(c, REQUEST + "\n");
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                if (!ENDED.equals(in.readLine())) {
                    throw new IllegalStateException("the session on " + socket + " did not confirm that it ended");
                }
                List<String> problems = new ArrayList<>();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    problems.add(line.startsWith(PROBLEM) ? line.substring(PROBLEM.length()) : line);
                }
                return problems;
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        try (c) {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the session on " + socket);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the session on " + socket + " did not end within " + timeout.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // best effort: a stale socket file is replaced by the next session
        }
    }
}
