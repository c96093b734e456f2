package crew.tunnel.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import crew.agent.api.AgentClient;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.enforce.AuditLog;
import crew.enforce.EnforcementMode;
import crew.enforce.EnforcementPolicy;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelListener;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;
import crew.tunnel.TunnelStatus;

/** {@code crew tunnel connect}: a real OpenVPN tunnel whose routes CREW installs and protects, until Ctrl-C. */
@Component(service = CliCommand.class)
@Command(name = "tunnel connect", summary = "connect an OpenVPN profile with CREW installing and protecting its routes, until Ctrl-C")
public class TunnelConnectCommand implements CliCommand {

    @Reference
    RoutingBackends backends;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile EnforcementPolicy policy;

    /** The enforcement event sinks registered as services (the CloudWatch Logs shipper, crew fleet configure). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile java.util.List<crew.enforce.EnforcementEventSink> sinks;

    @Override
    public String name() {
        return "tunnel connect";
    }

    @Override
    public String summary() {
        return "connect an OpenVPN profile with CREW installing and protecting its routes, until Ctrl-C";
    }

    @Override
    public String synopsis() {
        return "[options] PROFILE.ovpn";
    }

    @Override
    public String description() {
        return """
                Starts the system's openvpn with the profile (an AWS-exported .ovpn or a lab client's) and drives it
                through its management interface: openvpn authenticates and reports what the server pushed, and CREW
                configures the tunnel device and installs the routes itself, then protects them with the CRE engine
                when the session is enforced (the server pushes CREW's marker 'setenv-safe CREW_CRE 1', or
                --enforce always). Prints state changes and enforcement events; Ctrl-C, 'crew tunnel disconnect' or
                --seconds end the session and restore the routing table as it was. Unsupported profile directives
                are named with their line (SAML 'auth-federate' needs AWS's own client). Needs root.
                Passwords are never taken on the command line: --password-env names an environment variable.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("netns", "NAME", "the device is this network namespace (a lab's device: crew-ID-dev)"),
                Option.value("openvpn", "PATH", "the openvpn binary (default: from PATH, else /usr/sbin/openvpn)"),
                Option.value("enforce", "WHEN", "as-pushed (default), always or never"),
                Option.value("mode", "MODE", "enforcement mode: aws (default), extended or strict"),
                Option.value("session", "ID", "session id (default: the profile's file name)"),
                Option.value("username", "NAME", "for profiles with auth-user-pass"),
                Option.value("password-env", "VAR", "environment variable holding the password"),
                Option.value("key-passphrase-env", "VAR", "environment variable holding the private key's passphrase"),
                Option.value("timeout", "S", "give up connecting after S seconds (default 30)"),
                Option.value("seconds", "S", "disconnect after S seconds instead of waiting for Ctrl-C"),
                Option.value("audit", "FILE", "append enforcement events (JSON lines) to FILE"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(1);
        Path profileFile = context.resolve(arguments.positional(0, "PROFILE.ovpn"));
        TunnelProfile profile;
        try {
            profile = TunnelProfile.read(profileFile);
        } catch (TunnelException e) {
            throw CommandException.badInput(e.getMessage());
        }
        profile.notes().forEach(n -> context.err().println("crew tunnel: " + profileFile.getFileName() + " " + n));
        String session = arguments.value("session", profileFile.getFileName().toString().replaceAll("\\.ovpn$", "").replaceAll("[^A-Za-z0-9_.-]", "_"));
        Optional<AgentClient> agent = ViaAgent.agent(context, name(), false);
        if (agent.isPresent()) {
            try (AgentClient c = agent.get()) {
                java.util.List<crew.enforce.EnforcementEventSink> registered = sinks;
                return ViaAgent.connect(c, context, arguments, profileFile, session, registered == null ? List.of() : List.copyOf(registered));
            }
        }
        String netns = arguments.value("netns").orElse(null);
        TunnelOptions options;
        try {
            options = TunnelOptions.defaults(session, netns)
                    .withEnforcement(TunnelOptions.Enforcement.valueOf(arguments.value("enforce", "as-pushed").toUpperCase().replace('-', '_')),
                            EnforcementMode.parse(arguments.value("mode", "aws")))
                    .withConnectTimeout(Duration.ofSeconds(arguments.intValue("timeout", 30)))
                    .withCredentials(arguments.value("username").orElse(null), secret(arguments, "password-env"), secret(arguments, "key-passphrase-env"));
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage().contains("No enum constant") ? "--enforce must be as-pushed, always or never" : e.getMessage());
        }
        if (arguments.value("openvpn").isPresent()) {
            options = options.withOpenvpn(context.resolve(arguments.value("openvpn").get()));
        }
        RoutingBackend backend = TunnelCommands.backend(backends, netns);
        AuditLog audit = null;
        try {
            TunnelSession s = new TunnelSession(profile, backend, options, policy);
            java.util.List<crew.enforce.EnforcementEventSink> registered = sinks;
            if (registered != null) {
                registered.forEach(s::addEnforcementSink);
            }
            if (arguments.value("audit").isPresent()) {
                audit = new AuditLog(context.resolve(arguments.value("audit").get()));
                s.addEnforcementSink(audit);
            }
            s.addEnforcementSink(e -> context.out().println(e.time() + " " + e.kind().name().toLowerCase().replace('_', '-')
                    + (e.route() == null ? "" : " " + e.route()) + (e.detail() == null ? "" : "  (" + e.detail() + ")")));
            StateLines states = new StateLines(context.out());
            s.addListener(new TunnelListener() {
                @Override
                public void stateChanged(TunnelStatus status) {
                    states.print(status.since().toString(), status.state().name(), status.detail());
                }
            });
            Thread hook = new Thread(() -> s.disconnect().forEach(p -> context.err().println("crew tunnel: " + p)), "crew-tunnel-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                s.connect();
                context.out().println("connected in " + s.connectTime().map(d -> d.toMillis() + " ms").orElse("?") + "; protected routes:");
                s.status().protectedRoutes().forEach(r -> context.out().println("  " + r));
                int seconds = arguments.intValue("seconds", Integer.MAX_VALUE);
                if (seconds == Integer.MAX_VALUE) {
                    s.finished().join();
                } else {
                    try {
                        s.finished().get(seconds, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        // time is up
                    }
                }
                List<String> problems = s.disconnect();
                problems.forEach(p -> context.err().println("crew tunnel: " + p));
                TunnelStatus end = s.status();
                if (end.error().isPresent()) {
                    throw end.error().get();
                }
                context.out().println("disconnected; routing table restored");
                return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs
                }
            }
        } catch (TunnelException e) {
            throw new CommandException(TunnelCommands.exitCode(e), e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.OK;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CommandException(ExitCode.FAILED, String.valueOf(e.getCause()), e);
        } finally {
            if (audit != null) {
                try {
                    audit.close();
                } catch (IOException e) {
                    context.err().println("crew tunnel: closing the audit log: " + e.getMessage());
                }
            }
            TunnelCommands.close(backend, netns);
        }
    }

    static char[] secret(Arguments arguments, String option) throws CommandException {
        Optional<String> var = arguments.value(option);
        if (var.isEmpty()) {
            return null;
        }
        String value = System.getenv(var.get());
        if (value == null) {
            throw CommandException.badInput("--" + option + " " + var.get() + ": that environment variable is not set");
        }
        return value.toCharArray();
    }
}
