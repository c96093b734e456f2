package crew.agent.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import crew.agent.AgentEngine;
import crew.agent.AgentRuntime;
import crew.agent.AgentServer;
import crew.agent.api.AgentTransport;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.enforce.EnforcementPolicy;
import crew.routing.api.NamespaceCapable;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.routing.api.RoutingException;
import crew.tunnel.TunnelOptions;

/** {@code crew agent}: the privileged agent in the foreground (systemd runs the same command). */
@Component(service = CliCommand.class)
@Command(name = "agent", summary = "run the privileged agent (root): it owns tunnels, labs and enforcement for unprivileged crew and workbench users")
public class AgentCommand implements CliCommand {

    @Reference
    RoutingBackends backends;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile EnforcementPolicy policy;

    /** The enforcement event sinks registered as services (the CloudWatch Logs shipper): the agent's sessions feed them. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile java.util.List<crew.enforce.EnforcementEventSink> sinks;

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String summary() {
        return "run the privileged agent (root): it owns tunnels, labs and enforcement for unprivileged crew and workbench users";
    }

    @Override
    public String description() {
        return """
                Runs as root and serves the crew command and the workbench over a Unix socket (default
                /run/crew/agent.sock, mode 0660, group crew): root and members of group crew may connect tunnels, bring
                labs up and attack; everyone else who can reach the socket may read status and events. Before it takes
                work it restores every device a killed agent left, from the journals. Under systemd (crew agent
                install) it is socket-activated and restarted on failure; here it runs until Ctrl-C, which ends its
                sessions and labs and restores the tables. A socket left by a killed agent is removed.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("socket", "PATH", "where to listen (default /run/crew/agent.sock, or $CREW_AGENT_SOCKET)"),
                Option.value("socket-mode", "MODE", "the socket's permissions: 0660 (default: root and the group) or 0666 (everyone may read status)"),
                Option.value("group", "NAME", "the control group (default crew)"),
                Option.value("openvpn", "PATH", "the openvpn binary (default: from PATH, else /usr/sbin/openvpn)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(0);
        if (!crew.agent.api.AgentClient.callerIsRoot()) {
            throw new CommandException(ExitCode.UNAVAILABLE, "the agent runs as root: sudo crew agent (or install it: sudo crew agent install)");
        }
        // CREW's own bundles only (docs/agent.md): before any socket is opened or journal replayed
        try {
            java.util.Optional<String> refusal = BundleCheck.refusal(
                    org.osgi.framework.FrameworkUtil.getBundle(AgentCommand.class).getBundleContext(), Product.current().directory(),
                    line -> context.err().println("crew agent: " + line));
            if (refusal.isPresent()) {
                throw new CommandException(ExitCode.UNAVAILABLE, refusal.get());
            }
        } catch (IOException e) {
            throw new CommandException(ExitCode.UNAVAILABLE, "cannot read the list of CREW's own bundles: " + e.getMessage(), e);
        }
        String mode = switch (arguments.value("socket-mode", "0660")) {
            case "0660", "660" -> "rw-rw----";
            case "0666", "666" -> "rw-rw-rw-";
            default -> throw CommandException.badInput("--socket-mode must be 0660 or 0666");
        };
        Path socket = arguments.value("socket").map(context::resolve).orElse(AgentTransport.defaultSocket());
        Path openvpn = arguments.value("openvpn").map(context::resolve).orElse(TunnelOptions.findOpenvpn());
        AgentEngine.Backends b = new AgentEngine.Backends() {
            @Override
            public RoutingBackend open(String namespace) throws RoutingException {
                RoutingBackend best = backends.best().orElseThrow(() -> new RoutingException("no routing backend", RoutingException.EINVAL, "none"));
                if (namespace == null) {
                    return best;
                }
                if (!(best instanceof NamespaceCapable n)) {
                    throw new RoutingException("the " + best.platform() + " backend cannot enter a namespace", RoutingException.EINVAL, "unsupported");
                }
                return n.inNamespace(namespace);
            }

            @Override
            public void release(RoutingBackend backend, String namespace) {
                if (namespace != null && backend instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // a namespace socket
                    }
                }
            }
        };
        AgentRuntime agent;
        try {
            agent = AgentRuntime.start(new AgentRuntime.Settings(socket, mode, arguments.value("group", "crew"), openvpn, AgentServer.Limits.defaults()),
                    b, policy, sinks == null ? java.util.List.of() : java.util.List.copyOf(sinks), line -> context.err().println("crew agent: " + line));
        } catch (AgentServer.AgentRunningException e) {
            throw new CommandException(ExitCode.UNAVAILABLE, e.getMessage() + " (stop it first, or use another --socket)");
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        }
        Thread hook = new Thread(agent::close, "crew-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            agent.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }
}
