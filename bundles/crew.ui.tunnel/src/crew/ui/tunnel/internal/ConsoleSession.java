package crew.ui.tunnel.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
import crew.tunnel.PushedConfiguration;
import crew.tunnel.RouteAttack;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelListener;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;
import crew.tunnel.TunnelStatus;

/**
 * One tunnel session run by the workbench process (no UI here): the {@link TunnelSession} on the right routing
 * backend (the lab's device namespace, or this host's best backend; the session publishes its own record under
 * $CREW_HOME/tunnel so `crew tunnel status/attack/disconnect` see it), and the attack of a lab session.
 */
final class ConsoleSession implements ConsoleTunnel {
    /** How long an attack waits for the engine's response (as `crew tunnel attack`). */
    static final Duration ATTACK_WAIT = Duration.ofMillis(2000);

    private final ProfileEntry entry;
    private final TunnelSession session;
    private final ClosableRoutingBackend owned;
    private boolean closed;

    private ConsoleSession(ProfileEntry entry, TunnelSession session, ClosableRoutingBackend owned) {
        this.entry = entry;
        this.session = session;
        this.owned = owned;
    }

    /**
     * Prepares a session (nothing runs yet). A profile CREW cannot use, a missing backend or missing privileges are a
     * {@link TunnelException} whose message says what to do.
     */
    static ConsoleSession create(ProfileEntry entry, RoutingBackends backends, Path openvpn, EnforcementMode mode, EnforcementPolicy policy,
            TunnelListener listener, EnforcementEventSink sink, String username, char[] password, char[] keyPassphrase)
            throws RoutingException {
        TunnelProfile profile = TunnelProfile.read(entry.file());
        String id = entry.sessionId();
        RoutingBackend backend;
        ClosableRoutingBackend owned = null;
        if (entry.namespace() != null) {
            owned = crew.routing.api.netns.NetworkNamespaces.require("the lab device " + entry.namespace()).backend(entry.namespace());
            backend = owned;
        } else {
            backend = backends == null ? null : backends.best().orElse(null);
            if (backend == null || "sim".equals(backend.platform())) {
                throw new TunnelException(TunnelException.Reason.DEVICE, "no live routing backend for this device: a tunnel needs one to install"
                        + " its routes (the simulated backend cannot carry a tunnel)");
            }
        }
        try {
            TunnelOptions options = TunnelOptions.defaults(id, entry.namespace()).withOpenvpn(openvpn)
                    .withEnforcement(TunnelOptions.Enforcement.AS_PUSHED, mode).withCredentials(username, password, keyPassphrase);
            TunnelSession s = new TunnelSession(profile, backend, options, policy);
            ConsoleSession c = new ConsoleSession(entry, s, owned);
            s.addEnforcementSink(sink);
            s.addListener(new TunnelListener() {
                @Override
                public void stateChanged(TunnelStatus status) {
                    listener.stateChanged(status);
                }

                @Override
                public void log(String line) {
                    listener.log(line);
                }
            });
            s.finished().thenRun(c::cleanUp);
            return c;
        } catch (RuntimeException e) {
            if (owned != null) {
                owned.close();
            }
            throw e;
        }
    }

    @Override
    public ProfileEntry entry() {
        return entry;
    }

    TunnelSession session() {
        return session;
    }

    @Override
    public TunnelStatus status() {
        return session.status();
    }

    /** Blocks until connected; a failure is a {@link TunnelException} and the device is restored. */
    @Override
    public void connect() {
        session.connect();
    }

    /** Blocks until the table is restored; returns restore problems. */
    @Override
    public List<String> disconnect() {
        List<String> problems = session.disconnect();
        cleanUp();
        return problems;
    }

    /** An attack makes sense in a lab session (the device is the lab's namespace), once connected. */
    @Override
    public boolean canAttack() {
        return entry.namespace() != null && session.status().state() == crew.tunnel.TunnelState.CONNECTED;
    }

    /** The attack route: a /24 inside the first protected IPv4 route, through the LAN gateway the device had before. */
    DeviceRoute attackRoute() {
        TunnelStatus s = session.status();
        Cidr target = RouteAttack.defaultTarget(s.protectedRoutes().stream().map(r -> r.destination().toString()).toList())
                .orElseThrow(() -> new IllegalStateException("the session protects no IPv4 route to attack"));
        DeviceRoute lan = session.lanRoute().filter(r -> r.gateway() != null && r.interfaceName() != null).orElseThrow(
                () -> new IllegalStateException("the device had no LAN gateway before the tunnel: nothing to route around it through"));
        IpAddress gateway = s.configuration().flatMap(PushedConfiguration::netGateway).orElse(lan.gateway());
        return DeviceRoute.of(target, gateway, lan.interfaceName(), 0);
    }

    /**
     * Adds the attack route in the device namespace through its own routing backend (as another process would),
     * watches the routing events for its removal, and removes it again when the engine does not.
     */
    @Override
    public RouteAttack.Result attack() throws RoutingException, InterruptedException {
        if (entry.namespace() == null) {
            throw new IllegalStateException("the attack is for lab sessions: it changes the lab device's table, not this computer's");
        }
        DeviceRoute route = attackRoute();
        try (ClosableRoutingBackend attacker = crew.routing.api.netns.NetworkNamespaces.require("the lab device " + entry.namespace()).backend(entry.namespace())) {
            return RouteAttack.run(attacker, route, ATTACK_WAIT, false);
        }
    }

    @Override
    public java.util.Optional<Duration> connectTime() {
        return session.connectTime();
    }

    @Override
    public String where() {
        return "this workbench";
    }

    private synchronized void cleanUp() {
        if (owned != null && !closed && session.finished().isDone()) {
            closed = true;
            owned.close();
        }
    }
}
