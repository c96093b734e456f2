package crew.tunnel.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.endpoint.EndpointDesign;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingException;
import crew.routing.api.netns.NetworkNamespaces;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;
import crew.tunnel.lab.EndpointLab;
import crew.tunnel.lab.LabClient;

/**
 * {@code crew bench tunnel}: connect time on a lab, CREW's tunnel (start until its routes are installed and
 * protected) against plain openvpn on the same lab (start until "Initialization Sequence Completed", when openvpn has
 * added its own routes).
 */
@Component(service = CliCommand.class)
@Command(name = "bench tunnel", summary = "measure tunnel connect time on a lab: CREW (routes protected) against plain openvpn")
public class BenchTunnelCommand implements CliCommand {

    @Override
    public String name() {
        return "bench tunnel";
    }

    @Override
    public String summary() {
        return "measure tunnel connect time on a lab: CREW (routes protected) against plain openvpn";
    }

    @Override
    public String synopsis() {
        return "[--runs N] DESIGN.crew.json";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("runs", "N", "connects of each kind after one warm-up (default 10)"),
                Option.value("openvpn", "PATH", "the openvpn binary"),
                Option.value("id", "ID", "the lab's id (default: bench)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(1);
        EndpointDesign design = TunnelCommands.design(context, arguments);
        int runs = arguments.intValue("runs", 10);
        if (runs < 1) {
            throw CommandException.badInput("--runs must be at least 1");
        }
        Path openvpn = arguments.value("openvpn").map(context::resolve).orElse(TunnelOptions.findOpenvpn());
        List<Long> crew = new ArrayList<>();
        Map<String, List<Long>> phases = new LinkedHashMap<>();
        List<Long> plain = new ArrayList<>();
        try (EndpointLab lab = EndpointLab.up(design, arguments.value("id", "bench"), List.of(new LabClient("bench", Set.of())), openvpn, l -> { });
                ClosableRoutingBackend device = NetworkNamespaces.require("the tunnel benchmark").backend(lab.plan().deviceNamespace())) {
            Path profile = lab.clientProfile("bench");
            for (int i = 0; i <= runs; i++) {
                long c = crewConnect(lab, device, profile, openvpn, i > 0 ? phases : null);
                long p = plainConnect(lab, profile, openvpn);
                if (i > 0) { // the first of each is a warm-up
                    crew.add(c);
                    plain.add(p);
                }
            }
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        } catch (RoutingException e) {
            throw new CommandException(e.isPermissionDenied() ? ExitCode.UNAVAILABLE : ExitCode.FAILED, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILED;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("design", design.name());
        result.put("runs", runs);
        result.put("crewMillis", stats(crew));
        result.put("plainOpenvpnMillis", stats(plain));
        Map<String, Map<String, Long>> phaseStats = new LinkedHashMap<>();
        phases.forEach((k, v) -> phaseStats.put(k, stats(v)));
        result.put("crewPhasesMicros", phaseStats);
        if (context.json()) {
            context.printJson(result);
        } else {
            context.out().println("connect time on a lab for '" + design.name() + "', " + runs + " runs each after a warm-up (milliseconds):");
            context.out().println("  CREW (openvpn driven, routes installed and protected): " + format(stats(crew)));
            context.out().println("  plain openvpn (its own routes, no protection):         " + format(stats(plain)));
            context.out().println("  where CREW's time goes (microseconds):");
            phaseStats.forEach((k, v) -> context.out().println("    " + k + ": " + format(v)));
        }
        return ExitCode.OK;
    }

    private static long crewConnect(EndpointLab lab, ClosableRoutingBackend device, Path profile, Path openvpn, Map<String, List<Long>> phases) {
        Path run = lab.directory().resolve("bench-run");
        TunnelOptions o = TunnelOptions.defaults("bench", lab.plan().deviceNamespace()).withOpenvpn(openvpn)
                .withDirectories(run, run.resolve("journal")).withConnectTimeout(Duration.ofSeconds(30));
        try (TunnelSession s = new TunnelSession(TunnelProfile.read(profile), device, o, null)) {
            s.connect();
            if (phases != null) {
                s.connectPhases().forEach((k, v) -> phases.computeIfAbsent(k, x -> new ArrayList<>()).add(v.toNanos() / 1000));
            }
            return s.connectTime().orElseThrow().toMillis();
        }
    }

    private static NetworkNamespaces namespaces() throws IOException {
        try {
            return NetworkNamespaces.require("the tunnel benchmark");
        } catch (RoutingException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static long plainConnect(EndpointLab lab, Path profile, Path openvpn) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(namespaces().command(lab.plan().deviceNamespace(), openvpn.toString(), "--config",
                profile.toString(), "--verb", "3")).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains("Initialization Sequence Completed")) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
            }
            throw new IOException("plain openvpn ended without connecting");
        } finally {
            p.destroy(); // SIGTERM: openvpn removes its routes and its device
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(lab.directory().resolve("bench-run").resolve("openvpn.conf"));
        }
    }

    private static Map<String, Long> stats(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("min", s.get(0));
        m.put("median", s.get(s.size() / 2));
        m.put("max", s.get(s.size() - 1));
        return m;
    }

    private static String format(Map<String, Long> s) {
        return "median " + s.get("median") + ", min " + s.get("min") + ", max " + s.get("max");
    }
}
