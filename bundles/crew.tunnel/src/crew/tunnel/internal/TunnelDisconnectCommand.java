package crew.tunnel.internal;

import java.io.IOException;
import java.time.Duration;
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

/** {@code crew tunnel disconnect}: ends a session run by another crew process (it restores the table itself). */
@Component(service = CliCommand.class)
@Command(name = "tunnel disconnect", summary = "end a tunnel session; its process removes the routes and restores the table")
public class TunnelDisconnectCommand implements CliCommand {

    @Override
    public String name() {
        return "tunnel disconnect";
    }

    @Override
    public String summary() {
        return "end a tunnel session; its process removes the routes and restores the table";
    }

    @Override
    public String synopsis() {
        return "[SESSION]   (the only running session when omitted)";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(1);
        Optional<AgentClient> agent = ViaAgent.agent(context, name(), false);
        if (agent.isPresent()) {
            try (AgentClient c = agent.get()) {
                return ViaAgent.disconnect(c, context, arguments);
            }
        }
        List<SessionRecord> live;
        try {
            live = SessionRecord.list().stream().filter(SessionRecord::ownerAlive).toList();
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        }
        SessionRecord target;
        if (arguments.positionals().isEmpty()) {
            if (live.size() != 1) {
                throw CommandException.badInput(live.isEmpty() ? "no tunnel session is running"
                        : "several sessions run (" + live.stream().map(SessionRecord::sessionId).toList() + "): name one");
            }
            target = live.get(0);
        } else {
            String id = arguments.positionals().get(0);
            target = live.stream().filter(s -> s.sessionId().equals(id)).findFirst()
                    .orElseThrow(() -> new CommandException(ExitCode.FAILED, "no running tunnel session '" + id + "'"));
        }
        List<String> problems;
        try {
            problems = target.disconnect(Duration.ofSeconds(40));
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "session " + target.sessionId() + " (process " + target.ownerPid() + "): " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> context.err().println("crew tunnel: " + target.sessionId() + ": " + p));
            throw new CommandException(ExitCode.FAILED, target.sessionId() + " ended, but its routing table was not fully restored");
        }
        context.out().println(target.sessionId() + " disconnected; its process restored the routing table");
        return ExitCode.OK;
    }
}
