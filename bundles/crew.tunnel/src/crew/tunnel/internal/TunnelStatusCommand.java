package crew.tunnel.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import crew.agent.api.AgentClient;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.tunnel.SessionRecord;

/** {@code crew tunnel status}: the tunnel sessions of this machine. */
@Component(service = CliCommand.class)
@Command(name = "tunnel status", summary = "show the tunnel sessions CREW runs (state, device, enforcement, protected routes)")
public class TunnelStatusCommand implements CliCommand {

    @Override
    public String name() {
        return "tunnel status";
    }

    @Override
    public String summary() {
        return "show the tunnel sessions CREW runs (state, device, enforcement, protected routes)";
    }

    @Override
    public String synopsis() {
        return "[SESSION]";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(1);
        List<SessionRecord> sessions;
        Optional<AgentClient> agent = ViaAgent.agent(context, name(), true);
        if (agent.isPresent()) {
            try (AgentClient c = agent.get()) {
                sessions = ViaAgent.sessions(c);
            }
        } else {
            try {
                SessionRecord.Listing listing = SessionRecord.scan();
                sessions = listing.sessions();
                listing.unreadable().forEach(u -> context.err().println("crew tunnel status: " + u));
            } catch (IOException e) {
                throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
            }
        }
        if (!arguments.positionals().isEmpty()) {
            String id = arguments.positionals().get(0);
            sessions = sessions.stream().filter(s -> s.sessionId().equals(id)).toList();
            if (sessions.isEmpty()) {
                throw new CommandException(ExitCode.FAILED, "no tunnel session '" + id + "'");
            }
        }
        if (context.json()) {
            context.printJson(sessions);
            return ExitCode.OK;
        }
        if (sessions.isEmpty()) {
            context.out().println("No tunnel session. Start one with: crew tunnel connect PROFILE.ovpn");
            return ExitCode.OK;
        }
        for (SessionRecord s : sessions) {
            context.out().println(s.sessionId() + ": " + s.state().toLowerCase() + (s.ownerAlive() ? "" : " (its process " + s.ownerPid() + " is gone)")
                    + (s.device().isEmpty() ? "" : " on " + s.device()) + (s.namespace().isEmpty() ? "" : " in namespace " + s.namespace())
                    + ", " + (s.enforced() ? "enforced (" + s.mode() + ")" : "not enforced"));
            context.out().println("  since " + s.since() + (s.detail().isEmpty() ? "" : ": " + s.detail()));
            context.out().println("  profile " + s.profile());
            s.protectedRoutes().forEach(r -> context.out().println("  protects " + r));
        }
        return ExitCode.OK;
    }
}
