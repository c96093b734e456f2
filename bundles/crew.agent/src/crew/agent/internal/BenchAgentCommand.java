package crew.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;

import com.google.gson.JsonObject;

import crew.agent.AgentRuntime;
import crew.agent.AgentServer;
import crew.agent.api.AgentClient;
import crew.agent.api.AgentProtocol;
import crew.agent.api.UnixSocketTransport;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.WorkspaceFile;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;
import crew.tunnel.lab.EndpointLab;
import crew.tunnel.lab.LabClient;

/**
 * {@code crew bench agent}: the agent's costs. Status round trips over the socket, event delivery from the engine
 * to a subscribed client, a lab connect through the agent against the same connect in-process, and SIGKILL of a
 * product agent during an enforced session until a new one has restored the table and answers.
 */
@Component(service = CliCommand.class)
@Command(name = "bench agent", summary = "measure the agent: status round trip, event delivery, connect through it against in-process, kill to restored")
public class BenchAgentCommand implements CliCommand {

    @Override
    public String name() {
        return "bench agent";
    }

    @Override
    public String summary() {
        return "measure the agent: status round trip, event delivery, connect through it against in-process, kill to restored";
    }

    @Override
    public String synopsis() {
        return "[options] [DESIGN.crew.json]   (default: the split-tunnel example)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("calls", "N", "status calls and events (default 5000)"),
                Option.value("runs", "N", "lab connects each way after a warm-up round, the ways taking turns to go first (default 9; 0 skips; needs root and openvpn)"),
                Option.value("kills", "N", "SIGKILLs of a product agent (default 3; 0 skips; needs root, openvpn and the product)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(1);
        int calls = arguments.intValue("calls", 5000);
        int runs = arguments.intValue("runs", 9);
        int kills = arguments.intValue("kills", 3);
        if (calls < 100 || runs < 0 || kills < 0) {
            throw CommandException.badInput("--calls must be at least 100, --runs and --kills at least 0");
        }
        Path designFile = arguments.positionals().isEmpty() ? Path.of(System.getProperty("crew.examples", "."), "designs", "split-tunnel.crew.json")
                : context.resolve(arguments.positionals().get(0));
        boolean live = crew.agent.api.AgentClient.callerIsRoot() && Files.isExecutable(TunnelOptions.findOpenvpn());
        Map<String, Object> result = new LinkedHashMap<>();
        String previousHome = System.getProperty("crew.home");
        Path home = null;
        try {
            home = Files.createTempDirectory("crew-bench-agent");
            System.setProperty("crew.home", home.resolve("agent").toString());
            Path sockDir = Files.createDirectories(home.resolve("sock"));
            Files.setPosixFilePermissions(sockDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path socket = sockDir.resolve("agent.sock");
            try (AgentRuntime agent = AgentRuntime.start(new AgentRuntime.Settings(socket, "rw-rw----", "crew", TunnelOptions.findOpenvpn(),
                    AgentServer.Limits.defaults()), AgentMain.namespaceBackends(), null, line -> {
                    }); AgentClient client = AgentClient.connect(new UnixSocketTransport(socket), "crew bench agent")) {
                result.put("statusMicros", status(client, calls));
                result.put("eventMicros", events(agent, client, calls));
                if (runs > 0 && live) {
                    // a client of its own, not subscribed to events: the connect alone
                    try (AgentClient quiet = AgentClient.connect(new UnixSocketTransport(socket), "crew bench agent")) {
                        result.put("connectMillis", connects(quiet, designFile, runs, home));
                    }
                } else if (runs > 0) {
                    result.put("connectMillis", "skipped: needs root and openvpn");
                }
            }
            if (kills > 0 && live && Product.current().launcher().isPresent()) {
                result.put("killToRestoredMillis", kills(designFile, kills, home));
            } else if (kills > 0) {
                result.put("killToRestoredMillis", "skipped: needs root, openvpn and the product (./crew bench agent)");
            }
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        } catch (Exception e) {
            throw new CommandException(ExitCode.FAILED, "bench: " + e, e);
        } finally {
            if (previousHome == null) {
                System.clearProperty("crew.home");
            } else {
                System.setProperty("crew.home", previousHome);
            }
            delete(home);
        }
        if (context.json()) {
            context.printJson(result);
        } else {
            context.out().println("the agent, measured (" + calls + " calls; status and events in microseconds, connects in milliseconds):");
            result.forEach((k, v) -> context.out().println("  " + k + ": " + v));
        }
        return ExitCode.OK;
    }

    private static Map<String, Long> status(AgentClient client, int calls) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < calls + calls / 10; i++) {
            long t0 = System.nanoTime();
            client.call(AgentProtocol.STATUS, new JsonObject());
            if (i >= calls / 10) { // the first tenth warms up
                micros.add((System.nanoTime() - t0) / 1000);
            }
        }
        return percentiles(micros);
    }

