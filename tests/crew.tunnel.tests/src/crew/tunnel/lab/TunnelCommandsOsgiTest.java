package crew.tunnel.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;
import crew.testing.Prerequisites;
import crew.tunnel.SessionRecord;

/** The tunnel and lab commands as `crew` runs them: DS services in the registry, on the example designs and a real lab. */
class TunnelCommandsOsgiTest {
    private ServiceTracker<CommandRegistry, CommandRegistry> tracker;
    private Path home;
    private String previousHome;

    @BeforeEach
    void open() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(TunnelCommandsOsgiTest.class).getBundleContext();
        tracker = new ServiceTracker<>(context, CommandRegistry.class, null);
        tracker.open();
        home = Files.createTempDirectory("crew-cli-home");
        previousHome = System.getProperty("crew.home");
        System.setProperty("crew.home", home.toString());
    }

    @AfterEach
    void close() {
        tracker.close();
        if (previousHome == null) {
            System.clearProperty("crew.home");
        } else {
            System.setProperty("crew.home", previousHome);
        }
    }

    record Run(int code, String out, String err) {
    }

    Run run(String... words) throws Exception {
        CommandRegistry registry = tracker.waitForService(10_000);
        assertNotNull(registry);
        List<String> all = List.of(words);
        CliCommand cmd = registry.find(all).orElseThrow(() -> new AssertionError("no command for " + all));
        List<String> rest = all.subList(cmd.name().split(" ").length, all.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Path.of("."), rest.contains("--json"));
        List<crew.cli.Option> options = new java.util.ArrayList<>(cmd.options());
        options.add(crew.cli.Option.flag("json", "json"));
        try {
            int code = cmd.run(ctx, Arguments.parse(rest, options));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (CommandException e) {
            return new Run(e.exitCode(), out.toString(StandardCharsets.UTF_8), e.getMessage());
        }
    }

    /** `crew tunnel connect` of the lab's client "cli" as session "cli" for {@code seconds}, in the background, once connected. */
    CompletableFuture<Run> connectCli(EndpointLab lab, int seconds) throws Exception {
        CompletableFuture<Run> connect = CompletableFuture.supplyAsync(() -> {
            try {
                return run("tunnel", "connect", "--netns", lab.plan().deviceNamespace(), "--session", "cli", "--seconds", String.valueOf(seconds),
                        lab.clientProfile("cli").toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && SessionRecord.list().stream().noneMatch(r -> r.state().equals("CONNECTED"))) {
            Thread.sleep(50);
        }
        return connect;
    }

    static String design(String name) {
        return Path.of(System.getProperty("crew.examples"), "designs", name + ".crew.json").toString();
    }

    @Test
    void givenTheRegistry_thenEveryTunnelAndLabCommandIsThere() throws Exception {
        List<String> names = tracker.waitForService(10_000).commands().stream().map(CliCommand::name).toList();
        for (String n : List.of("tunnel connect", "tunnel disconnect", "tunnel status", "tunnel attack", "lab up", "lab down", "lab status",
                "bench tunnel")) {
            assertTrue(names.contains(n), names.toString());
        }
    }

    @Test
    void givenNoRootNeeded_whenPlanningAndAskingStatus_thenClearAnswers() throws Exception {
        Run dry = run("lab", "up", "--dry-run", "--id", "docs", design("split-tunnel"));
        assertEquals(ExitCode.OK, dry.code(), dry.err());
        assertTrue(dry.out().contains("push \"setenv-safe CREW_CRE 1\"") && dry.out().contains("table inet crew_lab"), dry.out());
        Run status = run("tunnel", "status");
        assertTrue(status.out().contains("No tunnel session"), status.out());
        assertTrue(run("lab", "status").out().contains("No lab is up"));
        Path saml = home.resolve("saml.ovpn");
        Files.writeString(saml, "client\ndev tun\nremote cvpn-endpoint-1.prod.clientvpn.eu-west-1.amazonaws.com 443\nauth-federate\n");
        Run refused = run("tunnel", "connect", saml.toString());
        assertEquals(ExitCode.BAD_INPUT, refused.code());
        assertTrue(refused.err().contains(saml + ":4: 'auth-federate' is not supported"), refused.err());
        Run badClient = run("lab", "up", "--dry-run", "--client", "a b", design("split-tunnel"));
        assertEquals(ExitCode.BAD_INPUT, badClient.code());
        assertTrue(run("tunnel", "attack").err().contains("no tunnel session is running"));
    }

    @Test
    void givenALab_whenConnectedFromTheCommandLine_thenStatusAndAttackReportTheEnforcement() throws Exception {
        Prerequisites.requireRoot();
        Path openvpn = Prerequisites.requireExecutable("openvpn", "the tunnel drives the real openvpn");
        try (EndpointLab lab = EndpointLab.up(LabPlanTest.example("split-tunnel"), LabPlanTest.uniqueId("cli"), List.of(new LabClient("cli", Set.of())), openvpn,
                l -> { })) {
            assertTrue(run("lab", "status").out().contains(lab.plan().id() + ": endpoint " + lab.plan().publicAddress()));
            CompletableFuture<Run> connect = connectCli(lab, 6);
            Run status = run("tunnel", "status", "cli");
            assertTrue(status.out().contains("cli: connected on tun0 in namespace " + lab.plan().deviceNamespace() + ", enforced (aws)"), status.out());
            assertTrue(status.out().contains("protects 172.31.0.0/16 via 10.200.0.33 dev tun0"), status.out());
            Run attack = run("tunnel", "attack", "cli");
            assertEquals(ExitCode.OK, attack.code(), attack.out() + attack.err());
            assertTrue(attack.out().contains("enforced: session cli removed the conflicting route"), attack.out());
            Run done = connect.get(30, TimeUnit.SECONDS);
            assertEquals(ExitCode.OK, done.code(), done.out() + done.err());
            assertTrue(done.out().contains("connected in") && done.out().contains("conflict-detected") && done.out().contains("routing table restored"),
                    done.out());
            assertTrue(SessionRecord.list().isEmpty(), "the session record is removed when the session ends");
            Run down = run("lab", "down", lab.plan().id());
            assertEquals(ExitCode.OK, down.code(), down.err());
            assertTrue(run("lab", "status").out().contains("No lab is up"));
        }
    }

    @Test
    void givenADualStackSession_whenAttackedWithIpv6EqualPrefixAndOutsideRoutes_thenEachIsReportedForWhatItIsAndJsonIsJson() throws Exception {
        Prerequisites.requireRoot();
        Path openvpn = Prerequisites.requireExecutable("openvpn", "the tunnel drives the real openvpn");
        try (EndpointLab lab = EndpointLab.up(LabPlanTest.example("dual-stack"), LabPlanTest.uniqueId("tfa"), List.of(new LabClient("cli", Set.of())),
                openvpn, l -> { })) {
            CompletableFuture<Run> connect = connectCli(lab, 60);
            try (crew.routing.api.NamespaceCapable.ClosableRoutingBackend device = crew.routing.linux.LinuxRouting.namespace(lab.plan().deviceNamespace())) {
                java.util.Set<String> connected = LabEndToEndTest.identities(device.routes());

                // IPv6: the lab's LAN carries none, so the route points at lo (not at the IPv4 gateway); JSON on request
                Run v6 = run("tunnel", "attack", "--route", "2600:1f14:abc:de00::/64", "--json", "cli");
                assertEquals(ExitCode.OK, v6.code(), v6.out() + v6.err());
                com.google.gson.JsonObject j = com.google.gson.JsonParser.parseString(v6.out()).getAsJsonObject();
                assertEquals("removed", j.get("verdict").getAsString(), v6.out());
                assertEquals("2600:1f14:abc:de00::/56", j.get("conflictsWith").getAsString());
                assertTrue(j.get("route").getAsString().contains("dev lo") && j.get("removalMillis").getAsDouble() >= 0, v6.out());

                // the protected route's own prefix through the LAN: it replaces the tunnel's route, CRE puts its own back
                Run same = run("tunnel", "attack", "--route", "10.1.0.0/16", "cli");
                assertEquals(ExitCode.OK, same.code(), same.out() + same.err());
                assertTrue(same.out().contains("enforced: session cli removed the conflicting route") && same.out().contains("restored its own 10.1.0.0/16"),
                        same.out());

                // outside every protected range: no conflict, and said so (the session is enforced)
                Run outside = run("tunnel", "attack", "--route", "192.0.2.0/24", "--wait", "500", "cli");
                assertEquals(ExitCode.OK, outside.code(), outside.out() + outside.err());
                assertTrue(outside.out().contains("no conflict: 192.0.2.0/24 is outside the session's protected ranges"), outside.out());
                assertFalse(outside.out().contains("not enforced"), outside.out());
                Thread.sleep(300); // the engine re-asserts after the equal-prefix attack within its batch; let events settle
                assertEquals(connected, LabEndToEndTest.identities(device.routes()), "every attack left the table as it was found");
            }

            // disconnect through the session's control socket: this process (the test's, as a workbench's would) lives on
            Run disconnect = run("tunnel", "disconnect", "cli");
            assertEquals(ExitCode.OK, disconnect.code(), disconnect.out() + disconnect.err());
            assertTrue(disconnect.out().contains("cli disconnected; its process restored the routing table"), disconnect.out());
            Run done = connect.get(30, TimeUnit.SECONDS);
            assertEquals(ExitCode.OK, done.code(), done.out() + done.err());
            assertTrue(done.out().contains("routing table restored"), done.out());
        }
    }

    @Test
    void givenALab_whenBenchmarked_thenBothConnectTimesArePrinted() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("openvpn", "the benchmark drives the real openvpn");
        Run bench = run("bench", "tunnel", "--runs", "1", "--id", LabPlanTest.uniqueId("bnch"), design("split-tunnel"));
        assertEquals(ExitCode.OK, bench.code(), bench.err());
        assertTrue(bench.out().contains("CREW (openvpn driven, routes installed and protected): median")
                && bench.out().contains("plain openvpn (its own routes, no protection):         median")
                && bench.out().contains("CREW: table snapshot, journal, routes installed and protected: median"), bench.out());
        System.out.println(bench.out());
    }

    @Test
    void givenAnUnreadableSessionAndLabFile_whenAskingStatus_thenTheOthersAreListedAndTheBadOneNamed() throws Exception {
        Path bad = home.resolve("tunnel/broken");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("session.json"), "{\"sessionId\": \"broken\", \"ownerPid\": ");
        Process owner = new ProcessBuilder("sleep", "30").start();
        try {
            // a record whose pid is alive but belongs to a process that started later than the record's owner
            new crew.tunnel.SessionRecord("reused", owner.pid(), true, "/x.ovpn", "", "CONNECTED", "CONNECTED", "", "", "tun9", true, "aws", "", "",
                    List.of(), "", new crew.enforce.OwnerProcess(owner.pid(), 1, 1)).write(home.resolve("tunnel/reused"));
            Path labDir = home.resolve("lab/brokenlab");
            Files.createDirectories(labDir);
            Files.writeString(labDir.resolve("lab.json"), "not json");

            Run status = run("tunnel", "status");
            assertEquals(ExitCode.OK, status.code(), status.err());
            assertTrue(status.err().contains("broken") && status.err().contains("not a tunnel session file"), status.err());
            assertTrue(status.out().contains("reused: connected (its process " + owner.pid() + " is gone)"), "a reused pid is not the owner: " + status.out());

            Run disconnect = run("tunnel", "disconnect", "reused");
            assertTrue(owner.isAlive(), "disconnect never signals a process that only has the owner's pid: " + disconnect.out() + disconnect.err());

            Run labs = run("lab", "status");
            assertEquals(ExitCode.OK, labs.code(), labs.err());
            assertTrue(labs.err().contains("brokenlab") && labs.err().contains("not a lab state file"), labs.err());
        } finally {
            owner.destroyForcibly();
        }
    }
}
