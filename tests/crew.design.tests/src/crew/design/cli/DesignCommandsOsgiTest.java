package crew.design.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;

/** The design commands as the crew application sees them: DS services in the registry, run on the examples. */
class DesignCommandsOsgiTest {
    private ServiceTracker<CommandRegistry, CommandRegistry> tracker;

    @BeforeEach
    void open() {
        BundleContext context = FrameworkUtil.getBundle(DesignCommandsOsgiTest.class).getBundleContext();
        tracker = new ServiceTracker<>(context, CommandRegistry.class, null);
        tracker.open();
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    private record Run(int code, String out) {
    }

    private Run run(String... words) throws Exception {
        CommandRegistry registry = tracker.waitForService(10_000);
        assertNotNull(registry);
        List<String> all = List.of(words);
        CliCommand cmd = registry.find(all).orElseThrow(() -> new AssertionError("no command for " + all));
        int n = cmd.name().split(" ").length;
        List<String> rest = all.subList(n, all.size());
        boolean json = rest.contains("--json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                new ByteArrayInputStream(new byte[0]), Path.of("."), json);
        List<crew.cli.Option> options = new java.util.ArrayList<>(cmd.options());
        options.add(crew.cli.Option.flag("json", "json"));
        try {
            int code = cmd.run(ctx, Arguments.parse(rest, options));
            return new Run(code, out.toString(StandardCharsets.UTF_8));
        } catch (CommandException e) {
            return new Run(e.exitCode(), e.getMessage());
        }
    }

    private record Line(int code, String out, String err) {
    }

    /** The words as crew's application runs them: through CommandLine, the dispatcher with its error handling. */
    private Line line(String... words) throws Exception {
        CommandRegistry registry = tracker.waitForService(10_000);
        assertNotNull(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Path.of("."), false);
        int code = new CommandLine(registry).run(List.of(words), ctx);
        return new Line(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String example(String name) throws Exception {
        return Files.readString(crew.design.Designs.root().resolve("designs/" + name + ".crew.json"), StandardCharsets.UTF_8);
    }

    @Test
    void givenArraysNested100000Deep_whenLintedPredictedOrAsJson_thenExit2WithFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path deep = dir.resolve("deep.json");
        Files.writeString(deep, "[".repeat(100_000) + "]".repeat(100_000));
        for (String[] words : List.of(new String[] {"lint", deep.toString()}, new String[] {"predict", deep.toString()},
                new String[] {"lint", "--json", deep.toString()}, new String[] {"conflicts", "--json", deep.toString()})) {
            Line r = line(words);
            assertEquals(ExitCode.BAD_INPUT, r.code(), List.of(words) + ": " + r.err());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("crew " + words[0] + ": " + deep + ":1:65: arrays and objects nested more than 64 levels deep"), r.err());
        }
    }

    @Test
    void givenADuplicateKey_whenLinted_thenExit2NamingTheKeyAndBothLines(@TempDir Path dir) throws Exception {
        Path dup = dir.resolve("dup.crew.json");
        Files.writeString(dup, example("split-tunnel").replace("\"VpnPort\": 443,", "\"VpnPort\": 443,\n    \"VpnPort\": 1194,"));
        Line r = line("lint", dup.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains(dup + ":18:5: $.ClientVpnEndpoint.VpnPort: duplicate key \"VpnPort\" (first at line 17, again at line 18)"), r.err());
    }

    @Test
    void givenUnreadableInputs_whenLinted_thenTheReasonInWords(@TempDir Path dir) throws Exception {
        Path utf16 = dir.resolve("utf16.crew.json");
        byte[] body = example("split-tunnel").getBytes(StandardCharsets.UTF_16);
        Files.write(utf16, body);
        Line u = line("lint", utf16.toString());
        assertEquals(ExitCode.BAD_INPUT, u.code());
        assertTrue(u.err().contains(utf16 + ":1: the file is UTF-16BE (it starts with that byte order mark); CREW reads UTF-8"), u.err());
        Line missing = line("lint", dir.resolve("missing.json").toString());
        assertEquals(ExitCode.BAD_INPUT, missing.code());
        assertEquals("crew lint: cannot read " + dir.resolve("missing.json") + ": no such file\n", missing.err());
        Line directory = line("lint", dir.toString());
        assertEquals("crew lint: cannot read " + dir + ": is a directory with no .json files (AWS CLI describe-client-vpn-* output); a design is a"
                + " NAME.crew.json file\n", directory.err());
        Line device = line("predict", "--device", dir.toString());
        assertEquals(ExitCode.BAD_INPUT, device.code(), device.err());
    }

    @Test
    void givenTheExamples_whenPredicted_thenTheDnsTheDeviceGetsIsShown() throws Exception {
        Line split = line("predict", "--example", "split-tunnel");
        assertTrue(split.out().contains("DNS: 172.31.0.2 on the tunnel link for the domains the endpoint pushes (split tunnel"), split.out());
        Line full = line("predict", "--example", "full-tunnel", "--json");
        assertTrue(full.out().contains("\"servers\": [\n      \"10.0.0.2\",\n      \"10.0.0.3\"\n    ]") || full.out().replaceAll("\\s", "")
                .contains("\"servers\":[\"10.0.0.2\",\"10.0.0.3\"],\"scope\":\"all-names\""), full.out());
    }

    @Test
    void givenControlCharactersInTheDesignName_whenLinted_thenEscapedInTextAndExactInJson(@TempDir Path dir) throws Exception {
        Path evil = dir.resolve("evil.crew.json");
        Files.writeString(evil, example("split-tunnel").replace("\"Name\": \"corp split tunnel with CRE\"",
                "\"Name\": \"corp\\u001b]0;owned\\u0007\\u001b[2J \\u202egnp.exe\\u0085\""));
        Line text = line("lint", evil.toString());
        assertEquals(ExitCode.OK, text.code(), text.err());
        assertTrue(text.out().startsWith("corp\\u001b]0;owned\\u0007\\u001b[2J \\u202egnp.exe\\u0085 ("), text.out());
        assertTrue(text.out().chars().noneMatch(c -> c < 0x20 && c != '\n' || c == 0x202e || c == 0x85), text.out());
        Line json = line("lint", "--json", evil.toString());
        assertEquals("corp\u001b]0;owned\u0007\u001b[2J \u202egnp.exe\u0085", JsonParser.parseString(json.out()).getAsJsonObject().get("design").getAsString());
        assertTrue(json.out().chars().noneMatch(c -> c < 0x20 && c != '\n' || c == 0x202e || c == 0x85), json.out());
    }

    @Test
    void givenTheRegistry_thenEveryDesignCommandIsThere() throws Exception {
        List<String> names = tracker.waitForService(10_000).commands().stream().map(CliCommand::name).toList();
        for (String n : List.of("lint", "access", "predict", "conflicts", "trace", "bench design")) {
            assertTrue(names.contains(n), names.toString());
        }
    }

    @Test
    void givenExamples_whenLinted_thenExitCodesAndSarif() throws Exception {
        assertEquals(ExitCode.OK, run("lint", "--example", "split-tunnel").code());
        Run full = run("lint", "--example", "full-tunnel", "--format", "sarif");
        assertEquals(ExitCode.FINDINGS, full.code());
        JsonObject sarif = JsonParser.parseString(full.out()).getAsJsonObject();
        assertEquals("2.1.0", sarif.get("version").getAsString());
        assertTrue(sarif.getAsJsonArray("runs").get(0).getAsJsonObject().getAsJsonArray("results").size() > 0);
        Run rules = run("lint", "--rules");
        assertTrue(rules.out().contains("CVPN001") && rules.out().contains("CVPN029"), rules.out());
    }

    @Test
    void givenBadInput_whenLinted_thenExit2WithFileAndLine() throws Exception {
        Path bad = Files.createTempFile("bad", ".crew.json");
        try {
            Files.writeString(bad, "{\"Format\": \"crew-design/1\",\n \"ClientVpnEndpoint\": {\"ClientCidrBlock\": \"10.0.0.1/22\"}}");
            Run r = run("lint", bad.toString());
            assertEquals(ExitCode.BAD_INPUT, r.code());
            assertTrue(r.out().contains(bad.toString() + ":2:") && r.out().contains("host bits"), r.out());
        } finally {
            Files.deleteIfExists(bad);
        }
        assertEquals(ExitCode.BAD_INPUT, run("lint", "--example", "nope").code());
        assertEquals(ExitCode.BAD_INPUT, run("lint", "--format", "xml").code());
    }

    @Test
    void givenExamples_whenAccessPredictConflictsTrace_thenResults() throws Exception {
        Run matrix = run("access", "--example", "split-tunnel");
        assertEquals(ExitCode.OK, matrix.code());
        assertTrue(matrix.out().contains("10.50.8.0/24"), matrix.out());
        assertEquals(ExitCode.FINDINGS, run("access", "--destination", "10.50.8.1", "--group", "engineering").code());
        assertEquals(ExitCode.OK, run("access", "--destination", "10.50.8.1", "--group", "finance").code());
        Run conflicts = run("conflicts", "--example", "split-tunnel", "--device", "cre-example", "--json");
        assertEquals(ExitCode.FINDINGS, conflicts.code());
        JsonObject c = JsonParser.parseString(conflicts.out()).getAsJsonObject();
        assertEquals(1, c.getAsJsonArray("conflicts").size());
        assertEquals("172.31.1.0/24", c.getAsJsonArray("conflicts").get(0).getAsJsonObject().getAsJsonObject("route").get("destination").getAsString());
        for (String os : List.of("linux", "macos", "windows")) {
            Run p = run("predict", "--example", "split-tunnel", "--device", os);
            assertEquals(ExitCode.FINDINGS, p.code(), os + ": " + p.out());
        }
        Run trace = run("trace", "172.31.9.9", "--example", "split-tunnel", "--device", "cre-example");
        assertEquals(ExitCode.OK, trace.code(), trace.out());
        assertTrue(trace.out().contains("verdict: REACHABLE"), trace.out());
        assertEquals(ExitCode.BAD_INPUT, run("trace", "not-an-ip").code());
    }

    @Test
    void givenTheDualStackExample_whenPredictedWithoutClientIpv6_thenItsIpv6RoutesAreInTheTunnelWithTheDefaultAddress() throws Exception {
        Run p = run("predict", "--example", "dual-stack", "--json");
        JsonObject j = JsonParser.parseString(p.out()).getAsJsonObject();
        List<String> added = new java.util.ArrayList<>();
        j.getAsJsonArray("added").forEach(e -> added.add(e.getAsJsonObject().get("destination").getAsString()));
        assertTrue(added.contains("2600:1f14:abc:de00::/56"), "the design's IPv6 route: " + added);
        String host = crew.design.device.PredictionDefaults.CLIENT_IPV6 + "/128";
        assertTrue(added.contains(host), "the default client IPv6 address: " + added);
        Run text = run("predict", "--example", "dual-stack");
        assertTrue(text.out().contains(crew.design.device.PredictionDefaults.CLIENT_IPV6 + " (the default; --client-ipv6 sets it)"), text.out());
        Run conflicts = run("conflicts", "--example", "dual-stack", "--json");
        List<String> prot = new java.util.ArrayList<>();
        JsonParser.parseString(conflicts.out()).getAsJsonObject().getAsJsonArray("protected").forEach(e -> prot.add(e.getAsString()));
        assertTrue(prot.contains("2600:1f14:abc:de00::/56"), prot.toString());
        Run trace = run("trace", "2600:1f14:abc:de00::10", "--example", "dual-stack");
        assertEquals(ExitCode.OK, trace.code(), trace.out());
        assertTrue(trace.out().contains("verdict: REACHABLE"), trace.out());
        // an explicit address still wins, and an IPv4-only design takes none
        Run own = run("predict", "--example", "dual-stack", "--client-ipv6", "2001:db8:77::5", "--json");
        assertTrue(own.out().contains("2001:db8:77::5/128") && !own.out().contains(host), own.out());
        assertTrue(!run("predict", "--example", "split-tunnel").out().contains("IPv6"), "no IPv6 note for an IPv4 design");
    }

    @Test
    void givenATraceThatEndsOutsideTheTunnelOrWithoutARoute_whenPrintedAsText_thenTheLastLineIsTheVerdict() throws Exception {
        for (String[] c : List.of(new String[] {"192.168.1.20", "OUTSIDE_TUNNEL"}, new String[] {"8.8.8.8", "OUTSIDE_TUNNEL"})) {
            Run t = run("trace", c[0], "--example", "split-tunnel", "--device", "cre-example");
            assertEquals(ExitCode.FINDINGS, t.code(), t.out());
            String[] lines = t.out().strip().split("\n");
            assertTrue(lines[lines.length - 1].endsWith("verdict: " + c[1]), t.out());
        }
    }

    @Test
    void givenSmallSizes_whenBenched_thenFiguresPrinted() throws Exception {
        Run b = run("bench", "design", "--sizes", "1000,2000", "--runs", "1", "--protected", "100", "--json");
        assertEquals(ExitCode.OK, b.code());
        JsonObject j = JsonParser.parseString(b.out()).getAsJsonObject();
        assertEquals(2, j.getAsJsonArray("results").size());
    }
}
