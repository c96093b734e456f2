package crew.tunnel.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import crew.agent.api.AgentClient;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.device.DeviceRoute;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.routing.api.RoutingException;
import crew.tunnel.RouteAttack;
import crew.tunnel.SessionRecord;

/**
 * {@code crew tunnel attack}: what a user with admin rights would do to get around the tunnel: add a more specific
 * route through the LAN gateway. Shows how the session's engine responds, then leaves the table as it found it.
 */
@Component(service = CliCommand.class)
@Command(name = "tunnel attack", summary = "add a route that conflicts with a tunnel session's routes and show the enforcement engine's response")
public class TunnelAttackCommand implements CliCommand {

    @Reference
    RoutingBackends backends;

    @Override
    public String name() {
        return "tunnel attack";
    }

    @Override
    public String summary() {
        return "add a route that conflicts with a tunnel session's routes and show the enforcement engine's response";
    }

    @Override
    public String synopsis() {
        return "[options] [SESSION]";
    }

    @Override
    public String description() {
        return """
                Adds a route more specific than one of the session's protected routes, through the LAN gateway the
                device used before the tunnel (in the session's namespace for a lab device), then watches the routing
                table: an enforced session removes it at once; a session without enforcement leaves it, and the
                traffic to that range leaves outside the tunnel. Either way the attack route is removed at the end
                (unless --keep), so the device is left as it was found. A route with a protected route's own prefix
                replaces it (the kernel keeps one route per prefix and metric); the displaced route is put back. An
                IPv6 route goes through the device's IPv6 default route outside the tunnel, or lo when there is none.
                A route outside every protected range is no conflict, and is reported so. --json prints the result
                as one JSON object.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("route", "CIDR", "the attack route (default: a /24 inside the first protected route)"),
                Option.value("wait", "MS", "how long to watch for the engine's response (default 2000)"),
                Option.flag("keep", "leave the attack route in place if the engine does not remove it"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(1);
        Optional<AgentClient> agent = ViaAgent.agent(context, name(), false);
        if (agent.isPresent()) {
            try (AgentClient c = agent.get()) {
                return ViaAgent.attack(c, context, arguments);
            }
        }
        SessionRecord s = session(arguments);
        Cidr target;
        try {
            target = arguments.value("route").isPresent() ? Cidr.parse(arguments.value("route").get()) : defaultTarget(s);
        } catch (AddressFormatException e) {
            throw CommandException.badInput("--route " + e.getMessage());
        }
        String netns = s.namespace().isEmpty() ? null : s.namespace();
        RoutingBackend backend = TunnelCommands.backend(backends, netns);
        int wait = arguments.intValue("wait", 2000);
        try {
            Around around = around(s, target, backend);
            DeviceRoute attack = DeviceRoute.of(target, around.gateway(), around.interfaceName(), 0);
            Optional<Cidr> conflict = RouteAttack.conflictsWith(target, s.protectedRoutes());
            if (!context.json()) {
                around.note().ifPresent(n -> context.out().println("attack: " + n));
                context.out().println("attack: adding " + attack + (netns == null ? "" : " in namespace " + netns));
            }
            RouteAttack.Result result = RouteAttack.run(backend, attack, Duration.ofMillis(wait), arguments.has("keep"));
            String verdict;
            String text;
            int code;
            String displaced = result.displaced().map(DeviceRoute::toString).orElse(null);
            if (result.removedByEngine()) {
                verdict = "removed";
                text = String.format("enforced: session %s removed the conflicting route %.3f ms after it was added", s.sessionId(),
                        result.removalTime().orElse(Duration.ZERO).toNanos() / 1e6) + (displaced == null ? "" : " and restored its own " + displaced);
                code = ExitCode.OK;
            } else if (conflict.isEmpty()) {
                verdict = "no-conflict";
                boolean wider = RouteAttack.destinations(s.protectedRoutes()).stream().anyMatch(d -> d.family() == target.family() && target.contains(d));
                text = "no conflict: " + target + (wider ? " is less specific than a protected route, which still wins for its range (longest"
                        + " prefix), so CRE leaves it; the rest of " + target + " leaves through " + attack.interfaceName()
                        : " is outside the session's protected ranges " + RouteAttack.destinations(s.protectedRoutes()) + ", so CRE leaves it;"
                                + " traffic to it leaves through " + attack.interfaceName() + " as it would without the tunnel");
                code = ExitCode.OK;
            } else if (s.enforced()) {
                verdict = "not-removed";
                text = "not removed: session " + s.sessionId() + " enforces, but the route conflicting with protected " + conflict.get()
                        + " is still there after " + wait + " ms; traffic to " + target + " leaves through " + attack.interfaceName() + ", outside the tunnel";
                code = ExitCode.FINDINGS;
            } else {
                verdict = "not-enforced";
                text = "not enforced: the route conflicting with protected " + conflict.get() + " is still there after " + wait + " ms; traffic to "
                        + target + " leaves through " + attack.interfaceName() + ", outside the tunnel";
                code = ExitCode.FINDINGS;
            }
            if (context.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("session", s.sessionId());
                m.put("namespace", s.namespace());
                m.put("route", attack.toString());
                m.put("conflictsWith", conflict.map(Cidr::toString).orElse(null));
                m.put("enforced", s.enforced());
                m.put("verdict", verdict);
                m.put("removedByEngine", result.removedByEngine());
                m.put("removalMillis", result.removalTime().map(d -> d.toNanos() / 1e6).orElse(null));
                m.put("displaced", displaced);
                m.put("removedAgain", result.removedAgain());
                m.put("waitedMillis", wait);
                m.put("note", around.note().orElse(null));
                m.put("message", text);
                context.printJson(m);
                return code;
            }
            context.out().println(text);
            if (result.removedAgain()) {
                context.out().println(displaced == null ? "attack route removed again" : "attack route replaced by the displaced " + displaced + " again");
            }
            return code;
        } catch (RoutingException e) {
            throw new CommandException(e.isPermissionDenied() ? ExitCode.UNAVAILABLE : ExitCode.FAILED, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILED;
        } finally {
            TunnelCommands.close(backend, netns);
        }
    }

    /** The way around the tunnel for a route of the target's family, and what to tell about it. */
    record Around(IpAddress gateway, String interfaceName, Optional<String> note) {
    }

    /**
     * IPv4: the LAN gateway the device used before the tunnel. IPv6: the device's IPv6 default route outside the
     * tunnel; a device whose LAN carries no IPv6 (the lab's) has none, so the route points at {@code lo}, which wins
     * over the tunnel just the same.
     */
    static Around around(SessionRecord s, Cidr target, RoutingBackend backend) throws CommandException, RoutingException {
        if (target.family() == IpFamily.IPV4) {
            if (s.netGateway().isEmpty() || s.lanInterface().isEmpty()) {
                throw new CommandException(ExitCode.FAILED, "session " + s.sessionId() + " has no LAN gateway to attack through (state " + s.state() + ")");
            }
            return new Around(IpAddress.parse(s.netGateway()), s.lanInterface(), Optional.empty());
        }
        Optional<DeviceRoute> lan6 = backend.routes().stream().filter(r -> r.inMainTable() && r.destination().isDefault()
                && r.destination().family() == IpFamily.IPV6 && r.interfaceName() != null && !r.interfaceName().equals(s.device()))
                .min(Comparator.comparingInt(DeviceRoute::metric));
        if (lan6.isPresent()) {
            return new Around(lan6.get().gateway(), lan6.get().interfaceName(), Optional.empty());
        }
        return new Around(null, "lo", Optional.of("the device has no IPv6 route outside the tunnel, so the IPv6 attack route points at lo"));
    }

    private static SessionRecord session(Arguments arguments) throws CommandException {
        List<SessionRecord> live;
        try {
            live = SessionRecord.list().stream().filter(SessionRecord::ownerAlive).toList();
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        }
        if (arguments.positionals().isEmpty()) {
            if (live.size() != 1) {
                throw CommandException.badInput(live.isEmpty() ? "no tunnel session is running: start one with crew tunnel connect"
                        : "several sessions run (" + live.stream().map(SessionRecord::sessionId).toList() + "): name one");
            }
            return live.get(0);
        }
        String id = arguments.positionals().get(0);
        return live.stream().filter(r -> r.sessionId().equals(id)).findFirst()
                .orElseThrow(() -> new CommandException(ExitCode.FAILED, "no running tunnel session '" + id + "'"));
    }

    /** A /24 inside the first IPv4 protected route (for the full-tunnel halves, a documentation range inside them). */
    static Cidr defaultTarget(SessionRecord s) throws CommandException {
        return RouteAttack.defaultTarget(s.protectedRoutes())
                .orElseThrow(() -> new CommandException(ExitCode.FAILED, "session " + s.sessionId() + " protects no IPv4 route"));
    }
}
