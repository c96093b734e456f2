package crew.tunnel.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;

import crew.agent.api.AgentClient;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.endpoint.EndpointDesign;
import crew.routing.api.RoutingException;
import crew.tunnel.TunnelOptions;
import crew.tunnel.lab.EndpointLab;
import crew.tunnel.lab.LabClient;
import crew.tunnel.lab.LabPlan;

/** {@code crew lab up}: a local Client VPN endpoint built from a design, in network namespaces, until Ctrl-C. */
@Component(service = CliCommand.class)
@Command(name = "lab up", summary = "run a local endpoint lab for a design (OpenVPN server, VPC hosts, authorization) until Ctrl-C")
public class LabUpCommand implements CliCommand {

    @Override
    public String name() {
        return "lab up";
    }

    @Override
    public String summary() {
        return "run a local endpoint lab for a design (OpenVPN server, VPC hosts, authorization) until Ctrl-C";
    }

    @Override
    public String synopsis() {
        return "[options] DESIGN.crew.json";
    }

    @Override
    public String description() {
        return """
                Builds three network namespaces: a device (crew-ID-dev, with a LAN), the endpoint (crew-ID-srv: an
                OpenVPN server configured from the design's client CIDR, split/full tunnel, routes, DNS, port and
                protocol, pushing CREW's enforcement marker when the design enables CRE, and a packet filter that
                applies the design's authorization rules per client as 'crew access' evaluates them) and a VPC
                (crew-ID-vpc) with a host in every network the design routes to, each answering TCP echo on port 7.
                Writes one client profile per lab user; connect one with
                  crew tunnel connect --netns crew-ID-dev PROFILE
                Everything is removed on Ctrl-C, by 'crew lab down', and after a crash by the next 'crew lab up'.
                Needs root and the openvpn package. --dry-run prints the plan and the server configuration only.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("id", "ID", "lab id, 1-8 lower-case letters or digits (default: lab)"),
                Option.repeatable("client", "NAME[:GROUP,...]", "a lab user and the groups it belongs to (default: one in no group, one per group)"),
                Option.value("openvpn", "PATH", "the openvpn binary"),
                Option.value("seconds", "S", "take the lab down after S seconds instead of waiting for Ctrl-C"),
                Option.flag("dry-run", "print the plan and configuration, create nothing"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(1);
        Path file = context.resolve(arguments.positional(0, "DESIGN.crew.json"));
        EndpointDesign design = TunnelCommands.design(context, arguments);
        List<LabClient> clients = new ArrayList<>();
        try {
            for (String c : arguments.values("client")) {
                clients.add(LabClient.parse(c));
            }
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput("--client " + e.getMessage());
        }
        if (clients.isEmpty()) {
            clients = LabPlan.defaultClients(design);
        }
        String id = arguments.value("id", "lab");
        LabPlan plan;
        try {
            plan = LabPlan.of(id, design, clients);
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(file + ": " + e.getMessage());
        }
        if (arguments.has("dry-run")) {
            context.out().println("lab " + id + " for " + design.name() + ": device " + plan.deviceNamespace() + ", endpoint " + plan.serverNamespace()
                    + " at " + plan.publicAddress() + ", VPC " + plan.vpcNamespace() + " with hosts " + plan.hosts());
            plan.clients().forEach((n, a) -> context.out().println("client " + n + " gets " + a.address() + "/" + a.prefixLength()));
            context.out().println("--- server configuration");
            context.out().print(plan.serverConfiguration(EndpointLab.labsDirectory().resolve(id)));
            context.out().println("--- authorization filter (nftables, endpoint namespace)");
            context.out().print(plan.authorizationFilter());
            return ExitCode.OK;
        }
        Optional<AgentClient> agent = ViaAgent.agent(context, name(), false);
        if (agent.isPresent()) {
            try (AgentClient c = agent.get()) {
                return ViaAgent.labUp(c, context, arguments, file, id);
            }
        }
        Path openvpn = arguments.value("openvpn").map(context::resolve).orElse(TunnelOptions.findOpenvpn());
        EndpointLab lab;
        try {
            lab = EndpointLab.up(design, id, clients, openvpn, line -> context.out().println("lab: " + line));
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        } catch (RoutingException e) {
            throw new CommandException(e.isPermissionDenied() ? ExitCode.UNAVAILABLE : ExitCode.FAILED, e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            lab.down().forEach(p -> context.err().println("crew lab: " + p));
            stopped.countDown();
        }, "crew-lab-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        context.out().println("lab " + id + " is up. Client profiles:");
        for (String c : plan.clients().keySet()) {
            context.out().println("  " + lab.clientProfile(c));
        }
        context.out().println("connect with: crew tunnel connect --netns " + plan.deviceNamespace() + " " + lab.clientProfile(plan.clients().keySet()
                .iterator().next()));
        context.out().println("Ctrl-C or 'crew lab down " + id + "' removes the lab.");
        try {
            int seconds = arguments.intValue("seconds", Integer.MAX_VALUE);
            if (seconds == Integer.MAX_VALUE) {
                stopped.await();
            } else {
                stopped.await(seconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return ExitCode.OK; // shutting down: the hook takes the lab down
        }
        List<String> problems = lab.down();
        problems.forEach(p -> context.err().println("crew lab: " + p));
        context.out().println(problems.isEmpty() ? "lab " + id + " removed" : "lab " + id + " not fully removed (see above)");
        return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }
}
