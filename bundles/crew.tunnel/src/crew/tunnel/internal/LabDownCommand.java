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
import crew.tunnel.lab.EndpointLab;

/** {@code crew lab down}: removes a lab (asking its process to stop, or directly when that process is gone). */
@Component(service = CliCommand.class)
@Command(name = "lab down", summary = "remove an endpoint lab: namespaces, interfaces, the openvpn server and the lab's files")
public class LabDownCommand implements CliCommand {

    @Override
    public String name() {
        return "lab down";
    }

    @Override
    public String summary() {
        return "remove an endpoint lab: namespaces, interfaces, the openvpn server and the lab's files";
    }

    @Override
    public String synopsis() {
        return "[ID]   (the only lab when omitted)";
    }

    @Override
    public String description() {
        return """
                First ends the tunnel sessions connected from the lab's device namespace, each through its control
                socket (its engine restores its routing table, as 'crew tunnel disconnect' does), and says so. Then it
                asks the lab's process to stop, or removes the lab directly when that process is gone. A session that
                cannot be ended, or a process still running in the lab's namespaces, keeps the lab, and the error
                names it.""";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(1);
        Optional<AgentClient> agent = ViaAgent.agent(context, name(), false);
        if (agent.isPresent()) {
            try (AgentClient c = agent.get()) {
                return ViaAgent.labDown(c, context, arguments);
            }
        }
        try {
            List<EndpointLab.LabInfo> labs = EndpointLab.list();
            String id;
            if (arguments.positionals().isEmpty()) {
                if (labs.size() != 1) {
                    throw CommandException.badInput(labs.isEmpty() ? "no lab is up" : "several labs are up (" + labs.stream().map(EndpointLab.LabInfo::id)
                            .toList() + "): name one");
                }
                id = labs.get(0).id();
            } else {
                id = arguments.positionals().get(0);
            }
            List<String> problems = EndpointLab.downById(id, line -> context.out().println("lab: " + line));
            problems.forEach(p -> context.err().println("crew lab: " + p));
            context.out().println(problems.isEmpty() ? "lab " + id + " removed" : "lab " + id + " not fully removed (see above)");
            return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        }
    }
}