    /** From the engine handing an event to the server until the subscribed client has read it. */
    private static Map<String, Long> events(AgentRuntime agent, AgentClient client, int calls) throws Exception {
        BlockingQueue<Long> delays = new ArrayBlockingQueue<>(calls + 16);
        client.subscribe(e -> {
            if (e.has("benchNanos")) {
                delays.add((System.nanoTime() - e.get("benchNanos").getAsLong()) / 1000);
            }
        });
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            JsonObject e = new JsonObject();
            e.addProperty("type", "bench");
            e.addProperty("benchNanos", System.nanoTime());
            agent.server().broadcast(e);
            Long d = delays.poll(5, TimeUnit.SECONDS);
            if (d == null) {
                throw new IOException("an event did not arrive within 5 s");
            }
            micros.add(d);
        }
        return percentiles(micros);
    }

    /**
     * The same lab connect (call to connected) in-process and through the agent, alternately. In-process as
     * {@code crew tunnel connect} runs it without an agent (the device's backend opened, then the session), and once
     * more on a backend kept open across runs (the session alone); through the agent, the call's round trip. Each
     * session's own phases ({@link TunnelSession#connectPhases()}) say where a difference goes.
     */
    private static Map<String, Object> connects(AgentClient client, Path designFile, int runs, Path home) throws Exception {
        EndpointDesign design = WorkspaceFile.read(designFile);
        List<Long> inProcess = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        List<Long> viaAgent = new ArrayList<>();
        List<Long> agentSession = new ArrayList<>();
        List<Long> localSession = new ArrayList<>();
        List<Long> preparation = new ArrayList<>();
        List<Long> localOutside = new ArrayList<>();
        List<Long> agentOutside = new ArrayList<>();
        List<Double> allowList = new ArrayList<>();
        List<Double> backendOpen = new ArrayList<>();
        Map<String, List<Double>> localPhases = new LinkedHashMap<>();
        Map<String, List<Double>> agentPhases = new LinkedHashMap<>();
        try (EndpointLab lab = EndpointLab.up(design, "agbench", List.of(new LabClient("bench", Set.of())), TunnelOptions.findOpenvpn(), l -> {
        }); ClosableRoutingBackend device = crew.routing.api.netns.NetworkNamespaces.require("the agent benchmark").backend(lab.plan().deviceNamespace())) {
            String profile = Files.readString(lab.clientProfile("bench"));
            String ns = lab.plan().deviceNamespace();
            for (int i = 0; i <= runs; i++) {
                boolean keep = i > 0; // the first round warms up
                Path run = home.resolve("in-process");
                TunnelOptions o = TunnelOptions.defaults("benchlocal", ns).withDirectories(run, run.resolve("journal"))
                        .withEnforcement(TunnelOptions.Enforcement.ALWAYS, null);
                List<Callable<Void>> ways = List.of(() -> {
                    long t0 = System.nanoTime();
                    try (ClosableRoutingBackend fresh = crew.routing.api.netns.NetworkNamespaces.require("the agent benchmark").backend(ns);
                            TunnelSession s = new TunnelSession(TunnelProfile.parse(Path.of("bench.ovpn"), profile), fresh, o, null)) {
                        s.connect();
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        if (keep) {
                            inProcess.add(ms);
                            localSession.add(s.connectTime().orElseThrow().toMillis());
                            localOutside.add(ms - s.connectTime().orElseThrow().toMillis());
                            s.connectPhases().forEach((k, v) -> localPhases.computeIfAbsent(k, x -> new ArrayList<>()).add(v.toNanos() / 1e6));
                        }
                    }
                    return null;
                }, () -> {
                    long t0 = System.nanoTime();
                    try (TunnelSession s = new TunnelSession(TunnelProfile.parse(Path.of("bench.ovpn"), profile), device, o, null)) {
                        s.connect();
                        if (keep) {
                            warm.add((System.nanoTime() - t0) / 1_000_000);
                        }
                    }
                    return null;
                }, () -> {
                    JsonObject p = connectParams(profile, ns, "benchagent");
                    long t0 = System.nanoTime();
                    JsonObject r = client.call(AgentProtocol.TUNNEL_CONNECT, p).getAsJsonObject();
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (keep) {
                        viaAgent.add(ms);
                        agentSession.add(Math.round(r.get("connectMillis").getAsDouble()));
                        agentOutside.add(ms - Math.round(r.get("connectMillis").getAsDouble()));
                        preparation.add(Math.round(r.get("preparationMillis").getAsDouble()));
                        allowList.add(r.get("allowListMillis").getAsDouble());
                        backendOpen.add(r.get("backendMillis").getAsDouble());
                        r.getAsJsonObject("connectPhases").entrySet()
                                .forEach(e -> agentPhases.computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(e.getValue().getAsDouble()));
                    }
                    JsonObject d = new JsonObject();
                    d.addProperty("session", "benchagent");
                    client.call(AgentProtocol.TUNNEL_DISCONNECT, d);
                    return null;
                });
                // each way goes first as often as the others: a connect right after the lab server dropped the same
                // client's last session pays for that, whichever way it runs
                for (int k = 0; k < ways.size(); k++) {
                    ways.get((i + k) % ways.size()).call();
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inProcess", percentiles(inProcess));
        m.put("inProcessBackendKeptOpen", percentiles(warm));
        m.put("throughAgent", percentiles(viaAgent));
        m.put("sessionInProcess", percentiles(localSession));
        m.put("sessionInAgent", percentiles(agentSession));
        m.put("outsideTheSessionInProcess", percentiles(localOutside));
        m.put("outsideTheSessionThroughAgent", percentiles(agentOutside));
        m.put("agentPreparation", percentiles(preparation));
        m.put("agentPreparationParts", String.format(java.util.Locale.ROOT, "allow-list %.2f ms, opening the device's backend %.2f ms (medians)",
                median(allowList), median(backendOpen)));
        Map<String, String> phases = new LinkedHashMap<>();
        for (String phase : localPhases.keySet()) {
            phases.put(phase, String.format(java.util.Locale.ROOT, "%.1f / %.1f ms", median(localPhases.get(phase)),
                    agentPhases.containsKey(phase) ? median(agentPhases.get(phase)) : Double.NaN));
        }
        m.put("phasesInProcessVsAgent", phases);
        m.put("medianDifference", percentiles(viaAgent).get("p50") - percentiles(inProcess).get("p50"));
        return m;
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    /** SIGKILL of a product agent during an enforced lab session, until a new agent has restored the table and answers. */
    private static Map<String, Object> kills(Path designFile, int kills, Path home) throws Exception {
        EndpointDesign design = WorkspaceFile.read(designFile);
        Product product = Product.current();
        Path agentHome = home.resolve("product-agent");
        Path socket = home.resolve("sock").resolve("product-agent.sock");
        List<Long> millis = new ArrayList<>();
        int restored = 0;
        try (EndpointLab lab = EndpointLab.up(design, "agbenchk", List.of(new LabClient("bench", Set.of())), TunnelOptions.findOpenvpn(), l -> {
        }); ClosableRoutingBackend device = crew.routing.api.netns.NetworkNamespaces.require("the agent benchmark").backend(lab.plan().deviceNamespace())) {
            String profile = Files.readString(lab.clientProfile("bench"));
            Set<String> before = table(device);
            Process agent = start(product, agentHome, socket);
            try {
                for (int k = 0; k < kills; k++) {
                    try (AgentClient c = await(socket, Duration.ofSeconds(60))) {
                        c.call(AgentProtocol.TUNNEL_CONNECT, connectParams(profile, lab.plan().deviceNamespace(), "benchkill"));
                    }
                    long t0 = System.nanoTime();
                    agent.destroyForcibly();
                    agent.waitFor(10, TimeUnit.SECONDS);
                    agent = start(product, agentHome, socket);
                    try (AgentClient c = await(socket, Duration.ofSeconds(60))) {
                        c.call(AgentProtocol.STATUS, new JsonObject());
                        millis.add((System.nanoTime() - t0) / 1_000_000);
                    }
                    if (table(device).equals(before)) {
                        restored++;
                    }
                }
            } finally {
                agent.destroy();
                agent.waitFor(30, TimeUnit.SECONDS);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>(percentiles(millis));
        m.put("restoredExactly", restored + " of " + kills);
        m.put("note", "a new product JVM (Equinox) included; systemd adds RestartSec=200ms");
        return m;
    }

    /** An enforced connect of the lab's bench client in its device namespace. */
    private static JsonObject connectParams(String profile, String namespace, String session) {
        JsonObject p = new JsonObject();
        p.addProperty("profileName", "bench.ovpn");
        p.addProperty("profile", profile);
        p.addProperty("netns", namespace);
        p.addProperty("session", session);
        p.addProperty("enforce", "always");
        return p;
    }

    private static Process start(Product product, Path home, Path socket) throws IOException {
        return new ProcessBuilder(product.agentCommand(home, socket)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The first successful handshake (the agent answers only after its recovery). */
    private static AgentClient await(Path socket, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return AgentClient.connect(new UnixSocketTransport(socket), "crew bench agent");
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }

    private static Set<String> table(ClosableRoutingBackend device) throws Exception {
        Set<String> t = new TreeSet<>();
        for (DeviceRoute r : device.routes()) {
            t.add(r.toString());
        }
        return t;
    }

    private static Map<String, Long> percentiles(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("p50", s.get(s.size() / 2));
        m.put("p99", s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1)));
        m.put("max", s.get(s.size() - 1));
        return m;
    }

    private static void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder
        }
    }
}
