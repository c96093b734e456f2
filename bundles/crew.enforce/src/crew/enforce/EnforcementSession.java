package crew.enforce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import crew.enforce.EnforcementEvent.Kind;
import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpFamily;
import crew.routing.api.BatchResult;
import crew.routing.api.PolicyRule;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.RoutingListener;
import crew.routing.api.Subscription;
import crew.routing.inspect.RouteClass;
import crew.routing.inspect.RouteClassifier;

/**
 * One enforced session: snapshot the table, install the protected routes, then protect them — react to every routing
 * event (a full reconcile on a timer and after overruns backs the events up), remove conflicting routes in batches,
 * re-assert protected routes, rate-limit fights — and on stop restore the device to its pre-session table. A
 * write-ahead journal lets the next start or {@code crew enforce --recover} restore the device after a crash.
 */
public final class EnforcementSession implements RouteClassifier, AutoCloseable {
    /** Route protocol number CREW's own routes carry, so they can be recognised even without a journal. */
    public static final String CREW_PROTOCOL = "197";
    /** STRICT mode's table for pinned protected routes, and the priority of its pinning rules. */
    public static final int CREW_TABLE = 197;
    public static final int CREW_RULE_PRIORITY = 197;
    /** More repairs of one destination than this within {@link #FIGHT_WINDOW_NANOS} is a fight. */
    static final int FIGHT_REPAIRS = 10;
    static final long FIGHT_WINDOW_NANOS = 1_000_000_000L;

    private final SessionSpec spec;
    private final RoutingBackend backend;
    private final EnforcementPolicy policy;
    private final List<EnforcementEventSink> sinks = new CopyOnWriteArrayList<>();
    private final ConflictRule rule;
    private final List<DeviceRoute> expected = new ArrayList<>();
    /** The expected routes by their kernel identity ({@link DeviceRoute#key()} as a value, not text). */
    private final Map<KernelKey, DeviceRoute> expectedByKey = new HashMap<>();
    private final List<DeviceRoute> bypass = new ArrayList<>();
    private final List<PolicyRule> pinningRules = new ArrayList<>();
    private final Set<DeviceRestorer.Identity> snapshotIdentities = new HashSet<>();
    private final List<DeviceRoute> removedPreexisting = new ArrayList<>();
    /** Pre-session policy rules, by the identity the kernel reports back; and those this session removed. */
    private final Set<PolicyRule> snapshotRules = new HashSet<>();
    private final List<PolicyRule> removedPreexistingRules = new ArrayList<>();
    private final Map<Cidr, long[]> repairTimes = new HashMap<>();
    private final EnforcementMetrics metrics = new EnforcementMetrics();
    private final Path journalFile;
    /**
     * While the reader thread handles a batch of events: the audit events it produced, delivered to the sinks after the
     * deletes have been sent (sinks write files and the console; that must not delay a removal). Guarded by this.
     */
    private List<Runnable> deferredEvents;
    private RouteJournal journal;
    private Subscription subscription;
    private ScheduledExecutorService timer;
    private volatile boolean running;
    private boolean filterInstalled;

    public EnforcementSession(SessionSpec spec, RoutingBackend backend, EnforcementPolicy policy, Path journalFile) {
        this.spec = spec;
        this.backend = backend;
        this.policy = policy == null ? c -> EnforcementPolicy.Decision.REMEDIATE : policy;
        this.rule = new ConflictRule(spec);
        this.journalFile = journalFile;
        for (Cidr p : spec.protectedDestinations()) {
            boolean sameFamily = spec.tunnelGateway() != null && spec.tunnelGateway().family() == p.family();
            expected.add(asKernelStores(new DeviceRoute(p, sameFamily ? spec.tunnelGateway() : null, spec.tunnelInterface(), 0, 0,
                    DeviceRoute.MAIN_TABLE, CREW_PROTOCOL, null, RouteType.UNICAST, null, Set.of())));
        }
        for (DeviceRoute b : spec.bypassRoutes()) {
            bypass.add(asKernelStores(b));
        }
        for (DeviceRoute x : expected) {
            expectedByKey.putIfAbsent(KernelKey.of(x), x);
        }
    }

