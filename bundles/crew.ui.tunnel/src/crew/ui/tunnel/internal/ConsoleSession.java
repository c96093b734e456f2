package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import crew.enforce.EnforcementEventSink;
import crew.enforce.EnforcementMode;
import crew.enforce.EnforcementPolicy;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.routing.api.RoutingException;
import crew.routing.linux.LinuxRouting;
import crew.tunnel.PushedConfiguration;
import crew.tunnel.RouteAttack;
import crew.tunnel.SessionRecord;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelListener;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;
import crew.tunnel.TunnelStatus;

/**
 * One tunnel session run by the workbench process (no UI here): the {@link TunnelSession} on the right routing
 * backend (the lab's device namespace, or this host's best backend), its session record published under
 * $CREW_HOME/tunnel so `crew tunnel status/attack/disconnect` see it, and the attack of a lab session.
 */
final class ConsoleSession {
    /** How long an attack waits for the engine's response (as `crew tunnel attack`). */
    static final Duration ATTACK_WAIT = Duration.ofMillis(2000);

    private final ProfileEntry entry;
    private final TunnelSession session;
    private final ClosableRoutingBackend owned;
    private final String lanInterface;
    private final IpAddress lanGateway;
    private boolean closed;

    private ConsoleSession(ProfileEntry entry, TunnelSession session, ClosableRoutingBackend owned, String lanInterface, IpAddress lanGateway) {
        this.entry = entry;
        this.session = session;
        this.owned = owned;
        this.lanInterface = lanInterface;
        this.lanGateway = lanGateway;
    }

    /**
     * Prepares a session (nothing runs yet). A profile CREW cannot use, a missing backend or missing privileges are a
     * {@link TunnelException} whose message says what to do.
     */
    static ConsoleSession create(ProfileEntry entry, RoutingBackends backends, Path openvpn, EnforcementMode mode, EnforcementPolicy policy,
            TunnelListener listener, EnforcementEventSink sink, String username, char[] password, char[] keyPassphrase)
            throws RoutingException, IOException {
        TunnelProfile profile = TunnelProfile.read(entry.file());
        String id = entry.sessionId();
        Optional<SessionRecord> running = SessionRecord.list().stream().filter(r -> r.sessionId().equals(id) && r.ownerAlive()).findFirst();
        if (running.isPresent()) {
            throw new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "session '" + id + "' already runs in process " + running.get().ownerPid()
                    + ": disconnect it first (Sessions tab)");
        }
        RoutingBackend backend;
        ClosableRoutingBackend owned = null;
        if (entry.namespace() != null) {
            owned = LinuxRouting.namespace(entry.namespace());
            backend = owned;
        } else {
            backend = backends == null ? null : backends.best().orElse(null);
            if (backend == null || "sim".equals(backend.platform())) {
                throw new TunnelException(TunnelException.Reason.DEVICE, "no live routing backend for this device: a tunnel needs one to install"
                        + " its routes (the simulated backend cannot carry a tunnel)");
            }
        }
        try {
            Optional<DeviceRoute> lan = backend.routes().stream()
                    .filter(r -> r.inMainTable() && r.destination().isDefault() && r.destination().family().bits() == 32)
                    .min(Comparator.comparingInt(DeviceRoute::metric));
            TunnelOptions options = TunnelOptions.defaults(id, entry.namespace()).withOpenvpn(openvpn)
                    .withEnforcement(TunnelOptions.Enforcement.AS_PUSHED, mode).withCredentials(username, password, keyPassphrase);
            TunnelSession s = new TunnelSession(profile, backend, options, policy);
            ConsoleSession c = new ConsoleSession(entry, s, owned, lan.map(DeviceRoute::interfaceName).orElse(null),
                    lan.map(DeviceRoute::gateway).orElse(null));
            s.addEnforcementSink(sink);
            s.addListener(new TunnelListener() {
                @Override
                public void stateChanged(TunnelStatus status) {
                    c.publish();
                    listener.stateChanged(status);
                }

                @Override
                public void log(String line) {
                    listener.log(line);
                }
            });
            s.finished().thenRun(c::cleanUp);
            return c;
        } catch (RoutingException | RuntimeException e) {
            if (owned != null) {
                owned.close();
            }
            throw e;
        }
    }

    ProfileEntry entry() {
        return entry;
    }

    TunnelSession session() {
        return session;
    }

    TunnelStatus status() {
        return session.status();
    }

    /** Blocks until connected; a failure is a {@link TunnelException} and the device is restored. */
    void connect() {
        session.connect();
    }

    /** Blocks until the table is restored; returns restore problems. */
    List<String> disconnect() {
        List<String> problems = session.disconnect();
        cleanUp();
        return problems;
    }

    /** An attack makes sense in a lab session (the device is the lab's namespace), once connected. */
    boolean canAttack() {
        return entry.namespace() != null && session.status().state() == crew.tunnel.TunnelState.CONNECTED;
    }

    /** The attack route: a /24 inside the first protected IPv4 route, through the LAN gateway the device had before. */
    DeviceRoute attackRoute() {
        TunnelStatus s = session.status();
        Cidr target = RouteAttack.defaultTarget(s.protectedRoutes().stream().map(r -> r.destination().toString()).toList())
                .orElseThrow(() -> new IllegalStateException("the session protects no IPv4 route to attack"));
        IpAddress gateway = s.configuration().flatMap(PushedConfiguration::netGateway).orElse(lanGateway);
        if (gateway == null || lanInterface == null) {
            throw new IllegalStateException("the device had no LAN gateway before the tunnel: nothing to route around it through");
        }
        return DeviceRoute.of(target, gateway, lanInterface, 0);
    }

    /**
     * Adds the attack route in the device namespace through its own routing backend (as another process would),
     * watches the routing events for its removal, and removes it again when the engine does not.
     */
    RouteAttack.Result attack() throws RoutingException, InterruptedException {
        if (entry.namespace() == null) {
            throw new IllegalStateException("the attack is for lab sessions: it changes the lab device's table, not this computer's");
        }
        DeviceRoute route = attackRoute();
        try (ClosableRoutingBackend attacker = LinuxRouting.namespace(entry.namespace())) {
            return RouteAttack.run(attacker, route, ATTACK_WAIT, false);
        }
    }

    /** Writes the session record other crew processes read. */
    private void publish() {
        try {
            if (!session.status().state().isFinal()) {
                SessionRecord.of(session, entry.file(), lanInterface).write(session.options().runtimeDirectory());
            }
        } catch (IOException e) {
            // the console still shows the session; only other processes miss it
        }
    }

    private synchronized void cleanUp() {
        try {
            Files.deleteIfExists(session.options().runtimeDirectory().resolve("session.json"));
        } catch (IOException e) {
            // a stale record names a dead process: readers mark it so
        }
        if (owned != null && !closed && session.finished().isDone()) {
            closed = true;
            owned.close();
        }
    }
}
