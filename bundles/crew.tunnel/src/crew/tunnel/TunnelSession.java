package crew.tunnel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import crew.enforce.EnforcementEventSink;
import crew.enforce.EnforcementPolicy;
import crew.enforce.EnforcementSession;
import crew.enforce.Recovery;
import crew.enforce.SessionSpec;
import crew.design.device.DevicePredictor;
import crew.model.device.DeviceRoute;
import crew.model.net.IpFamily;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingException;
import crew.tunnel.management.ManagementChannel;
import crew.tunnel.management.ManagementMessage;
import crew.tunnel.management.ManagementReader;

/**
 * One tunnel: the system's openvpn driven through its management interface, with CREW, not openvpn, configuring the
 * TUN device and installing the routes through the routing SPI, and the CRE engine protecting them.
 *
 * <p>openvpn runs with {@code --management-client --management-hold --management-query-passwords
 * --management-up-down --route-noexec --ifconfig-noexec --persist-tun}: it connects to CREW's socket (a dead-man
 * switch: if CREW dies, openvpn exits and its TUN device with every route through it goes too), waits for CREW to
 * release the hold, asks CREW for passwords, and reports the pushed configuration in its UPDOWN block, which CREW
 * applies. On a reconnect the TUN device and the routes stay, so traffic fails closed rather than leaking; when the
 * new configuration differs, the old one is removed first. Every exit path (disconnect, failure, openvpn dying)
 * stops the engine, which restores the table to its pre-session snapshot.
 *
 * <p>All state changes happen on the session's own thread; listeners are called there.
 */
public final class TunnelSession implements AutoCloseable {
    private static final int LOG_LINES = 200;
    private final TunnelProfile profile;
    private final RoutingBackend backend;
    private final TunnelOptions options;
    private final EnforcementPolicy policy;
    private final List<TunnelListener> listeners = new CopyOnWriteArrayList<>();
    private final List<EnforcementEventSink> sinks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker;
    private final Deque<String> recentLog = new ArrayDeque<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private volatile TunnelState state = TunnelState.IDLE;
    private volatile String openvpnState = "";
    private volatile String detail = "";
    private volatile Instant since = Instant.now();
    private volatile PushedConfiguration applied;
    private volatile EnforcementSession enforcement;
    private volatile TunnelDns.Applied dns;
    private volatile TunnelException error;
    private volatile boolean everConnected;
    private volatile Instant startedAt;
    private volatile long lastMark;
    private volatile DeviceRoute lanRoute;
    private final java.util.Map<String, Duration> phases = new java.util.LinkedHashMap<>();
    private volatile Duration connectTime;
    private Process process;
    private ManagementChannel channel;
    private Path logFile;
    private String lastTlsError;
    private PushReply pushReply;
    private volatile String verifyError;
    private volatile boolean serverAnswered;
    private volatile SessionControl control;