    /** What {@link DeviceRoute#key()} says as text: two routes with the same key cannot coexist in a Linux table. */
    private record KernelKey(Cidr destination, int table, int metric, RouteType type) {
        static KernelKey of(DeviceRoute r) {
            return new KernelKey(r.destination(), r.table(), r.metric(), r.type());
        }
    }

    /** Linux stores an IPv6 route added with metric 0 under metric 1024; say so up front, so identities match. */
    static DeviceRoute asKernelStores(DeviceRoute r) {
        return r.metric() == 0 && r.destination().family() == IpFamily.IPV6 ? r.withMetric(1024) : r;
    }

    public void addSink(EnforcementEventSink sink) {
        sinks.add(sink);
    }

    public SessionSpec spec() {
        return spec;
    }

    public EnforcementMetrics metrics() {
        return metrics;
    }

    /** The routes this session installs and protects (plus, in STRICT mode, their copies in CREW's table). */
    public List<DeviceRoute> protectedRoutes() {
        return List.copyOf(expected);
    }

    private void emit(Kind kind, Object route, String detail) {
        emit(kind, route, () -> detail);
    }

    /**
     * Reports an audit event. While a batch of routing events is handled, the event (with the time of this call) is
     * formatted and delivered only after the batch's deletes are sent.
     */
    private void emit(Kind kind, Object route, java.util.function.Supplier<String> detail) {
        if (sinks.isEmpty()) {
            return;
        }
        if (Thread.holdsLock(this) && deferredEvents != null) {
            java.time.Instant time = java.time.Instant.now();
            deferredEvents.add(() -> deliver(new EnforcementEvent(time, spec.sessionId(), kind, route == null ? null : route.toString(),
                    detail.get(), List.of(EnforcementEvent.TAG, EnforcementEvent.tagOf(kind)))));
            return;
        }
        deliver(EnforcementEvent.of(spec.sessionId(), kind, route, detail.get()));
    }

    private void deliver(EnforcementEvent e) {
        for (EnforcementEventSink s : sinks) {
            try {
                s.accept(e);
            } catch (RuntimeException ex) {
                // an audit sink must not break enforcement
            }
        }
    }

