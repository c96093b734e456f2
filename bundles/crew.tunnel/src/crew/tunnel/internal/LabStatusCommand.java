package crew.tunnel.internal;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.tunnel.lab.EndpointLab;

/** {@code crew lab status}: the labs that are up. */
@Component(service = CliCommand.class)
@Command(name = "lab status", summary = "list the endpoint labs that are up, with their client profiles and hosts")
public class LabStatusCommand implements CliCommand {

    @Override
    public String name() {
        return "lab status";
    }

    @Override
    public String summary() {
        return "list the endpoint labs that are up, with their client profiles and hosts";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(0);
        java.util.Optional<crew.agent.api.AgentClient> agent = ViaAgent.agent(context, name(), true);
        if (agent.isPresent()) {
            try (crew.agent.api.AgentClient c = agent.get()) {
                com.google.gson.JsonObject s = ViaAgent.call(c, crew.agent.api.AgentProtocol.STATUS, new com.google.gson.JsonObject());
                if (context.json()) {
                    context.out().println(s.get("labs"));
                    return ExitCode.OK;
                }
                s.getAsJsonArray("labs").forEach(l -> context.out().println(ViaAgent.text(l.getAsJsonObject(), "id") + ": device namespace "
                        + ViaAgent.text(l.getAsJsonObject(), "deviceNamespace") + ", run by the agent"));
                if (s.getAsJsonArray("labs").isEmpty()) {
                    context.out().println("No lab is up in the agent. Start one with: crew lab up DESIGN.crew.json");
                }
                return ExitCode.OK;
            }
        }
        List<EndpointLab.LabInfo> labs;
        try {
            EndpointLab.Listing listing = EndpointLab.scan();
            labs = listing.labs();
            listing.unreadable().forEach(u -> context.err().println("crew lab status: " + u));
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        }
        if (context.json()) {
            context.printJson(labs.stream().map(l -> java.util.Map.of("id", l.id(), "ownerPid", l.ownerPid(), "ownerAlive", l.ownerAlive(),
                    "deviceNamespace", l.deviceNamespace(), "endpoint", l.endpoint(), "clients", l.clientProfiles(), "hosts", l.hosts())).toList());
            return ExitCode.OK;
        }
        if (labs.isEmpty()) {
            context.out().println("No lab is up. Start one with: crew lab up DESIGN.crew.json");
            return ExitCode.OK;
        }
        for (EndpointLab.LabInfo l : labs) {
            context.out().println(l.id() + ": endpoint " + l.endpoint() + ", device namespace " + l.deviceNamespace()
                    + (l.ownerAlive() ? ", run by process " + l.ownerPid() : ", its process " + l.ownerPid() + " is gone (crew lab down " + l.id() + ")"));
            l.clientProfiles().forEach((n, p) -> context.out().println("  client " + n + ": " + p));
            context.out().println("  hosts: " + l.hosts());
        }
        return ExitCode.OK;
    }
}
