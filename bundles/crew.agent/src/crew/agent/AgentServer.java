package crew.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.agent.api.AgentProtocol;
import crew.agent.api.ChannelStreams;
import crew.agent.api.Framing;
import crew.agent.api.FramingException;
import crew.agent.internal.Authorization;
import crew.agent.internal.Peer;

/**
 * The agent's listener: accepts Unix connections, takes each peer's credentials from the kernel, frames and parses
 * its messages within {@link Limits}, performs the version handshake, authorizes every call by the peer's role, and
 * hands the call to the {@link AgentHandler}. A peer that breaks the framing, sends more than the limit, holds half
 * a message past the deadline, or reads its events too slowly is disconnected; nothing it sent is acted on.
 */
public final class AgentServer implements AutoCloseable {

    /**
     * @param maxConnections   connections at once (more are closed at accept)
     * @param maxPerUser       connections of one uid at once
     * @param handshake        time to complete {@code initialize} after connecting
     * @param messageDeadline  time to finish a message once its first byte arrived
     * @param maxQueued        messages waiting for a slow reader before it is disconnected
     * @param maxInFlight      calls of one connection running at once
     */
    public record Limits(int maxConnections, int maxPerUser, Duration handshake, Duration messageDeadline, int maxQueued, int maxInFlight) {
        public static Limits defaults() {
            return new Limits(512, 128, Duration.ofSeconds(10), Duration.ofSeconds(10), 4096, 16);
        }

        public Limits withDeadlines(Duration newHandshake, Duration newMessageDeadline) {
            return new Limits(maxConnections, maxPerUser, newHandshake, newMessageDeadline, maxQueued, maxInFlight);
        }
    }