    /** Snapshots the table, installs the session's routes, removes existing conflicts and starts protecting. */
    public synchronized void start() throws RoutingException, IOException {
        List<DeviceRoute> snapshot = backend.routes();
        refuseOverlapWithAnotherSession(snapshot);
        for (DeviceRoute r : snapshot) {
            snapshotIdentities.add(DeviceRestorer.identity(r));
        }
        // the modes that remove diverting rules journal the user's rules, so that each comes back as routes do
        List<PolicyRule> ruleSnapshot = spec.mode() == EnforcementMode.AWS ? List.of() : backend.rules();
        for (PolicyRule r : ruleSnapshot) {
            snapshotRules.add(DeviceRestorer.ruleIdentity(r));
        }
        Optional<crew.routing.api.NamespaceIdentity> namespace = backend.namespaceIdentity();
        // known as running here before its journal exists, so that no recovery in this process takes it for a crash
        if (!Recovery.sessionStarted(journalFile)) {
            throw new java.nio.file.FileAlreadyExistsException(journalFile + " (a session of this process uses it)");
        }
        try {
            journal = RouteJournal.create(journalFile);
        } catch (IOException | RuntimeException e) {
            Recovery.sessionEnded(journalFile);
            throw e;
        }
        try {
            journal.begin(spec, backend.platform(), namespace, snapshot, ruleSnapshot);
        } catch (IOException e) {
            // nothing was changed yet: no journal is needed
            Recovery.sessionEnded(journalFile);
            journal.delete();
            journal = null;
            throw e;
        }
        // subscribe before installing, so nothing between the snapshot and protection goes unseen
        subscription = backend.subscribe(new RoutingListener() {
            @Override
            public void onEvent(RoutingEvent event) {
                onEvents(List.of(event));
            }

            @Override
            public void onEvents(List<RoutingEvent> events) {
                handle(events);
            }
        });
        running = true;
        try {
            for (DeviceRoute b : bypass) {
                installOwn(b);
            }
            for (DeviceRoute r : expected) {
                installOwn(r);
            }
            if (spec.mode() == EnforcementMode.STRICT) {
                pinProtectedDestinations();
                installLeakFilter();
            }
            emit(Kind.SESSION_STARTED, null, spec.protectedDestinations().size() + " protected destinations through " + spec.tunnelInterface()
                    + ", mode " + spec.mode().name().toLowerCase());
            reconcile(backend.routes(), spec.mode() == EnforcementMode.AWS ? List.of() : backend.rules(), "start");
        } catch (RoutingException | IOException | RuntimeException e) {
            stop();
            throw e;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crew-enforce-reconcile-" + spec.sessionId());
            t.setDaemon(true);
            return t;
        });
        long period = spec.reconcileInterval().toMillis();
        timer.scheduleWithFixedDelay(this::periodicReconcile, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Another CREW session already protects part of what this one would: its routes (CREW's protocol) are in the
     * table. Two engines on one table remove each other's routes without end, whichever CREW home, process or
     * command started them, so the second is refused before it changes anything.
     */
    private void refuseOverlapWithAnotherSession(List<DeviceRoute> table) {
        List<String> overlaps = new ArrayList<>();
        for (DeviceRoute r : table) {
            if (!CREW_PROTOCOL.equals(r.protocol())) {
                continue;
            }
            for (Cidr p : spec.protectedDestinations()) {
                if (p.family() == r.destination().family() && p.overlaps(r.destination())) {
                    overlaps.add(r + (p.equals(r.destination()) ? "" : " (overlaps " + p + ")"));
                    break;
                }
            }
        }
        if (!overlaps.isEmpty()) {
            throw new OverlappingSessionException("another CREW session protects routes that overlap session " + spec.sessionId() + "'s: "
                    + String.join("; ", overlaps) + ". Two sessions on one table would remove each other's routes: end that session first"
                    + " (or, if it crashed, recover it: crew enforce --recover)");
        }
    }

    /** A session refused because another one on the same table protects overlapping routes. */
    public static final class OverlappingSessionException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        OverlappingSessionException(String message) {
            super(message);
        }
    }

    private void installOwn(DeviceRoute r) throws RoutingException, IOException {
        journal.install(r);
        try {
            backend.add(r);
        } catch (RoutingException e) {
            if (!e.isAlreadyExists()) {
                throw e;
            }
            backend.replace(r);
        }
        emit(Kind.ROUTE_INSTALLED, r, "installed by the session");
    }

    private void pinProtectedDestinations() throws RoutingException, IOException {
        for (DeviceRoute r : expected) {
            installOwn(r.withTable(CREW_TABLE));
            PolicyRule pin = new PolicyRule(r.destination().family(), CREW_RULE_PRIORITY, CREW_TABLE, "lookup", null, r.destination(), null, null,
                    0, 0, false);
            journal.installRule(pin);
            try {
                backend.addRule(pin);
            } catch (RoutingException e) {
                if (!e.isAlreadyExists()) {
                    throw e;
                }
            }
            pinningRules.add(pin);
            emit(Kind.ROUTE_INSTALLED, pin, "pins " + r.destination() + " to table " + CREW_TABLE);
        }
    }

    /** nftables table name of this session's strict-mode filter. */
    String filterName() {
        return "crew_" + spec.sessionId().replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** STRICT: drop protected destinations leaving any other interface than the tunnel, so tampering leaks nothing. */
    private void installLeakFilter() throws RoutingException, IOException {
        if (!(backend instanceof crew.routing.api.PacketFilter filter)) {
            emit(Kind.ERROR, null, "the " + backend.platform() + " backend has no packet filter: strict mode protects by pinning only");
            return;
        }
        List<Cidr> exceptions = new ArrayList<>(spec.exemptDestinations());
        exceptions.addAll(spec.ignoredRanges());
        bypass.forEach(b -> exceptions.add(b.destination()));
        journal.installFilter(filterName());
        filter.dropUnlessVia(filterName(), spec.protectedDestinations(), exceptions, spec.tunnelInterface());
        filterInstalled = true;
        emit(Kind.ROUTE_INSTALLED, null, "packet filter " + filterName() + ": protected destinations may leave only through "
                + spec.tunnelInterface());
    }

    private void periodicReconcile() {
        if (!running) {
            return;
        }
        try {
            synchronized (this) {
                if (running) {
                    reconcile(backend.routes(), spec.mode() == EnforcementMode.AWS ? List.of() : backend.rules(), "timer");
                }
            }
        } catch (RoutingException | RuntimeException e) {
            emit(Kind.ERROR, null, "reconcile failed: " + e.getMessage());
        }
    }

    /** Events from the backend's reader thread, in order; a flood arrives as one list and is remediated in one batch. */
    private void handle(List<RoutingEvent> events) {
        if (!running) {
            return;
        }
        synchronized (this) {
            if (!running) {
                return;
            }
            deferredEvents = new ArrayList<>();
            try {
                handleBatch(events);
            } finally {
                List<Runnable> audit = deferredEvents;
                deferredEvents = null;
                audit.forEach(Runnable::run);
            }
        }
    }

    /** Detects, then removes the conflicts in one batch, then re-asserts protected routes; audit events wait. */
    private void handleBatch(List<RoutingEvent> events) {
        List<DeviceRoute> conflicting = new ArrayList<>();
        long firstSeen = 0;
        Set<DeviceRoute> missing = new java.util.LinkedHashSet<>();
        for (RoutingEvent e : events) {
            if (e instanceof RoutingEvent.RouteAdded a) {
                Optional<Conflict> c = rule.check(a.route());
                if (c.isPresent() && decide(c.get())) {
                    conflicting.add(a.route());
                    firstSeen = firstSeen == 0 ? a.receivedNanos() : firstSeen;
                    DeviceRoute replaced = expectedByKey.get(KernelKey.of(a.route())); // same key: it replaced ours
                    if (replaced != null) {
                        missing.add(replaced);
                    }
                }
            } else if (e instanceof RoutingEvent.RouteRemoved r) {
                DeviceRoute x = expectedByKey.get(KernelKey.of(r.route()));
                if (x != null && DeviceRestorer.identity(x).equals(DeviceRestorer.identity(r.route()))) {
                    missing.add(x);
                    emit(Kind.CONFLICT_DETECTED, r.route(), "protected route removed");
                }
            } else if (e instanceof RoutingEvent.RuleAdded ra && spec.mode() != EnforcementMode.AWS) {
                Optional<Cidr> diverted = rule.divertedBy(ra.rule(), CREW_TABLE);
                if (diverted.isPresent()) {
                    removeRule(ra.rule(), diverted.get());
                }
            } else if (e instanceof RoutingEvent.RuleRemoved rr && pinningRules.stream().anyMatch(p -> samePin(p, rr.rule()))) {
                try {
                    backend.addRule(pinningRules.stream().filter(p -> samePin(p, rr.rule())).findFirst().orElseThrow());
                    emit(Kind.PROTECTED_ROUTE_RESTORED, rr.rule(), "pinning rule re-asserted");
                } catch (RoutingException ex) {
                    if (!ex.isAlreadyExists()) {
                        emit(Kind.ERROR, rr.rule(), "could not re-assert pinning rule: " + ex.getMessage());
                    }
                }
            } else if (e instanceof RoutingEvent.Overrun o) {
                emit(Kind.OVERRUN, null, o.reason());
                if (!o.routes().isEmpty()) {
                    reconcile(o.routes(), spec.mode() == EnforcementMode.AWS ? List.of() : o.rules(), "overrun");
                } else {
                    periodicReconcile();
                }
            }
        }
        remediate(conflicting, firstSeen);
        for (DeviceRoute x : missing) {
            reassert(x);
        }
    }

    private static boolean samePin(PolicyRule a, PolicyRule b) {
        return a.priority() == b.priority() && a.table() == b.table() && java.util.Objects.equals(a.to(), b.to());
    }

    private boolean decide(Conflict c) {
        metrics.conflictsSeen.incrementAndGet();
        emit(Kind.CONFLICT_DETECTED, c.route(), c::reason);
        EnforcementPolicy.Decision d = policy.onConflict(c);
        if (d == EnforcementPolicy.Decision.DISCONNECT) {
            emit(Kind.ERROR, c.route(), "policy asks to disconnect");
            running = false; // the owner (tunnel) sees isRunning() false and stops the session
            return false;
        }
        return d == EnforcementPolicy.Decision.REMEDIATE;
    }

    /** Whether the session still protects (a DISCONNECT policy decision ends it). */
    public boolean isRunning() {
        return running;
    }

    private void remediate(List<DeviceRoute> conflicting, long firstSeenNanos) {
        if (conflicting.isEmpty()) {
            return;
        }
        List<DeviceRoute> now = new ArrayList<>();
        for (DeviceRoute r : conflicting) {
            if (fighting(r.destination())) {
                continue;
            }
            if (snapshotIdentities.contains(DeviceRestorer.identity(r))) {
                try {
                    journal.remove(r); // the user's own route: journal it so it comes back after the session
                    removedPreexisting.add(r);
                } catch (IOException e) {
                    emit(Kind.ERROR, r, "journal write failed, route left in place: " + e.getMessage());
                    continue;
                }
            }
            now.add(r);
        }
        if (now.isEmpty()) {
            return;
        }
        BatchResult result = backend.deleteAll(now);
        long done = System.nanoTime();
        if (firstSeenNanos != 0) {
            metrics.recordRemediation(done - firstSeenNanos, result.done().size());
        }
        for (DeviceRoute r : result.done()) {
            metrics.removals.incrementAndGet();
            emit(Kind.ROUTE_REMOVED, r, "conflicting route removed");
        }
        for (BatchResult.Failure f : result.failed()) {
            emit(Kind.ERROR, f.route(), "could not remove: " + f.error().getMessage());
        }
    }

    /** Counts a repair of {@code destination}; true when it is a fight and the repair must wait for the timer. */
    private boolean fighting(Cidr destination) {
        long now = System.nanoTime();
        long[] times = repairTimes.computeIfAbsent(destination, d -> new long[FIGHT_REPAIRS]);
        // times is a ring of the last FIGHT_REPAIRS repair times; slot 0 holds the count in its sign-free use below
        int count = 0;
        long oldest = Long.MAX_VALUE;
        int oldestIndex = 0;
        for (int i = 0; i < times.length; i++) {
            if (times[i] != 0 && now - times[i] < FIGHT_WINDOW_NANOS) {
                count++;
            }
            if (times[i] < oldest) {
                oldest = times[i];
                oldestIndex = i;
            }
        }
        if (count >= FIGHT_REPAIRS) {
            if (metrics.fights.get() == 0 || count == FIGHT_REPAIRS) {
                metrics.fights.incrementAndGet();
                emit(Kind.FIGHT, destination, "repaired " + count + " times within a second: repairs now wait for the next reconcile");
            }
            return true;
        }
        times[oldestIndex] = now;
        return false;
    }

    private void reassert(DeviceRoute x) {
        if (fighting(x.destination())) {
            return;
        }
        try {
            backend.replace(x);
            metrics.restores.incrementAndGet();
            emit(Kind.PROTECTED_ROUTE_RESTORED, x, "protected route re-asserted");
        } catch (RoutingException e) {
            emit(Kind.ERROR, x, "could not re-assert: " + e.getMessage());
        }
    }

    private void removeRule(PolicyRule r, Cidr diverted) {
        boolean users = snapshotRules.contains(DeviceRestorer.ruleIdentity(r));
        if (users) {
            try {
                journal.removeRule(r); // the user's own rule: journal it so it comes back after the session
            } catch (IOException e) {
                emit(Kind.ERROR, r, "journal write failed, rule left in place: " + e.getMessage());
                return;
            }
            removedPreexistingRules.add(r);
        }
        try {
            backend.deleteRule(r);
            emit(Kind.RULE_REMOVED, r, "policy rule diverted protected " + diverted + " away from the main table");
        } catch (RoutingException e) {
            if (!e.isNotFound()) {
                emit(Kind.ERROR, r, "could not remove rule: " + e.getMessage());
            }
        }
    }

    /** Compares a full table with what the session expects and repairs the difference (one batch of deletes). */
    private void reconcile(List<DeviceRoute> table, List<PolicyRule> rules, String why) {
        metrics.reconcileRuns.incrementAndGet();
        List<DeviceRoute> conflicting = new ArrayList<>();
        Set<DeviceRestorer.Identity> present = new HashSet<>();
        for (DeviceRoute r : table) {
            present.add(DeviceRestorer.identity(r));
            Optional<Conflict> c = rule.check(r);
            if (c.isPresent() && decide(c.get())) {
                conflicting.add(r);
            }
        }
        remediate(conflicting, 0);
        for (DeviceRoute x : expected) {
            if (!present.contains(DeviceRestorer.identity(x))) {
                reassert(x);
            }
        }
        for (PolicyRule r : rules) {
            rule.divertedBy(r, CREW_TABLE).ifPresent(d -> removeRule(r, d));
        }
        if (!"timer".equals(why) || !conflicting.isEmpty()) {
            emit(Kind.RECONCILED, null, "full reconcile (" + why + "): " + table.size() + " routes, " + conflicting.size() + " conflicts");
        }
    }

    /** Stops protecting and restores the pre-session table; returns problems that could not be fixed. */
    public List<String> stop() {
        List<String> problems = new ArrayList<>();
        synchronized (this) {
            running = false;
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (journal == null) {
            return problems;
        }
        List<DeviceRoute> installed = new ArrayList<>(bypass);
        installed.addAll(expected);
        if (spec.mode() == EnforcementMode.STRICT) {
            for (DeviceRoute r : expected) {
                installed.add(r.withTable(CREW_TABLE));
            }
        }
        if (filterInstalled && backend instanceof crew.routing.api.PacketFilter filter) {
            try {
                filter.removeFilter(filterName());
                filterInstalled = false;
            } catch (RoutingException e) {
                problems.add("could not remove packet filter " + filterName() + ": " + e.getMessage());
            }
        }
        try {
            problems.addAll(DeviceRestorer.restore(backend, installed, pinningRules, removedPreexisting, removedPreexistingRules,
                    line -> emit(line.startsWith("restored") ? Kind.ROUTE_RESTORED : Kind.ROUTE_REMOVED, null, line)));
        } catch (RoutingException e) {
            problems.add("restore failed: " + e.getMessage() + " (the journal " + journal.file() + " is kept for crew enforce --recover)");
        }
        try {
            if (problems.isEmpty()) {
                journal.end();
                journal.delete();
            } else {
                journal.close();
            }
        } catch (IOException e) {
            problems.add("journal: " + e.getMessage());
        }
        Recovery.sessionEnded(journalFile);
        journal = null;
        emit(Kind.SESSION_STOPPED, null, problems.isEmpty() ? "device restored" : "restored with problems: " + problems);
        return problems;
    }

    @Override
    public void close() {
        stop();
    }

    /** Inspector integration: this session's routes are protected, its conflicts are conflicting. */
    @Override
    public Optional<Classification> classify(DeviceRoute route, List<DeviceRoute> table) {
        if (!running) {
            return Optional.empty();
        }
        for (DeviceRoute x : expected) {
            if (x.destination().equals(route.destination()) && spec.tunnelInterface().equals(route.interfaceName())) {
                return Optional.of(new Classification(RouteClass.PROTECTED, "protected by session " + spec.sessionId()));
            }
        }
        return rule.check(route).map(c -> new Classification(RouteClass.CONFLICTING, c.reason()));
    }

    /** A short status, for commands and the console. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session", spec.sessionId());
        m.put("running", running);
        m.put("mode", spec.mode().name().toLowerCase());
        m.put("interface", spec.tunnelInterface());
        m.put("protected", spec.protectedDestinations().stream().map(Cidr::toString).toList());
        m.put("families", spec.protectedDestinations().stream().map(Cidr::family).distinct().map(IpFamily::toString).toList());
        m.putAll(metrics.toMap());
        return m;
    }
}
