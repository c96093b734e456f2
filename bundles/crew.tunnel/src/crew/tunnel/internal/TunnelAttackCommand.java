package crew.tunnel.internal;

import java.io.IOException;
import java.util.List;
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
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.routing.api.RoutingException;
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
            target = AttackReport.target(s, arguments.value("route").orElse(null));
        } catch (AddressFormatException e) {
            throw CommandException.badInput("--route " + e.getMessage());
        } catch (AttackReport.Refused e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage());
        }
        String netns = s.namespace().isEmpty() ? null : s.namespace();
        RoutingBackend backend = TunnelCommands.backend(backends, netns);
        int wait = arguments.intValue("wait", 2000);
        try {
            AttackReport report = AttackReport.attack(s, backend, target, wait, arguments.has("keep"), line -> {
                if (!context.json()) {
                    context.out().println(line);
                }
            }).report();
            return print(context, report, false);
        } catch (AttackReport.Refused e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage());
        } catch (RoutingException e) {
            throw new CommandException(e.isPermissionDenied() ? ExitCode.UNAVAILABLE : ExitCode.FAILED, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILED;
        } finally {
            TunnelCommands.close(backend, netns);
        }
    }

    /**
     * Prints a report as the command does and returns its exit code: with {@code --json} its map, else (the
     * preamble too when {@code withPreamble}; in-process it was printed as the attack began) its lines. Shared with
     * the client of the agent, so both print the same.
     */
    static int print(CommandContext context, AttackReport report, boolean withPreamble) {
        if (context.json()) {
            context.printJson(report.toMap());
            return report.exitCode();
        }
        if (withPreamble) {
            report.preamble().forEach(context.out()::println);
        }
        report.result().forEach(context.out()::println);
        return report.exitCode();
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
}