    private final ServerSocketChannel listener;
    private final Authorization authorization;
    private final AgentHandler handler;
    private final Limits limits;
    private final Consumer<String> log;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("crew-agent-call"));
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(daemon("crew-agent-watchdog"));
    private final AtomicLong connectionIds = new AtomicLong();
    private final Path socket;
    private volatile boolean closed;
    private Thread acceptor;

    public AgentServer(ServerSocketChannel listener, Path socket, Authorization authorization, AgentHandler handler, Limits limits,
            Consumer<String> log) {
        this.listener = listener;
        this.socket = socket;
        this.authorization = authorization;
        this.handler = handler;
        this.limits = limits;
        this.log = log;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- the socket ----

    /**
     * Binds {@code socket} for the agent: its folder must belong to root (or this user) and be writable by nobody
     * else; a socket file left by a killed agent (nothing answers on it) is removed; a live agent is an error. The
     * file gets {@code mode} and, when the group exists, group {@code group}.
     */
    public static ServerSocketChannel bind(Path socket, String mode, String group, Consumer<String> log) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int owner = (Integer) Files.getAttribute(dir, "unix:uid");
        Set<PosixFilePermission> dirMode = Files.getPosixFilePermissions(dir);
        // a folder others may write to (even /tmp, sticky) lets them take the name first and pose as the agent
        if (owner != me && owner != 0 || dirMode.contains(PosixFilePermission.GROUP_WRITE) || dirMode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("the agent's socket folder " + dir + " is writable by other users (or owned by another): another user could"
                    + " take the socket's name; use a folder only root can write, such as /run/crew");
        }
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                throw new IOException(socket + " exists and is not a socket: the agent does not remove it");
            }
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(socket));
                throw new AgentRunningException("a CREW agent already runs on " + socket);
            } catch (AgentRunningException e) {
                throw e;
            } catch (IOException e) {
                Files.delete(socket);
                log.accept("removed the stale socket " + socket + " (nothing answered on it: an agent was killed)");
            }
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(socket), 128);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(mode));
        if (group != null) {
            try {
                GroupPrincipal g = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
                Files.getFileAttributeView(socket, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(g);
            } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
                log.accept("group '" + group + "' does not exist: only root can connect ('crew agent install' creates the group)");
            }
        }
        return ch;
    }

    /** A second agent on the same socket. */
    public static final class AgentRunningException extends IOException {
        private static final long serialVersionUID = 1L;

        AgentRunningException(String message) {
            super(message);
        }
    }

    /** The listening socket systemd passed (socket activation), when there is one. */
    public static Optional<ServerSocketChannel> inherited() throws IOException {
        Channel c = System.inheritedChannel();
        return c instanceof ServerSocketChannel s ? Optional.of(s) : Optional.empty();
    }

    // ---- running ----

    public void start() {
        acceptor = new Thread(this::acceptLoop, "crew-agent-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        watchdog.scheduleWithFixedDelay(this::checkDeadlines, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Connected clients now. */
    public int connections() {
        return clients.size();
    }

    /** Sends an event to every subscribed client. */
    public void broadcast(JsonObject event) {
        JsonObject m = new JsonObject();
        m.addProperty("jsonrpc", "2.0");
        m.addProperty("method", AgentProtocol.EVENT);
        m.add("params", event);
        String text = m.toString();
        for (Client c : clients) {
            if (c.subscribed) {
                c.enqueue(text);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing
        }
        clients.forEach(Client::close);
        watchdog.shutdownNow();
        workers.shutdownNow();
        if (socket != null) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // the next agent removes it as stale
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.accept("accept: " + e.getMessage());
                }
                return;
            }
            try {
                admit(ch);
            } catch (IOException | RuntimeException e) {
                log.accept("refused a connection: " + e.getMessage());
                try {
                    ch.close();
                } catch (IOException x) {
                    // gone
                }
            }
        }
    }

    private void admit(SocketChannel ch) throws IOException {
        Peer peer = Peer.of(ch);
        Authorization.Decision decision = authorization.decide(peer);
        Client c = new Client(connectionIds.incrementAndGet(), ch, peer, decision);
        AtomicInteger mine = perUser.computeIfAbsent(peer.uid(), u -> new AtomicInteger());
        if (mine.incrementAndGet() > limits.maxPerUser() || clients.size() >= limits.maxConnections()) {
            mine.decrementAndGet();
            Framing.write(c.out, error(JsonNull.INSTANCE, AgentProtocol.BUSY, "too many connections (" + limits.maxConnections() + " in all, "
                    + limits.maxPerUser() + " per user)", null));
            ch.close();
            return;
        }
        clients.add(c);
        c.start();
    }

    private void checkDeadlines() {
        long now = System.nanoTime();
        for (Client c : clients) {
            if (!c.initialized && now - c.connectedAt > limits.handshake().toNanos()) {
                c.closeWith(AgentProtocol.NOT_INITIALIZED, "no initialize within " + limits.handshake().toMillis() + " ms of connecting");
            } else if (c.messageStartedAt != 0 && now - c.messageStartedAt > limits.messageDeadline().toNanos()) {
                c.closeWith(AgentProtocol.INVALID_REQUEST, "a message was not completed within " + limits.messageDeadline().toMillis() + " ms");
            }
        }
    }

    static String error(JsonElement id, int code, String message, String rule) {
        JsonObject e = new JsonObject();
        e.addProperty("code", code);
        e.addProperty("message", message);
        if (rule != null) {
            JsonObject data = new JsonObject();
            data.addProperty("rule", rule);
            e.add("data", data);
        }
        JsonObject m = new JsonObject();
        m.addProperty("jsonrpc", "2.0");
        m.add("id", id);
        m.add("error", e);
        return m.toString();
    }

    /** One connected peer. */
    /** Refused calls logged per connection. */
    static final int MAX_REFUSALS_LOGGED = 10;

    public final class Client {
        private static final String CLOSE = new String("close");

        private final long id;
        private final SocketChannel channel;
        private final Peer peer;
        private final Authorization.Decision decision;
        private final InputStream in;
        private final OutputStream out;
        private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final Semaphore inFlight = new Semaphore(limits.maxInFlight());
        private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
        private final long connectedAt = System.nanoTime();
        private volatile long messageStartedAt;
        private volatile boolean initialized;
        /** Refused calls of this connection written to the log: the first few (a refused peer must not flood the log). */
        private final java.util.concurrent.atomic.AtomicInteger refusalsLogged = new java.util.concurrent.atomic.AtomicInteger();

        private void logRefusal(String refusal) {
            int n = refusalsLogged.incrementAndGet();
            if (n <= MAX_REFUSALS_LOGGED) {
                log.accept(refusal);
            } else if (n == MAX_REFUSALS_LOGGED + 1) {
                log.accept(this + ": more than " + MAX_REFUSALS_LOGGED + " refused calls; the others are not logged");
            }
        }
        private volatile boolean subscribed;
        private volatile boolean gone;
        private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        Client(long id, SocketChannel channel, Peer peer, Authorization.Decision decision) {
            this.id = id;
            this.channel = channel;
            this.peer = peer;
            this.decision = decision;
            this.in = new java.io.BufferedInputStream(ChannelStreams.in(channel), 8192);
            this.out = ChannelStreams.out(channel);
        }

        public Peer peer() {
            return peer;
        }

        public boolean mayControl() {
            return decision.role() == Authorization.Role.CONTROL;
        }

        /** Runs when this connection ends (a session tied to its client ends with it). */
        public void onClose(Runnable r) {
            onClose.add(r);
            if (gone) {
                r.run();
            }
        }

        public boolean isGone() {
            return gone;
        }

        @Override
        public String toString() {
            return "connection " + id + " of " + peer;
        }

        void start() {
            Thread reader = new Thread(this::readLoop, "crew-agent-conn-" + id);
            reader.setDaemon(true);
            reader.start();
            Thread writer = new Thread(this::writeLoop, "crew-agent-write-" + id);
            writer.setDaemon(true);
            writer.start();
        }

        void enqueue(String message) {
            if (gone) {
                return;
            }
            if (queue.size() >= limits.maxQueued()) {
                log.accept(this + " reads too slowly (" + limits.maxQueued() + " messages waiting): disconnected");
                close();
                return;
            }
            queue.add(message);
        }

        void closeWith(int code, String message) {
            if (closing.getAndSet(true)) {
                return;
            }
            log.accept(this + ": " + message + ": closing it");
            queue.clear();
            queue.add(error(JsonNull.INSTANCE, code, message, null));
            queue.add(CLOSE);
            messageStartedAt = 0;
            // a reader blocked mid-message is woken by the close the writer does after sending the error
            watchdog.schedule(this::close, 1, TimeUnit.SECONDS);
        }

        void close() {
            if (closed.getAndSet(true)) {
                return;
            }
            gone = true;
            try {
                channel.close();
            } catch (IOException e) {
                // gone
            }
            queue.add(CLOSE);
            clients.remove(this);
            AtomicInteger n = perUser.get(peer.uid());
            if (n != null) {
                n.decrementAndGet();
            }
            for (Runnable r : onClose) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.accept(this + ": on close: " + e);
                }
            }
        }

        private void writeLoop() {
            try {
                while (true) {
                    String m = queue.take();
                    if (m == CLOSE) {
                        break;
                    }
                    Framing.write(out, m);
                }
            } catch (IOException | InterruptedException e) {
                // the peer is gone
            }
            close();
        }

        private void readLoop() {
            try {
                while (!gone) {
                    String text = Framing.read(in, () -> messageStartedAt = System.nanoTime());
                    messageStartedAt = 0;
                    if (text == null) {
                        break;
                    }
                    onMessage(text);
                }
            } catch (FramingException e) {
                closeWith(e.tooLarge() ? AgentProtocol.TOO_LARGE : AgentProtocol.INVALID_REQUEST, "bad framing: " + e.getMessage());
                return;
            } catch (IOException e) {
                // the peer went away, or the watchdog closed the connection
            }
            close();
        }

        private void onMessage(String text) {
            JsonObject m;
            try {
                JsonElement e = JsonParser.parseString(text);
                if (!e.isJsonObject()) {
                    enqueue(error(JsonNull.INSTANCE, AgentProtocol.INVALID_REQUEST, "a request is a JSON object", null));
                    return;
                }
                m = e.getAsJsonObject();
            } catch (RuntimeException e) {
                enqueue(error(JsonNull.INSTANCE, AgentProtocol.PARSE_ERROR, "not JSON: " + e.getMessage(), null));
                return;
            }
            JsonElement id = m.has("id") ? m.get("id") : JsonNull.INSTANCE;
            if (!id.isJsonNull() && !(id.isJsonPrimitive() && (id.getAsJsonPrimitive().isNumber() || id.getAsJsonPrimitive().isString()))) {
                enqueue(error(JsonNull.INSTANCE, AgentProtocol.INVALID_REQUEST, "'id' must be a number or a string", null));
                return;
            }
            if (!m.has("jsonrpc") || !m.get("jsonrpc").isJsonPrimitive() || !"2.0".equals(m.get("jsonrpc").getAsString())) {
                enqueue(error(id, AgentProtocol.INVALID_REQUEST, "'jsonrpc' must be \"2.0\"", null));
                return;
            }
            if (!m.has("method") || !m.get("method").isJsonPrimitive() || !m.get("method").getAsJsonPrimitive().isString()) {
                enqueue(error(id, AgentProtocol.INVALID_REQUEST, "'method' must be a string", null));
                return;
            }
            String method = m.get("method").getAsString();
            JsonElement p = m.has("params") ? m.get("params") : new JsonObject();
            if (!p.isJsonObject()) {
                enqueue(error(id, AgentProtocol.INVALID_PARAMS, "'params' must be an object", null));
                return;
            }
            JsonObject params = p.getAsJsonObject();
            if (method.equals(AgentProtocol.INITIALIZE)) {
                enqueue(initialize(id, params));
                return;
            }
            if (!initialized) {
                enqueue(error(id, AgentProtocol.NOT_INITIALIZED, "call initialize first (protocol " + AgentProtocol.VERSION + ")", null));
                return;
            }
            if (AgentProtocol.READ_METHODS.contains(method)) {
                if (method.equals(AgentProtocol.SUBSCRIBE)) {
                    subscribed = true;
                    enqueue(result(id, new JsonObject()));
                } else {
                    enqueue(result(id, handler.status()));
                }
                return;
            }
            if (!AgentProtocol.CONTROL_METHODS.contains(method)) {
                enqueue(error(id, AgentProtocol.METHOD_NOT_FOUND, "no method '" + method + "' (protocol " + AgentProtocol.VERSION + ")", null));
                return;
            }
            if (!mayControl()) {
                String refusal = method + " refused for " + peer + ": " + decision.rule();
                logRefusal(refusal); // the audit trail: who tried what, and the rule that refused it
                enqueue(error(id, AgentProtocol.REFUSED, refusal, decision.rule()));
                return;
            }
            if (!inFlight.tryAcquire()) {
                enqueue(error(id, AgentProtocol.BUSY, "more than " + limits.maxInFlight() + " calls at once on one connection", null));
                return;
            }
            workers.execute(() -> {
                try {
                    enqueue(result(id, handler.handle(this, method, params)));
                } catch (AgentCallException e) {
                    if (e.code() == AgentProtocol.REFUSED) {
                        logRefusal(e.getMessage()); // a session or lab of another user: the owner rule
                    }
                    enqueue(error(id, e.code(), e.getMessage(), e.rule()));
                } catch (RuntimeException e) {
                    log.accept(this + ": " + method + " failed with an internal error: " + e);
                    enqueue(error(id, AgentProtocol.INTERNAL_ERROR, "internal error in the agent: " + e, null));
                } finally {
                    inFlight.release();
                }
            });
        }

        private String initialize(JsonElement id, JsonObject params) {
            JsonElement v = params.get("protocol");
            if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                return error(id, AgentProtocol.INVALID_PARAMS, "initialize needs 'protocol' (a number; this agent speaks " + AgentProtocol.VERSION + ")",
                        null);
            }
            if (v.getAsInt() != AgentProtocol.VERSION) {
                return error(id, AgentProtocol.NOT_INITIALIZED, "protocol " + v.getAsString() + " is not spoken by this agent (it speaks "
                        + AgentProtocol.VERSION + "): use a crew of the agent's version", null);
            }
            initialized = true;
            JsonObject r = new JsonObject();
            r.addProperty("protocol", AgentProtocol.VERSION);
            r.addProperty("agentPid", ProcessHandle.current().pid());
            r.addProperty("user", peer.user());
            r.addProperty("uid", peer.uid());
            r.addProperty("role", mayControl() ? "control" : "read");
            r.addProperty("rule", decision.rule());
            com.google.gson.JsonArray methods = new com.google.gson.JsonArray();
            AgentProtocol.READ_METHODS.forEach(methods::add);
            if (mayControl()) {
                AgentProtocol.CONTROL_METHODS.forEach(methods::add);
            }
            r.add("methods", methods);
            return result(id, r);
        }

        private String result(JsonElement id, JsonElement value) {
            JsonObject m = new JsonObject();
            m.addProperty("jsonrpc", "2.0");
            m.add("id", id);
            m.add("result", value == null ? JsonNull.INSTANCE : value);
            return m.toString();
        }
    }

    /** For tests and the bench: the connected clients' peers. */
    List<Peer> peers() {
        List<Peer> out = new ArrayList<>();
        clients.forEach(c -> out.add(c.peer));
        return out;
    }
}
