package crew.tunnel.management;

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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * CREW's end of openvpn's management interface, on a Unix domain socket that CREW listens on and openvpn connects to
 * ({@code --management PATH unix --management-client}). Listening on our side makes the socket a dead-man switch:
 * when the CREW process ends for any reason, kill -9 included, the kernel closes the socket and openvpn, which treats
 * a lost management client as SIGTERM, exits and takes its TUN device (and every route through it) with it. A file
 * socket also crosses network namespaces, so openvpn can run inside the lab's device namespace.
 *
 * <p>Messages are delivered to the listener on the channel's reader thread, in order. Commands are answered in the
 * order they were sent (openvpn handles one at a time), so each {@link #command} gets its own SUCCESS/ERROR line.
 */
public final class ManagementChannel implements AutoCloseable {
    private final Path socketPath;
    private final ServerSocketChannel server;
    private final Deque<CompletableFuture<ManagementMessage.Response>> pending = new ArrayDeque<>();
    private volatile SocketChannel client;
    private Thread reader;
    private volatile boolean closed;

    private ManagementChannel(Path socketPath, ServerSocketChannel server) {
        this.socketPath = socketPath;
        this.server = server;
    }

    /** Listens on a new socket file (an existing stale file is replaced); the directory should be private (0700). */
    public static ManagementChannel listen(Path socketPath) throws IOException {
        Files.deleteIfExists(socketPath);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socketPath));
        return new ManagementChannel(socketPath, s);
    }

    public Path socketPath() {
        return socketPath;
    }

    /**
     * Waits for openvpn to connect, then starts reading. Returns false when {@code stillWaiting} says to give up
     * (openvpn exited) or the timeout passes.
     */
    public boolean accept(Duration timeout, java.util.function.BooleanSupplier stillWaiting, Consumer<ManagementMessage> listener,
            Consumer<Exception> onClosed) throws IOException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel c = null;
        while (c == null && System.nanoTime() < deadline && stillWaiting.getAsBoolean() && !closed) {
            c = server.accept();
            if (c == null) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        if (c == null) {
            return false;
        }
        c.configureBlocking(true);
        client = c;
        SocketChannel connected = c;
        reader = new Thread(() -> read(connected, listener, onClosed), "crew-openvpn-management");
        reader.setDaemon(true);
        reader.start();
        return true;
    }

    private void read(SocketChannel c, Consumer<ManagementMessage> listener, Consumer<Exception> onClosed) {
        ManagementReader parser = new ManagementReader();
        Exception failure = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Optional<ManagementMessage> m = parser.accept(line);
                if (m.isEmpty()) {
                    continue;
                }
                if (m.get() instanceof ManagementMessage.Response r) {
                    CompletableFuture<ManagementMessage.Response> f;
                    synchronized (pending) {
                        f = pending.pollFirst();
                    }
                    if (f != null) {
                        f.complete(r);
                        continue;
                    }
                }
                listener.accept(m.get());
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            synchronized (pending) {
                for (CompletableFuture<ManagementMessage.Response> f : pending) {
                    f.completeExceptionally(new IOException("the management connection to openvpn closed"));
                }
                pending.clear();
            }
            if (!closed) {
                onClosed.accept(failure);
            }
        }
    }

    /** Sends one command and waits for its SUCCESS/ERROR answer. */
    public ManagementMessage.Response command(String command, Duration timeout) throws IOException {
        CompletableFuture<ManagementMessage.Response> f = send(command);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for openvpn to answer '" + redact(command) + "'");
        } catch (ExecutionException e) {
            throw new IOException("openvpn did not answer '" + redact(command) + "': " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("openvpn did not answer '" + redact(command) + "' within " + timeout.toMillis() + " ms");
        }
    }

    /** Sends one command without waiting (safe from the reader thread); the future completes with its answer. */
    public CompletableFuture<ManagementMessage.Response> send(String command) throws IOException {
        SocketChannel c = client;
        if (c == null || closed) {
            throw new IOException("openvpn is not connected to the management socket " + socketPath);
        }
        CompletableFuture<ManagementMessage.Response> f = new CompletableFuture<>();
        synchronized (pending) {
            pending.addLast(f);
            ByteBuffer b = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                c.write(b);
            }
        }
        return f;
    }

    /** Commands carrying secrets are logged without them. */
    static String redact(String command) {
        return command.startsWith("password ") || command.startsWith("username ") ? command.substring(0, command.indexOf(' ')) + " ..." : command;
    }

    /** Closes both sockets; openvpn, as a management client, takes this as SIGTERM. */
    @Override
    public void close() {
        closed = true;
        try {
            SocketChannel c = client;
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // closing
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            // best effort
        }
        if (reader != null && reader != Thread.currentThread()) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
