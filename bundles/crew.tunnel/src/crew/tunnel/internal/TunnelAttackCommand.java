package crew.tunnel.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import crew.agent.api.AgentClient;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.device.DeviceRoute;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
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
                (unless --keep), so the device is left as it was found.""";
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
        if (s.netGateway().isEmpty() || s.lanInterface().isEmpty()) {
            throw new CommandException(ExitCode.FAILED, "session " + s.sessionId() + " has no LAN gateway to attack through (state " + s.state() + ")");
        }
        Cidr target;
        try {
            target = arguments.value("route").isPresent() ? Cidr.parse(arguments.value("route").get()) : defaultTarget(s);
        } catch (AddressFormatException e) {
            throw CommandException.badInput("--route " + e.getMessage());
        }
        DeviceRoute attack = DeviceRoute.of(target, IpAddress.parse(s.netGateway()), s.lanInterface(), 0);
        String netns = s.namespace().isEmpty() ? null : s.namespace();
        RoutingBackend backend = TunnelCommands.backend(backends, netns);
        int wait = arguments.intValue("wait", 2000);
        try {
            context.out().println("attack: adding " + attack + (netns == null ? "" : " in namespace " + netns));
            RouteAttack.Result result = RouteAttack.run(backend, attack, Duration.ofMillis(wait), arguments.has("keep"));
            if (result.removedByEngine()) {
                context.out().printf("enforced: session %s removed the conflicting route %.3f ms after it was added%n", s.sessionId(),
                        result.removalTime().orElse(Duration.ZERO).toNanos() / 1e6);
                return ExitCode.OK;
            }
            context.out().println("not enforced: the route is still there after " + wait + " ms; traffic to " + target
                    + " leaves through " + s.lanInterface() + ", outside the tunnel");
            if (result.removedAgain()) {
                context.out().println("attack route removed again");
            }
            return ExitCode.FINDINGS;
        } catch (RoutingException e) {
            throw new CommandException(e.isPermissionDenied() ? ExitCode.UNAVAILABLE : ExitCode.FAILED, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILED;
        } finally {
            TunnelCommands.close(backend, netns);
        }
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
