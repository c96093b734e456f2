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
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;
import crew.design.Designs;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.WorkspaceFile;

/**
 * {@code crew import aws-cli}, the design commands reading AWS CLI output directly, and {@code crew predict --devices}
 * over a folder of mixed device snapshots, through the crew application's dispatcher.
 */
class ImportAndFleetCommandsTest {
    private ServiceTracker<CommandRegistry, CommandRegistry> tracker;

    @BeforeEach
    void open() {
        tracker = new ServiceTracker<>(FrameworkUtil.getBundle(ImportAndFleetCommandsTest.class).getBundleContext(), CommandRegistry.class, null);
        tracker.open();
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    private record Line(int code, String out, String err) {
    }

    private Line line(Path cwd, String... words) throws Exception {
        CommandRegistry registry = tracker.waitForService(10_000);
        assertNotNull(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), cwd, List.of(words).contains("--json"));
        int code = new CommandLine(registry).run(List.of(words), ctx);
        return new Line(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void givenTheAwsCliExample_whenImported_thenADesignFileThatLintsLikeTheDirectoryItself(@TempDir Path dir) throws Exception {
        Path cli = Designs.root().resolve("aws-cli").toAbsolutePath().normalize();
        Line imp = line(dir, "import", "aws-cli", cli.toString());
        assertEquals(ExitCode.OK, imp.code(), imp.err());
        Path written = dir.resolve("corp-split.crew.json");
        assertTrue(imp.out().contains("wrote " + written + ": cvpn-endpoint-0a1b2c3d4e5f60718 \"corp-split\", 2 target networks"), imp.out());
        assertTrue(imp.out().contains("read " + cli.resolve("describe-client-vpn-routes.json") + " (describe-client-vpn-routes)"), imp.out());
        EndpointDesign d = WorkspaceFile.read(written);
        assertEquals("cvpn-endpoint-0a1b2c3d4e5f60718", d.endpoint().endpointId());
        // again: refused without --force; with --output the one design goes where it is told
        assertEquals(ExitCode.BAD_INPUT, line(dir, "import", "aws-cli", cli.toString()).code());
        assertEquals(ExitCode.OK, line(dir, "import", "aws-cli", cli.toString(), "--output", "x.crew.json").code());
        assertEquals(ExitCode.BAD_INPUT, line(dir, "import", "aws-cli", cli.toString(), "--output", "x.json", "--force").code());

        // every design command takes the directory as it takes the file
        for (String[] cmd : List.of(new String[] {"lint", "--json"}, new String[] {"access", "--json"}, new String[] {"predict", "--json"},
                new String[] {"conflicts", "--json"}, new String[] {"trace", "--json", "172.31.0.10"})) {
            List<String> onDir = new java.util.ArrayList<>(List.of(cmd));
            onDir.add(cli.toString());
            List<String> onFile = new java.util.ArrayList<>(List.of(cmd));
            onFile.add(written.toString());
            Line a = line(dir, onDir.toArray(String[]::new));
            Line b = line(dir, onFile.toArray(String[]::new));
            assertEquals(b.code(), a.code(), cmd[0] + ": " + a.err());
            assertTrue(a.code() == ExitCode.OK || a.code() == ExitCode.FINDINGS, cmd[0] + ": " + a.err());
            assertEquals(b.out().replace(written.toString(), "F"), a.out().replace(cli.toString(), "F"), cmd[0]);
        }
        // a single describe output file works too (the endpoints alone: no routes)
        Line one = line(dir, "lint", cli.resolve("describe-client-vpn-endpoints.json").toString());
        assertEquals(ExitCode.OK, one.code(), one.out() + one.err());
        assertTrue(one.out().startsWith("corp-split ("), one.out());
        // --endpoint chooses; an unknown one is named with those there are
        Line unknown = line(dir, "lint", cli.toString(), "--endpoint", "cvpn-endpoint-00000000000000000");
        assertEquals(ExitCode.BAD_INPUT, unknown.code());
        assertTrue(unknown.err().contains("describes cvpn-endpoint-0a1b2c3d4e5f60718"), unknown.err());
        Line onDesign = line(dir, "lint", written.toString(), "--endpoint", "cvpn-endpoint-0a1b2c3d4e5f60718");
        assertEquals(ExitCode.BAD_INPUT, onDesign.code());
    }

    @Test
    void givenTwoEndpoints_whenADesignCommandReadsThemWithoutEndpoint_thenItAsksForOne(@TempDir Path dir) throws Exception {
        Path cli = Designs.root().resolve("aws-cli").toAbsolutePath().normalize();
        Path two = Files.createDirectories(dir.resolve("two"));
        for (String f : List.of("describe-client-vpn-endpoints.json", "describe-client-vpn-routes.json")) {
            Files.writeString(two.resolve(f), Files.readString(cli.resolve(f)));
            Files.writeString(two.resolve("b-" + f), Files.readString(cli.resolve(f)).replace("cvpn-endpoint-0a1b2c3d4e5f60718", "cvpn-endpoint-0123456789abcdef0")
                    .replace("\"corp-split\"", "\"second\""));
        }
        Line r = line(dir, "lint", two.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code());
        assertTrue(r.err().contains("describes 2 endpoints (cvpn-endpoint-0123456789abcdef0, cvpn-endpoint-0a1b2c3d4e5f60718): choose one with --endpoint ID")
                || r.err().contains("describes 2 endpoints (cvpn-endpoint-0a1b2c3d4e5f60718, cvpn-endpoint-0123456789abcdef0): choose one with --endpoint ID"), r.err());
        assertTrue(line(dir, "lint", two.toString(), "--endpoint", "cvpn-endpoint-0123456789abcdef0").code() <= ExitCode.FINDINGS);
        Line imp = line(dir, "import", "aws-cli", two.toString(), "--json");
        assertEquals(ExitCode.OK, imp.code(), imp.err());
        assertEquals(2, JsonParser.parseString(imp.out()).getAsJsonObject().getAsJsonArray("designs").size());
        assertTrue(Files.isRegularFile(dir.resolve("second.crew.json")));
    }

    @Test
    void givenAFolderOfMixedDeviceSnapshots_whenPredicted_thenEachDeviceSaysWhatItLosesAndWhatWouldLeak(@TempDir Path dir) throws Exception {
        Path devices = Files.createDirectories(dir.resolve("fleet"));
        for (String f : List.of("linux-ip-route.txt", "macos-netstat-rn.txt", "windows-route-print.txt", "cre-example-ip-route.txt")) {
            Files.copy(Designs.root().resolve("devices").resolve(f), devices.resolve(f));
        }
        Line text = line(dir, "predict", "--example", "full-tunnel", "--devices", devices.toString());
        assertEquals(ExitCode.FINDINGS, text.code(), text.err());
        assertTrue(text.out().contains("4 devices in " + devices), text.out());
        assertTrue(text.out().contains("macos-netstat-rn.txt (bsd_netstat, 19 routes): loses "), text.out());
        assertTrue(text.out().contains("windows-route-print.txt (windows_route_print"), text.out());
        assertTrue(text.out().contains("4 of 4 devices affected"), text.out());
        Line json = line(dir, "predict", "--json", "--example", "split-tunnel", "--devices", devices.toString());
        JsonObject o = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals(4, o.getAsJsonArray("devices").size());
        // the AWS CRE example device loses 172.31.1.0/24, and without CRE that range would leak
        JsonObject cre = o.getAsJsonArray("devices").get(0).getAsJsonObject();
        assertEquals("cre-example-ip-route.txt", cre.get("device").getAsString());
        assertEquals("172.31.1.0/24", cre.getAsJsonArray("removedByCre").get(0).getAsJsonObject().getAsJsonObject("route").get("destination").getAsString());
        assertEquals("172.31.1.0/24", cre.getAsJsonArray("leaksWithoutCre").get(0).getAsJsonObject().get("range").getAsString());
        // a bad snapshot is bad input with its file and line
        Files.writeString(devices.resolve("zz-bad.txt"), "10.0.0.0/8 via 192.168.1.1 dev eth0 metric \u0661\n");
        Line bad = line(dir, "predict", "--devices", devices.toString());
        assertEquals(ExitCode.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains(devices.resolve("zz-bad.txt") + ":1: metric"), bad.err());
    }
}
