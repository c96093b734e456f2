package crew.agent.api;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A connection to the agent, used by the crew command, the workbench and the tests alike. Calls may come from any
 * thread; events are delivered on the connection's reader thread, in order (keep listeners short).
 */
public final class AgentClient implements AutoCloseable {
    private final AgentTransport.Connection connection;
    private final Map<Long, CompletableFuture<JsonElement>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonObject>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private volatile JsonObject hello;

    private AgentClient(AgentTransport.Connection connection) {
        this.connection = connection;
    }

    /** Connects and performs the version handshake; the agent's answer is {@link #hello()}. */
    public static AgentClient connect(AgentTransport transport, String clientName) throws IOException, AgentException {
        AgentClient c = new AgentClient(transport.connect());
        Thread reader = new Thread(c::readLoop, "crew-agent-client");
        reader.setDaemon(true);
        reader.start();
        try {
            JsonObject p = new JsonObject();
            p.addProperty("protocol", AgentProtocol.VERSION);
            p.addProperty("client", clientName);
            c.hello = c.call(AgentProtocol.INITIALIZE, p, Duration.ofSeconds(10)).getAsJsonObject();
            return c;
        } catch (IOException | AgentException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * The agent at the system address if one runs; empty when none does. A running agent that refuses this user is
     * an {@link AgentUnavailableException} (with {@code notRunning() == false}).
     */
    public static Optional<AgentClient> ifRunning(AgentTransport transport, String clientName) throws IOException, AgentException {
        try {
            return Optional.of(connect(transport, clientName));
        } catch (AgentUnavailableException e) {
            if (e.notRunning()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * For a command that changes the device: the agent if one runs; empty when none runs and the command may run in
     * this process ({@code inProcessAllowed}: the caller is root, or the command only reads); otherwise an
     * {@link AgentUnavailableException} saying how to start an agent.
     */
    public static Optional<AgentClient> forCommand(String command, boolean inProcessAllowed) throws IOException, AgentException {
        AgentTransport transport = AgentTransport.system();
        Optional<AgentClient> c = ifRunning(transport, command);
        if (c.isPresent() || inProcessAllowed) {
            return c;
        }
        throw new AgentUnavailableException(command + " changes the device: no CREW agent runs at " + transport.address()
                + " and this user is not root; " + AgentUnavailableException.HOW_TO_START, true, null);
    }

    /** Whether this process runs as root (uid 0), which may work without an agent. */
    public static boolean callerIsRoot() {
        try {
            return Integer.valueOf(0).equals(java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The agent's answer to the handshake: protocol, version, user, uid, role ("control" or "read"), rule. */
    public JsonObject hello() {
        return hello;
    }

    /** Whether this caller may change the device through the agent. */
    public boolean mayControl() {
        return hello != null && "control".equals(hello.get("role").getAsString());
    }

    public void addEventListener(Consumer<JsonObject> listener) {
        listeners.add(listener);
    }

    public void removeEventListener(Consumer<JsonObject> listener) {
        listeners.remove(listener);
    }

    /** Completes when the connection ends (the agent closed it, or {@link #close()}). */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** A call that waits up to 10 minutes (a connect or a lab takes seconds). */
    public JsonElement call(String method, JsonObject params) throws IOException, AgentException {
        return call(method, params, Duration.ofMinutes(10));
    }

    public JsonElement call(String method, JsonObject params, Duration timeout) throws IOException, AgentException {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonElement> f = new CompletableFuture<>();
        pending.put(id, f);
        JsonObject m = new JsonObject();
        m.addProperty("jsonrpc", "2.0");
        m.addProperty("id", id);
        m.addProperty("method", method);
        m.add("params", params == null ? new JsonObject() : params);
        try {
            synchronized (writeLock) {
                Framing.write(connection.out(), m.toString());
            }
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgentException a) {
                throw a;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the agent did not answer " + method + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the agent");
        } finally {
            pending.remove(id);
        }
    }

    /** Subscribes this connection to the agent's event stream (state changes, enforcement and audit events). */
    public void subscribe(Consumer<JsonObject> listener) throws IOException, AgentException {
        addEventListener(listener);
        call(AgentProtocol.SUBSCRIBE, new JsonObject(), Duration.ofSeconds(10));
    }

    private void readLoop() {
        IOException end = null;
        try {
            while (true) {
                String text = Framing.read(connection.in());
                if (text == null) {
                    break;
                }
                JsonObject m = JsonParser.parseString(text).getAsJsonObject();
                if (m.has("id") && !m.get("id").isJsonNull() && !m.has("method")) {
                    CompletableFuture<JsonElement> f = pending.get(m.get("id").getAsLong());
                    if (f == null) {
                        continue;
                    }
                    if (m.has("error")) {
                        JsonObject e = m.getAsJsonObject("error");
                        f.completeExceptionally(new AgentException(e.get("code").getAsInt(), e.get("message").getAsString(),
                                e.has("data") && e.get("data").isJsonObject() ? e.getAsJsonObject("data") : null));
                    } else {
                        f.complete(m.get("result"));
                    }
                } else if (m.has("method") && AgentProtocol.EVENT.equals(m.get("method").getAsString()) && m.has("params")) {
                    JsonObject event = m.getAsJsonObject("params");
                    for (Consumer<JsonObject> l : listeners) {
                        try {
                            l.accept(event);
                        } catch (RuntimeException e) {
                            // a listener must not end the connection
                        }
                    }
                }
            }
        } catch (IOException e) {
            end = e;
        } catch (RuntimeException e) {
            end = new IOException("the agent sent a message this client cannot read: " + e.getMessage(), e);
        }
        IOException cause = end != null ? end : new IOException("the agent closed the connection");
        pending.values().forEach(f -> f.completeExceptionally(cause));
        closed.complete(null);
        try {
            connection.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