    /**
     * @param policy what the engine does on a conflict in an enforced session (null: remediate, as AWS does)
     */
    public TunnelSession(TunnelProfile profile, RoutingBackend backend, TunnelOptions options, EnforcementPolicy policy) {
        this.profile = profile;
        this.backend = backend;
        this.options = options;
        this.policy = policy;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crew-tunnel-" + options.sessionId());
            t.setDaemon(true);
            return t;
        });
    }

    public void addListener(TunnelListener listener) {
        listeners.add(listener);
    }

    /** Receives the engine's events of every enforcement session this tunnel runs (one per configuration). */
    public void addEnforcementSink(EnforcementEventSink sink) {
        sinks.add(sink);
    }

    public TunnelOptions options() {
        return options;
    }

    public TunnelProfile profile() {
        return profile;
    }

    public TunnelStatus status() {
        EnforcementSession e = enforcement;
        return new TunnelStatus(state, openvpnState, detail, since, Optional.ofNullable(applied), e != null && enforcedNow(applied),
                e == null ? List.of() : e.protectedRoutes(), Optional.ofNullable(error));
    }

    /** From start until the routes were installed and protected, once connected. */
    public Optional<Duration> connectTime() {
        return Optional.ofNullable(connectTime);
    }

    /** The device's IPv4 default route before the tunnel (its LAN interface and gateway), once the session started. */
    public Optional<DeviceRoute> lanRoute() {
        return Optional.ofNullable(lanRoute);
    }

    /**
     * Where the first connect's time went, phase by phase in order (empty before it is connected): what openvpn
     * does and what CREW adds. Later reconnects are not recorded.
     */
    public java.util.Map<String, Duration> connectPhases() {
        synchronized (phases) {
            return connectTime == null ? java.util.Map.of() : new java.util.LinkedHashMap<>(phases);
        }
    }

    private void mark(String phase) {
        if (connectTime != null) {
            return;
        }
        long now = System.nanoTime();
        synchronized (phases) {
            phases.merge(phase, Duration.ofNanos(now - lastMark), Duration::plus);
        }
        lastMark = now;
    }

    /** The socket other processes end this session through, once started. */
    Optional<Path> controlSocket() {
        SessionControl c = control;
        return c == null ? Optional.empty() : Optional.of(c.socket());
    }

    /** The running enforcement session, if connected. */
    public Optional<EnforcementSession> enforcement() {
        return Optional.ofNullable(enforcement);
    }

    /** Completes when the session has ended (disconnected or failed) and the device is restored. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** The last lines of openvpn's log. */
    public List<String> recentLog() {
        synchronized (recentLog) {
            return new ArrayList<>(recentLog);
        }
    }

    /**
     * Starts openvpn and waits until the tunnel is up with its routes installed (and protected when enforced).
     * On any failure the device is restored and a {@link TunnelException} says why.
     */
    public void connect() {
        if (state != TunnelState.IDLE) {
            throw new IllegalStateException("a tunnel session connects once; it is " + state);
        }
        Path record = options.runtimeDirectory().resolve(SessionRecord.FILE);
        try {
            if (Files.exists(record) && SessionRecord.read(record).ownerAlive()) {
                throw new TunnelException(TunnelException.Reason.ALREADY_RUNNING, "session '" + options.sessionId() + "' already runs in process "
                        + SessionRecord.read(record).ownerPid() + ": disconnect it first (crew tunnel disconnect " + options.sessionId() + ")");
            }
        } catch (IOException e) {
            // an unreadable record is a stale one: this session replaces it
        }
        refuseSameProfile();
        startedAt = Instant.now();
        lastMark = System.nanoTime();
        worker.execute(this::start);
        try {
            connected.get(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String where = profile.profile().remotes().isEmpty() ? "the server" : profile.profile().remotes().get(0).host() + ":"
                    + (profile.profile().remotes().get(0).port() == 0 ? profile.profile().port() : profile.profile().remotes().get(0).port());
            if (serverAnswered) {
                // the server answered but the TLS handshake never completed: over UDP a server that refuses our
                // certificate just stops talking, so this is how a refused certificate looks from the client
                fail(new TunnelException(TunnelException.Reason.CERTIFICATE_REJECTED, "the server " + where + " answered, but the TLS handshake did"
                        + " not complete within " + options.connectTimeout().toSeconds() + " s: the server most likely refused our certificate"
                        + " (expired, revoked, or not from the CA it trusts)" + (verifyError == null ? "" : "; " + verifyError)));
            } else {
                fail(new TunnelException(TunnelException.Reason.UNREACHABLE, "no tunnel within " + options.connectTimeout().toSeconds() + " s: "
                        + "no answer from " + where + " (openvpn state " + (openvpnState.isEmpty() ? "none" : openvpnState) + ")"
                        + (lastTlsError == null ? "" : "; last error: " + lastTlsError)));
            }
            awaitFinished();
            throw error;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnect();
            throw new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "interrupted while connecting");
        } catch (ExecutionException e) {
            awaitFinished();
            throw e.getCause() instanceof TunnelException te ? te
                    : new TunnelException(TunnelException.Reason.OPENVPN_FAILED, String.valueOf(e.getCause()), e.getCause());
        }
    }

    /** Stops the session: the engine restores the table, openvpn is told to exit. Returns restore problems, if any. */
    public List<String> disconnect() {
        List<String> problems = new ArrayList<>();
        if (!worker.isShutdown()) {
            try {
                worker.submit(() -> {
                    if (!state.isFinal()) {
                        setState(TunnelState.DISCONNECTING, "requested");
                        problems.addAll(teardown());
                        finish(TunnelState.DISCONNECTED);
                    }
                }).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
                problems.add("disconnect: " + e);
            }
        }
        awaitFinished();
        return problems;
    }

    @Override
    public void close() {
        disconnect();
    }

    private void awaitFinished() {
        try {
            finished.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // reported through status
        }
    }

    // ---- everything below runs on the worker thread ----

    private void start() {
        try {
            setState(TunnelState.CONNECTING, "starting openvpn");
            if (!Files.isExecutable(options.openvpn())) {
                throw new TunnelException(TunnelException.Reason.OPENVPN_MISSING, "openvpn is not installed at " + options.openvpn()
                        + " (install the openvpn package, or set the openvpn path in the preferences / with --openvpn)");
            }
            recoverCrashedSessions();
            // the LAN the device uses before the tunnel: where an attacker (and `crew tunnel attack`) routes around it
            lanRoute = DevicePredictor.defaultRoute(backend.routes(), IpFamily.IPV4).orElse(null);
            Path dir = options.runtimeDirectory();
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            control = SessionControl.listen(dir.resolve(SessionControl.FILE), options.sessionId(), this::disconnect);
            Path config = dir.resolve("openvpn.conf");
            Files.deleteIfExists(config);
            Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(config, profile.runtimeConfiguration(), StandardCharsets.UTF_8);
            logFile = dir.resolve("openvpn.log");
            channel = ManagementChannel.listen(dir.resolve("management.sock"));
            String[] openvpnArgv = {options.openvpn().toString(), "--config", config.toString(), "--management", channel.socketPath().toString(),
                "unix", "--management-client", "--management-hold", "--management-query-passwords", "--management-up-down",
                "--route-noexec", "--ifconfig-noexec", "--persist-tun", "--verb", "3", "--connect-retry", "1", "5"};
            if (!ownsDevice()) {
                // macOS, Windows: no backend configures interfaces there, so openvpn sets up its own device (utun,
                // wintun) and CREW installs and protects only the routes, through the backend
                openvpnArgv = java.util.Arrays.stream(openvpnArgv).filter(a -> !a.equals("--ifconfig-noexec")).toArray(String[]::new);
            }
            // a namespace is a Linux device (the lab's): the Linux routing bundle knows how to start a process inside it
            List<String> argv = List.of(options.namespace() == null ? openvpnArgv
                    : crew.routing.api.netns.NetworkNamespaces.require("a tunnel in network namespace " + options.namespace()).command(options.namespace(), openvpnArgv));
            process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            mark("CREW: recovery check, configuration written, openvpn started");
            Process p = process;
            p.onExit().thenRun(() -> worker.execute(() -> onProcessExit(p)));
            boolean accepted = channel.accept(Duration.ofSeconds(15), p::isAlive, m -> worker.execute(() -> on(m)),
                    e -> worker.execute(() -> onChannelClosed(e)));
            Files.deleteIfExists(config); // openvpn has read it (the keys in it stay only in openvpn's memory)
            mark("openvpn: started and connected to the management socket");
            if (!accepted && !p.isAlive()) {
                return; // onProcessExit reports it with openvpn's own words
            }
            if (!accepted) {
                throw new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "openvpn did not connect to CREW's management socket within 15 s"
                        + tail());
            }
            channel.send("state on");
            channel.send("log on");
        } catch (TunnelException e) {
            fail(e);
        } catch (IOException | RoutingException e) {
            fail(new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "starting openvpn: " + e.getMessage(), e));
        }
    }

    /** Whether CREW configures the tunnel device itself (a backend with interface control: Linux) or leaves it to openvpn. */
    private boolean ownsDevice() {
        return backend instanceof crew.routing.api.InterfaceControl;
    }

    private void recoverCrashedSessions() throws IOException, RoutingException {
        for (String problem : TunnelDns.recover(options.journalDirectory(), line -> log("recovery: " + line))) {
            log("recovery: " + problem);
        }
        for (Recovery.Result r : Recovery.recoverAll(options.journalDirectory(), backend, line -> log("recovery: " + line))) {
            if (r.blocksNewSession()) {
                throw new TunnelException(TunnelException.Reason.DEVICE, "a crashed earlier session left " + r.journal()
                        + " and the device could not be fully restored: " + r.problems());
            }
            if (r.outcome() != Recovery.Outcome.RUNNING) {
                log("recovery: " + r.message());
            }
        }
    }

    private void on(ManagementMessage m) {
        if (state.isFinal()) {
            return;
        }
        try {
            if (m instanceof ManagementMessage.Hold h) {
                // the first hold right away; after a drop, openvpn's back-off hint (at least a second)
                long delay = everConnected || !openvpnState.isEmpty() ? Math.max(1, h.waitSeconds()) : 0;
                worker.schedule(() -> send("hold release"), delay, TimeUnit.SECONDS);
            } else if (m instanceof ManagementMessage.State s) {
                onState(s.report());
            } else if (m instanceof ManagementMessage.Log l) {
                log(l.text());
                PushReply.fromLog(l.text()).ifPresent(r -> pushReply = r);
                if (l.text().startsWith("TLS: Initial packet from")) {
                    serverAnswered = true;
                }
                if (verifyError == null && (l.text().contains("VERIFY ERROR") || l.text().contains("certificate verify failed"))) {
                    verifyError = l.text();
                }
                if (l.text().contains("VERIFY ERROR") || l.text().contains("TLS Error") || l.text().contains("TLS_ERROR")
                        || l.text().contains("certificate verify failed") || l.text().contains("alert")) {
                    lastTlsError = l.text();
                }
            } else if (m instanceof ManagementMessage.PasswordNeeded p) {
                answerPassword(p);
            } else if (m instanceof ManagementMessage.PasswordFailed p) {
                throw new TunnelException(TunnelException.Reason.AUTH_FAILED, "the server refused the "
                        + (p.type().equals("Auth") ? "username and password" : p.type()) + " ('" + p.type() + "' verification failed)");
            } else if (m instanceof ManagementMessage.Fatal f) {
                throw new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "openvpn: " + f.text() + tail());
            } else if (m instanceof ManagementMessage.UpDown u) {
                if (u.up()) {
                    apply(u.configuration());
                } else {
                    unapply("openvpn took the tunnel down");
                }
            } else if (m instanceof ManagementMessage.Notify n) {
                log("notify: " + n.text());
            } else if (m instanceof ManagementMessage.Info i) {
                log("management: " + i.text());
            } else if (m instanceof ManagementMessage.Response r) {
                if (!r.success()) {
                    log("management error: " + r.text());
                }
            } else if (m instanceof ManagementMessage.Other o) {
                log(o.line());
            }
        } catch (TunnelException e) {
            fail(e);
        } catch (RoutingException | RuntimeException e) {
            fail(new TunnelException(TunnelException.Reason.DEVICE, "configuring the device: " + e.getMessage(), e));
        }
    }

    private void onState(StateReport s) {
        openvpnState = s.name();
        if (state == TunnelState.CONNECTED && s.name().equals("CONNECTED")) {
            // openvpn says CONNECTED after CREW has installed the pushed configuration: the session's own detail
            // ("enforced, N routes through tun0") stays, and its listeners (the console, the agent's clients) and
            // record learn openvpn's state, which they would otherwise keep showing as AUTH or GET_CONFIG
            setState(TunnelState.CONNECTED, null);
            return;
        }
        detail = s.detail();
        switch (s.name()) {
            case "CONNECTING", "WAIT", "RESOLVE", "TCP_CONNECT" -> setState(everConnected ? TunnelState.RECONNECTING : TunnelState.CONNECTING, s.name());
            case "AUTH", "GET_CONFIG", "AUTH_PENDING" -> setState(everConnected ? TunnelState.RECONNECTING : TunnelState.AUTHENTICATING, s.name());
            case "ASSIGN_IP", "ADD_ROUTES" -> setState(TunnelState.CONFIGURING, s.name());
            case "CONNECTED" -> {
                if (applied != null && state != TunnelState.CONNECTED) {
                    setState(TunnelState.CONNECTED, "openvpn " + s.detail());
                }
            }
            case "RECONNECTING" -> {
                if (!everConnected && (s.detail().contains("tls-error") || s.detail().contains("auth-failure"))) {
                    if (s.detail().contains("auth-failure")) {
                        throw new TunnelException(TunnelException.Reason.AUTH_FAILED, "the server refused the login (" + s.detail() + ")");
                    }
                    if (!serverAnswered) {
                        throw new TunnelException(TunnelException.Reason.UNREACHABLE, "no answer from the server (" + s.detail() + ")"
                                + (lastTlsError == null ? "" : ": " + lastTlsError));
                    }
                    throw new TunnelException(TunnelException.Reason.CERTIFICATE_REJECTED, "the TLS handshake with the server failed: "
                            + (verifyError != null ? "we refused the server's certificate: " + verifyError
                                    : "a certificate was refused" + (lastTlsError == null ? "" : ": " + lastTlsError)));
                }
                setState(everConnected ? TunnelState.RECONNECTING : TunnelState.CONNECTING, "openvpn reconnects (" + s.detail() + ")");
            }
            case "EXITING" -> {
                if (state != TunnelState.DISCONNECTING) {
                    throw new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "openvpn is exiting (" + s.detail() + ")" + tail());
                }
            }
            default -> {
                // other states (TCP_CONNECT, RESOLVE, ...) change nothing for CREW
            }
        }
    }

    private void answerPassword(ManagementMessage.PasswordNeeded p) {
        String type = ManagementReader.quote(p.type());
        if (p.type().equals("Private Key")) {
            if (options.keyPassphrase() == null) {
                throw new TunnelException(TunnelException.Reason.AUTH_FAILED, "the profile's private key is encrypted: give its passphrase");
            }
            send("password " + type + " " + ManagementReader.quote(new String(options.keyPassphrase())));
            return;
        }
        if (options.username() == null || options.password() == null) {
            throw new TunnelException(TunnelException.Reason.AUTH_FAILED, "the profile asks for a username and password (auth-user-pass, '"
                    + p.type() + "'): none was given");
        }
        if (p.usernameToo()) {
            send("username " + type + " " + ManagementReader.quote(options.username()));
        }
        send("password " + type + " " + ManagementReader.quote(new String(options.password())));
    }

    private void apply(PushedConfiguration pushed) throws RoutingException {
        PushedConfiguration c = pushReply == null ? pushed : pushReply.applyTo(pushed);
        if (applied != null) {
            if (sameRouting(applied, c)) {
                log("reconnected with the same configuration: routes and protection stay");
                setState(TunnelState.CONNECTED, "reconnected");
                return;
            }
            unapply("the server pushed another configuration");
        }
        mark("openvpn: TLS handshake and pushed configuration");
        setState(TunnelState.CONFIGURING, "installing " + (c.routes().size() + c.ipv6Routes().size()) + " pushed routes");
        // the spec before the device's addresses: their connected routes would already be conflicts for a session it is refused for
        SessionSpec spec = TunnelNetwork.sessionSpec(options.sessionId(), c, backend.routes(), options.mode(), options.reconcileInterval());
        boolean enforce = enforcedNow(c);
        EnforcementPolicy p = enforce ? policy : conflict -> EnforcementPolicy.Decision.ALERT_ONLY;
        Path journal = journalFile();
        EnforcementSession e = new EnforcementSession(spec, backend, p, journal);
        sinks.forEach(e::addSink);
        try (SessionsLock lock = SessionsLock.take()) {
            refuseOverlap(spec);
            if (ownsDevice()) {
                TunnelNetwork.configureInterface(backend, c);
                mark("CREW: tunnel device configured (MTU, addresses, up)");
            }
            Files.createDirectories(options.journalDirectory());
            e.start(); // Recovery knows the journals of engines running in this process and leaves them alone
            enforcement = e;
            applied = c;
            publishRecord(); // under the lock: the next session's check sees these routes
            applyDns(c);
        } catch (IOException ex) {
            throw new TunnelException(TunnelException.Reason.DEVICE, "enforcement journal: " + ex.getMessage(), ex);
        }
        everConnected = true;
        mark("CREW: table snapshot, journal, routes installed and protected");
        if (connectTime == null) {
            connectTime = Duration.between(startedAt, Instant.now());
        }
        setState(TunnelState.CONNECTED, (enforce ? "enforced" : "not enforced") + ", " + spec.protectedDestinations().size() + " routes through "
                + c.device());
        connected.complete(null);
        watchEngine(e);
    }

    /**
     * A second session with this profile on the same device is refused before openvpn starts: it would share the
     * first one's certificate (the server drops one of the two) and push it the same routes.
     */
    private void refuseSameProfile() {
        String ns = options.namespace() == null ? "" : options.namespace();
        try {
            for (SessionRecord r : SessionRecord.runningIn(options.namespace())) {
                if (!r.sessionId().equals(options.sessionId()) && r.profile().equals(profile.source().toString())) {
                    throw new TunnelException(TunnelException.Reason.ALREADY_RUNNING, "profile " + profile.source() + " is already connected"
                            + (ns.isEmpty() ? " on this host" : " in namespace " + ns) + " by session '" + r.sessionId() + "' (process " + r.ownerPid()
                            + "): a second session would take the same routes and the same certificate; disconnect it first (crew tunnel disconnect "
                            + r.sessionId() + ")");
                }
            }
        } catch (IOException e) {
            // unreadable records: the route check at apply time still guards the device
        }
    }

    /**
     * Two sessions on one device whose protected routes overlap would each see the other's routes as conflicts and
     * remove them, over and over: the second is refused, naming the running one and the overlapping ranges.
     */
    private void refuseOverlap(SessionSpec spec) {
        List<SessionRecord> running;
        try {
            running = SessionRecord.runningIn(options.namespace());
        } catch (IOException e) {
            throw new TunnelException(TunnelException.Reason.DEVICE, "cannot check the other tunnel sessions on this device: " + e.getMessage(), e);
        }
        for (SessionRecord r : running) {
            if (r.sessionId().equals(options.sessionId())) {
                continue;
            }
            List<String> overlaps = new ArrayList<>();
            for (crew.model.net.Cidr mine : spec.protectedDestinations()) {
                for (crew.model.net.Cidr theirs : RouteAttack.destinations(r.protectedRoutes())) {
                    if (mine.family() == theirs.family() && mine.overlaps(theirs)) {
                        overlaps.add(mine.equals(theirs) ? mine.toString() : mine + " overlaps " + theirs);
                    }
                }
            }
            if (!overlaps.isEmpty()) {
                String ns = options.namespace() == null ? "this host" : "namespace " + options.namespace();
                throw new TunnelException(TunnelException.Reason.ALREADY_RUNNING, "session '" + r.sessionId() + "' (process " + r.ownerPid()
                        + (r.device().isEmpty() ? "" : ", " + r.device()) + ") already protects these ranges in " + ns + ": "
                        + String.join(", ", overlaps) + ". Two sessions on one device would remove each other's routes; disconnect '"
                        + r.sessionId() + "' first (crew tunnel disconnect " + r.sessionId() + ")");
            }
        }
    }

    private Path journalFile() {
        return options.journalDirectory().resolve(options.sessionId() + ".journal").toAbsolutePath().normalize();
    }

    /** A DISCONNECT policy decision ends the engine; the tunnel follows. */
    private void watchEngine(EnforcementSession e) {
        worker.schedule(() -> {
            if (enforcement == e && !state.isFinal()) {
                if (!e.isRunning()) {
                    fail(new TunnelException(TunnelException.Reason.DEVICE, "the enforcement policy ended the session after a conflict"));
                } else {
                    watchEngine(e);
                }
            }
        }, 200, TimeUnit.MILLISECONDS);
    }

    private boolean enforcedNow(PushedConfiguration c) {
        return switch (options.enforcement()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AS_PUSHED -> c != null && c.enforced();
        };
    }

    private static boolean sameRouting(PushedConfiguration a, PushedConfiguration b) {
        return a.device().equals(b.device()) && a.ipv4Address().equals(b.ipv4Address()) && a.ipv6Address().equals(b.ipv6Address())
                && a.routes().equals(b.routes()) && a.ipv6Routes().equals(b.ipv6Routes()) && a.redirectGateway() == b.redirectGateway()
                && a.vpnGateway().equals(b.vpnGateway()) && a.trustedIp().equals(b.trustedIp()) && a.enforced() == b.enforced();
    }

    /** The pushed DNS on the device (journalled first); a failure is reported, and the tunnel stays up. */
    private void applyDns(PushedConfiguration c) {
        TunnelDns.Settings s = TunnelDns.of(c);
        if (s.isEmpty()) {
            return;
        }
        try {
            dns = TunnelDns.apply(s, options.sessionId(), c.device(), options.namespace(), options.journalDirectory(), Path.of("/"));
            log("DNS: " + TunnelDns.describe(s) + " through " + dns.target().name().toLowerCase().replace('_', ' ')
                    + (options.namespace() == null ? "" : " " + TunnelDns.namespaceFile(options.namespace())));
        } catch (IOException | RuntimeException e) {
            log("DNS: could not apply the pushed DNS servers (" + TunnelDns.describe(s) + "): " + e.getMessage());
        }
    }

    /** Stops the engine (which restores the table) and takes the addresses off. */
    private List<String> unapply(String why) {
        List<String> problems = new ArrayList<>();
        TunnelDns.Applied d = dns;
        dns = null;
        if (d != null) {
            List<String> p = d.restore();
            problems.addAll(p);
            log(p.isEmpty() ? "DNS restored (" + why + ")" : "DNS restore problems: " + p);
        }
        EnforcementSession e = enforcement;
        PushedConfiguration c = applied;
        enforcement = null;
        applied = null;
        if (e != null) {
            problems.addAll(e.stop());
            log("routes removed, table restored (" + why + ")");
        }
        if (c != null && process != null && process.isAlive()) {
            try {
                if (ownsDevice()) {
                    TunnelNetwork.deconfigureInterface(backend, c);
                }
            } catch (RoutingException | RuntimeException ex) {
                // the device may already be gone with openvpn
                log("removing the tunnel addresses: " + ex.getMessage());
            }
        }
        return problems;
    }

    private void send(String command) {
        try {
            if (channel != null && !state.isFinal()) {
                channel.send(command);
            }
        } catch (IOException e) {
            log("management: " + e.getMessage());
        }
    }

    private void onChannelClosed(Exception cause) {
        if (!state.isFinal() && state != TunnelState.DISCONNECTING) {
            fail(new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "openvpn closed the management connection"
                    + (cause == null ? "" : " (" + cause.getMessage() + ")") + tail()));
        }
    }

    private void onProcessExit(Process p) {
        if (state.isFinal() || state == TunnelState.DISCONNECTING) {
            return;
        }
        String out = tail();
        TunnelException.Reason reason = out.contains("Options error") ? TunnelException.Reason.BAD_PROFILE : TunnelException.Reason.OPENVPN_FAILED;
        fail(new TunnelException(reason, "openvpn exited with code " + p.exitValue() + out));
    }

    private void fail(TunnelException e) {
        if (!worker.isShutdown() && !isWorkerThread()) {
            worker.execute(() -> fail(e));
            return;
        }
        if (state.isFinal()) {
            return;
        }
        error = e;
        detail = e.getMessage();
        List<String> problems = teardown();
        if (!problems.isEmpty()) {
            log("restore problems: " + problems);
        }
        finish(TunnelState.FAILED);
    }

    private boolean isWorkerThread() {
        return Thread.currentThread().getName().equals("crew-tunnel-" + options.sessionId());
    }

    /** Restores the table, then ends openvpn (closing the management socket is its SIGTERM). */
    private List<String> teardown() {
        List<String> problems = unapply(state == TunnelState.DISCONNECTING ? "disconnect" : "session ended");
        if (channel != null) {
            channel.close();
        }
        Process p = process;
        if (p != null) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroy();
                    if (!p.waitFor(3, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(options.runtimeDirectory().resolve("openvpn.conf"));
        } catch (IOException ex) {
            problems.add("could not delete the runtime configuration: " + ex.getMessage());
        }
        return problems;
    }

    private void finish(TunnelState end) {
        setState(end, end == TunnelState.FAILED && error != null ? error.getMessage() : "device restored");
        SessionControl c = control;
        if (c != null) {
            c.close(); // a request being answered keeps its connection
        }
        if (error != null) {
            connected.completeExceptionally(error);
        } else {
            connected.completeExceptionally(new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "disconnected before the tunnel came up"));
        }
        try {
            Files.deleteIfExists(options.runtimeDirectory().resolve(SessionRecord.FILE));
        } catch (IOException e) {
            log("could not remove the session record: " + e.getMessage());
        }
        finished.complete(null);
        worker.shutdown();
    }

    /** The session record other processes read (crew tunnel status/attack/disconnect, the console): while not ended. */
    private void publishRecord() {
        if (state.isFinal()) {
            return;
        }
        try {
            SessionRecord.of(this).write(options.runtimeDirectory());
        } catch (IOException e) {
            log("could not write the session record (other crew processes will not see this session): " + e.getMessage());
        }
    }

    private void setState(TunnelState s, String why) {
        if (s != state) {
            state = s;
            since = Instant.now();
        }
        if (why != null && !why.isEmpty() && !s.isFinal()) {
            detail = why;
        }
        publishRecord();
        TunnelStatus status = status();
        for (TunnelListener l : listeners) {
            try {
                l.stateChanged(status);
            } catch (RuntimeException e) {
                // a listener must not break the session
            }
        }
    }

    private void log(String line) {
        synchronized (recentLog) {
            if (recentLog.size() == LOG_LINES) {
                recentLog.removeFirst();
            }
            recentLog.addLast(line);
        }
        for (TunnelListener l : listeners) {
            try {
                l.log(line);
            } catch (RuntimeException e) {
                // ignore
            }
        }
    }

    /** The end of openvpn's own output, to quote in an error. */
    private String tail() {
        try {
            if (logFile != null && Files.exists(logFile)) {
                List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
                List<String> last = lines.subList(Math.max(0, lines.size() - 6), lines.size());
                return last.isEmpty() ? "" : "\nopenvpn said:\n  " + String.join("\n  ", last);
            }
        } catch (IOException e) {
            // no log
        }
        return "";
    }
}
