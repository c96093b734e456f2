package crew.ui.designer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.design.device.Conflict;
import crew.design.device.DevicePrediction;
import crew.design.device.DevicePredictor;
import crew.design.device.PredictionRequest;
import crew.design.trace.RouteTrace;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.RouteSnapshot;
import crew.model.io.WorkspaceFile;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;
import crew.testing.Prerequisites;
import crew.testing.Screenshots;
import crew.testing.UiWait;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkbenchEditors;

/**
 * Real SWT under Xvfb: the designer's analyses on the example designs, each compared with what the `crew` commands
 * and crew.design compute for the same file.
 */
class DesignerAnalysisSwtTest {
    private static final long WAIT = 20_000;

    private Display display;
    private Shell shell;
    private ServiceTracker<CommandRegistry, CommandRegistry> commands;

    @BeforeEach
    void openShell() {
        Prerequisites.requireDisplay();
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1300, 800);
        BundleContext context = FrameworkUtil.getBundle(DesignerAnalysisSwtTest.class).getBundleContext();
        commands = new ServiceTracker<>(context, CommandRegistry.class, null);
        commands.open();
    }

    @AfterEach
    void closeShell() {
        if (shell != null) {
            shell.dispose();
        }
        if (commands != null) {
            commands.close();
        }
    }

    /** The example workspace's designs and devices copied into {@code folder} (tests change the design file). */
    private static Path workspace(Path folder) throws IOException {
        Path examples = Path.of(System.getProperty("crew.examples"));
        for (String sub : List.of("designs", "devices")) {
            Files.createDirectories(folder.resolve(sub));
            try (Stream<Path> files = Files.list(examples.resolve(sub))) {
                for (Path f : files.toList()) {
                    Files.copy(f, folder.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        return folder;
    }

    private DesignerPart open(Path file) {
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(WorkbenchEditors.FILE, file.toString());
        return open(part);
    }

    private DesignerPart open(MPart part) {
        DesignerPart designer = new DesignerPart();
        designer.part = part;
        designer.createControls(shell);
        shell.open();
        UiWait.until(display, () -> designer.analysis() != null, WAIT, "the design is read and analysed");
        return designer;
    }

    /** The designer of {@code file} on its Device prediction tab. */
    private DesignerPart openOnPrediction(Path file) {
        DesignerPart designer = open(file);
        designer.selectTab(DesignerPart.TAB_PREDICTION);
        UiWait.drain(display);
        return designer;
    }

    /** Runs `crew WORDS...` through the command registry, as the crew application does; returns stdout. */
    private String crew(String... words) throws Exception {
        CommandRegistry registry = commands.waitForService(10_000);
        assertNotNull(registry, "crew.cli's command registry");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(registry).run(List.of(words), new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Path.of("."), false));
        assertTrue(code == 0 || code == 1, "crew " + String.join(" ", words) + " exit " + code + ": " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void givenEachExampleDesign_whenOpened_thenTheAccessMatrixEqualsCrewAccessCellByCell(@TempDir Path folder) throws Exception {
        Path ws = workspace(folder);
        for (String name : List.of("full-tunnel", "dual-stack", "split-tunnel")) {
            shell.dispose();
            shell = new Shell(display, SWT.SHELL_TRIM);
            shell.setLayout(new FillLayout());
            shell.setSize(1300, 800);
            Path file = ws.resolve("designs").resolve(name + WorkspaceFile.SUFFIX);
            DesignerPart designer = open(file);
            designer.selectTab(DesignerPart.TAB_ACCESS);
            UiWait.drain(display);
            AccessMatrixView view = designer.matrix();

            JsonObject expected = JsonParser.parseString(crew("access", file.toString(), "--json")).getAsJsonObject();
            List<String> groups = new ArrayList<>();
            expected.getAsJsonArray("groups").forEach(g -> groups.add(g.getAsString()));
            assertEquals(groups, view.headers().subList(AccessMatrixView.FIXED, view.headers().size()), name + ": the groups");
            JsonArray rows = expected.getAsJsonArray("rows");
            List<List<String>> shown = view.cells();
            assertEquals(rows.size(), shown.size(), name + ": the ranges");
            assertTrue(rows.size() > 0, name);
            for (int i = 0; i < rows.size(); i++) {
                JsonObject row = rows.get(i).getAsJsonObject();
                List<String> cells = shown.get(i);
                assertEquals(row.get("range").getAsString(), cells.get(0), name + " row " + i);
                List<String> except = new ArrayList<>();
                row.getAsJsonArray("except").forEach(e -> except.add(e.getAsString()));
                assertEquals(String.join(", ", except), cells.get(1), name + " row " + i + " except");
                JsonObject allowed = row.getAsJsonObject("allowed");
                for (int g = 0; g < groups.size(); g++) {
                    boolean ok = allowed.get(groups.get(g)).getAsBoolean();
                    assertEquals(ok ? "allow" : "deny", cells.get(AccessMatrixView.FIXED + g), name + " " + cells.get(0) + " x " + groups.get(g));
                    assertEquals(ok ? AccessMatrixView.ALLOW : AccessMatrixView.DENY, view.background(i, AccessMatrixView.FIXED + g));
                    String reason = view.reason(i, AccessMatrixView.FIXED + g);
                    assertTrue(reason.startsWith(ok ? "Allowed" : "Denied"), reason);
                }
            }
            if (name.equals("split-tunnel")) {
                // the finance range: engineering is denied there although 10.50.0.0/16 admits it; the reason says so
                int row = indexOf(shown, "10.50.8.0/24");
                int eng = view.headers().indexOf("engineering");
                int fin = view.headers().indexOf("finance");
                assertTrue(row >= 0 && eng >= 0 && fin >= 0, view.headers() + " " + shown);
                view.select(row, eng);
                String denied = view.details();
                assertTrue(denied.startsWith("Denied: group engineering \u2192 10.50.8.0/24") && denied.contains("admits only group finance"), denied);
                assertEquals(view.reason(row, eng), denied, "the details line is the tooltip's text");
                // keyboard: the arrow keys move the cell cursor and the details line follows
                int next = eng + 1;
                Event right = new Event();
                right.keyCode = SWT.ARROW_RIGHT;
                view.cursor().setFocus();
                view.cursor().notifyListeners(SWT.KeyDown, right);
                UiWait.drain(display);
                assertEquals(next, view.cursor().getColumn());
                assertEquals(view.reason(row, next), view.details());
                view.select(row, fin);
                assertTrue(view.details().startsWith("Allowed: group finance") && view.details().contains("10.50.8.0/24 for group finance"),
                        view.details());
                String text = view.asText(true);
                assertTrue(text.startsWith("Range,") && text.contains("10.50.8.0/24,"), text);
                Screenshots.save(shell, "designer-access");
            }
        }
    }

    private static int indexOf(List<List<String>> rows, String range) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).get(0).equals(range)) {
                return i;
            }
        }
        return -1;
    }

    private static PredictionRequest request(EndpointDesign design, List<DeviceRoute> table) {
        IpAddress client = design.endpoint().clientCidrBlock().first().next().next();
        return new PredictionRequest(design, client, null, IpAddress.parse("203.0.113.10"), "tun0", table, null);
    }

    /** The route texts a side should show: the table after connecting, then what CRE removed. */
    private static List<String> expectedRoutes(DevicePrediction p) {
        List<String> out = new ArrayList<>();
        p.after().forEach(r -> out.add(r.toString()));
        if (p.enforced()) {
            p.conflicts().forEach(c -> out.add(c.route().toString()));
        }
        return out;
    }

    private static List<String> column(RowTable table, int column) {
        return table.rows().stream().map(r -> r.cells().get(column)).toList();
    }

    @Test
    void givenTheSplitTunnelExample_whenPredicted_thenSplitAndFullMatchDevicePredictorAndCrewPredict(@TempDir Path folder) throws Exception {
        Path ws = workspace(folder);
        Path file = ws.resolve("designs/split-tunnel.crew.json");
        DesignerPart designer = openOnPrediction(file);
        PredictionView view = designer.prediction();
        assertEquals("devices/linux-ip-route.txt", view.source().getText(), "crew predict's default device table is chosen");

        EndpointDesign design = WorkspaceFile.read(file);
        assertTrue(design.endpoint().splitTunnel());
        List<DeviceRoute> table = RouteSnapshot.read(ws.resolve("devices/linux-ip-route.txt"));
        DevicePrediction split = DevicePredictor.predict(request(design, table));
        DevicePrediction full = DevicePredictor.predict(request(DesignAnalysis.withSplitTunnel(design, false), table));
        assertFalse(DesignAnalysis.withSplitTunnel(design, false).endpoint().splitTunnel());

        int route = 5;
        int mark = 4;
        assertEquals(table.stream().map(DeviceRoute::toString).toList(), column(view.deviceTable(), route));
        assertEquals(expectedRoutes(split), column(view.splitTable(), route));
        assertEquals(expectedRoutes(full), column(view.fullTable(), route));
        for (RowTable side : List.of(view.splitTable(), view.fullTable())) {
            DevicePrediction p = side == view.splitTable() ? split : full;
            assertEquals(p.protectedRoutes().size(), column(side, mark).stream().filter(PredictionView.MARK_PROTECTED::equals).count());
            assertEquals(p.conflicts().size(), column(side, mark).stream().filter(PredictionView.MARK_REMOVED::equals).count());
            assertEquals(p.added().size(), column(side, mark).stream().filter(m -> m.startsWith("added")).count());
        }
        assertEquals(split.leaks().stream().map(l -> l.range().toString()).toList(), column(view.splitLeaks(), 0));
        assertEquals(full.leaks().stream().map(l -> l.range().toString()).toList(), column(view.fullLeaks(), 0));
        assertTrue(column(view.splitLeaks(), 0).contains("172.31.1.0/24"), "the docker-style 172.31.1.0/24 route leaks from the VPC range");
        // the device side marks the route that conflicts
        RowTable.Row conflicting = view.deviceTable().rows().stream().filter(r -> r.cells().get(0).equals("172.31.1.0/24")).findFirst().orElseThrow();
        assertTrue(conflicting.cells().get(mark).startsWith("conflicts in split"), conflicting.cells().toString());
        assertEquals(PredictionView.CONFLICT, conflicting.background());

        // what `crew predict` prints for the same files
        JsonObject cli = JsonParser.parseString(crew("predict", file.toString(), "--device", ws.resolve("devices/linux-ip-route.txt").toString(),
                "--json")).getAsJsonObject();
        List<String> after = new ArrayList<>();
        cli.getAsJsonArray("after").forEach(e -> after.add(e.getAsJsonObject().get("text").getAsString()));
        assertEquals(after, split.after().stream().map(DeviceRoute::toString).toList());
        List<String> removed = new ArrayList<>();
        for (JsonElement e : cli.getAsJsonArray("removedByCre")) {
            removed.add(e.getAsJsonObject().getAsJsonObject("route").get("text").getAsString());
        }
        assertEquals(removed, split.conflicts().stream().map(Conflict::route).map(DeviceRoute::toString).toList());
        Screenshots.save(shell, "designer-prediction");

        // another snapshot: the AWS CRE example
        int cre = List.of(view.source().getItems()).indexOf("devices/cre-example-ip-route.txt");
        assertTrue(cre >= 0, List.of(view.source().getItems()).toString());
        DesignAnalysis before = designer.analysis();
        view.source().select(cre);
        view.source().notifyListeners(SWT.Selection, new Event());
        UiWait.until(display, () -> designer.analysis() != before, WAIT, "the prediction for the CRE example table");
        List<DeviceRoute> creTable = RouteSnapshot.read(ws.resolve("devices/cre-example-ip-route.txt"));
        assertEquals(expectedRoutes(DevicePredictor.predict(request(design, creTable))), column(view.splitTable(), route));
        assertTrue(view.status().contains("cre-example-ip-route.txt"), view.status());
        assertTrue(view.status().contains("DNS: " + crew.design.device.DnsPrediction.of(design.endpoint()).describe()), view.status());

        // this device, through the routing service (the simulated backend here)
        int live = -1;
        for (int i = 0; i < view.source().getItemCount(); i++) {
            if (view.source().getItem(i).startsWith("This device (")) {
                live = i;
            }
        }
        assertTrue(live >= 0, "the routing service's table is offered: " + List.of(view.source().getItems()));
        DesignAnalysis creAnalysis = designer.analysis();
        view.source().select(live);
        view.source().notifyListeners(SWT.Selection, new Event());
        UiWait.until(display, () -> designer.analysis() != creAnalysis, WAIT, "the prediction for this device's table");
        assertTrue(designer.analysis().inputs().deviceSource().startsWith("This device (sim"), designer.analysis().inputs().deviceSource());
        assertEquals(expectedRoutes(DevicePredictor.predict(request(design, designer.analysis().inputs().deviceTable()))),
                column(view.splitTable(), route));
    }

    @Test
    void givenTheWorkspacesDeviceSnapshots_whenPredicted_thenTheFleetTableIsCrewPredictDevicesDeviceForDevice(@TempDir Path folder) throws Exception {
        Path ws = workspace(folder);
        Path file = ws.resolve("designs/full-tunnel.crew.json");
        DesignerPart designer = openOnPrediction(file);
        PredictionView view = designer.prediction();
        long snapshots;
        try (Stream<Path> files = Files.list(ws.resolve("devices"))) {
            snapshots = files.count();
        }
        UiWait.until(display, () -> view.fleetTable().rows().size() == snapshots, 20_000, "one fleet row per snapshot: " + view.fleetTable().rows());
        // the same as crew predict --devices, device for device
        com.google.gson.JsonObject cli = com.google.gson.JsonParser.parseString(crew("predict", "--json", file.toString(), "--devices",
                ws.resolve("devices").toString())).getAsJsonObject();
        var devices = cli.getAsJsonArray("devices");
        assertEquals(snapshots, devices.size());
        for (int i = 0; i < devices.size(); i++) {
            var d = devices.get(i).getAsJsonObject();
            RowTable.Row row = view.fleetTable().rows().get(i);
            assertEquals("devices/" + d.get("device").getAsString(), row.cells().get(0));
            assertEquals(d.get("routes").getAsString(), row.cells().get(1));
            int removed = d.getAsJsonArray("removedByCre").size();
            assertEquals(removed == 0 ? "nothing" : removed + ":", removed == 0 ? row.cells().get(2) : row.cells().get(2).substring(0,
                    row.cells().get(2).indexOf(':') + 1), row.cells().toString());
        }
        assertTrue(view.fleetTable().rows().stream().anyMatch(r -> r.background() == PredictionView.CONFLICT));
        Screenshots.save(shell, "designer-fleet");
    }

    @Test
    void givenTypedClientSettings_whenPredicted_thenTheyAreCrewPredictsOptionsBadOnesAreNamedAndTheyAreKept(@TempDir Path folder)
            throws Exception {
        Path ws = workspace(folder);
        Path file = ws.resolve("designs/split-tunnel.crew.json");
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(WorkbenchEditors.FILE, file.toString());
        DesignerPart designer = open(part);
        designer.selectTab(DesignerPart.TAB_PREDICTION);
        UiWait.drain(display);
        PredictionView view = designer.prediction();
        assertEquals("", view.clientField().getText(), "empty: crew predict's default");
        assertTrue(view.status().contains("Client 10.200.0.2 on tun0, endpoint 203.0.113.10"), view.status());

        // a bad value is named, and the prediction stays what it was
        DesignAnalysis before = designer.analysis();
        view.clientField().setText("10.200.1.300");
        view.clientField().notifyListeners(SWT.DefaultSelection, new Event());
        UiWait.drain(display);
        assertTrue(view.settingsError().startsWith("Client address: "), view.settingsError());
        assertTrue(view.settingsError().contains("300"), view.settingsError());
        assertSame(before, designer.analysis());
        view.clientField().setText("2001:db8::5");
        view.clientField().notifyListeners(SWT.DefaultSelection, new Event());
        assertTrue(view.settingsError().startsWith("Client address: 2001:db8::5 is not an IPv4 address"), view.settingsError());
        view.clientField().setText("10.200.1.77");
        view.tunnelField().setText("utun 4");
        view.tunnelField().notifyListeners(SWT.DefaultSelection, new Event());
        assertTrue(view.settingsError().startsWith("Tunnel interface: 'utun 4' is not an interface name"), view.settingsError());
        assertSame(before, designer.analysis());
        UiWait.drain(display);
        Screenshots.save(shell, "designer-prediction-input-error");

        // good values: the prediction is DevicePredictor's and crew predict's with the same options
        view.endpointField().setText("198.51.100.7");
        view.tunnelField().setText("utun4");
        view.tunnelField().notifyListeners(SWT.DefaultSelection, new Event());
        UiWait.until(display, () -> designer.analysis() != before, WAIT, "the prediction with the typed values");
        assertEquals("", view.settingsError());
        EndpointDesign design = WorkspaceFile.read(file);
        List<DeviceRoute> table = RouteSnapshot.read(ws.resolve("devices/linux-ip-route.txt"));
        IpAddress client = IpAddress.parse("10.200.1.77");
        IpAddress endpoint = IpAddress.parse("198.51.100.7");
        DevicePrediction split = DevicePredictor.predict(new PredictionRequest(design, client, null, endpoint, "utun4", table, null));
        DevicePrediction full = DevicePredictor.predict(new PredictionRequest(DesignAnalysis.withSplitTunnel(design, false), client, null,
                endpoint, "utun4", table, null));
        int route = 5;
        assertEquals(expectedRoutes(split), column(view.splitTable(), route));
        assertEquals(expectedRoutes(full), column(view.fullTable(), route));
        assertTrue(column(view.splitTable(), route).stream().anyMatch(r -> r.contains("utun4")), column(view.splitTable(), route).toString());
        assertTrue(column(view.fullTable(), route).stream().anyMatch(r -> r.startsWith("198.51.100.7")),
                "full tunnel keeps the endpoint's address outside the tunnel: " + column(view.fullTable(), route));
        assertTrue(view.status().contains("Client 10.200.1.77 on utun4, endpoint 198.51.100.7"), view.status());
        JsonObject cli = JsonParser.parseString(crew("predict", file.toString(), "--device", ws.resolve("devices/linux-ip-route.txt").toString(),
                "--client-ip", "10.200.1.77", "--endpoint-ip", "198.51.100.7", "--tunnel", "utun4", "--json")).getAsJsonObject();
        List<String> after = new ArrayList<>();
        cli.getAsJsonArray("after").forEach(e -> after.add(e.getAsJsonObject().get("text").getAsString()));
        assertEquals(after, split.after().stream().map(DeviceRoute::toString).toList());
        Screenshots.save(shell, "designer-prediction-inputs");

        // an address outside the client CIDR is predicted, with a note that AWS would not assign it
        DesignAnalysis typed = designer.analysis();
        view.clientField().setText("192.0.2.50");
        view.clientField().notifyListeners(SWT.DefaultSelection, new Event());
        UiWait.until(display, () -> designer.analysis() != typed, WAIT, "the prediction for an address outside the client CIDR");
        assertTrue(view.status().contains("outside the client CIDR 10.200.0.0/22"), view.status());

        // the values are kept with the part: the designer opened again shows and uses them
        view.clientField().setText("10.200.1.77");
        view.clientField().notifyListeners(SWT.DefaultSelection, new Event());
        UiWait.until(display, () -> designer.analysis().inputs().settings().client().equals(client), WAIT, "back to 10.200.1.77");
        for (org.eclipse.swt.widgets.Control c : shell.getChildren()) {
            c.dispose();
        }
        DesignerPart again = open(part);
        assertEquals("10.200.1.77", again.prediction().clientField().getText());
        assertEquals("utun4", again.prediction().tunnelField().getText());
        assertEquals("198.51.100.7", again.prediction().endpointField().getText());
        assertEquals("", again.prediction().clientIpv6Field().getText());
        assertEquals(new DesignAnalysis.Settings(client, null, endpoint, "utun4"), again.analysis().inputs().settings());
    }

    @Test
    void givenTheSplitTunnelExample_whenTheMapIsZoomed_thenItShowsThePredictionsRanges(@TempDir Path folder) throws Exception {
        Path ws = workspace(folder);
        Path file = ws.resolve("designs/split-tunnel.crew.json");
        DesignerPart designer = open(file);
        designer.selectTab(DesignerPart.TAB_MAP);
        UiWait.drain(display);
        AddressMapView map = designer.map();
        assertTrue(map.scale().isWhole());
        assertTrue(map.visibleLabel().contains("0.0.0.0 \u2013 255.255.255.255"), map.visibleLabel());

        EndpointDesign design = WorkspaceFile.read(file);
        List<DeviceRoute> table = RouteSnapshot.read(ws.resolve("devices/linux-ip-route.txt"));
        MapLayers expected = MapLayers.of(DevicePredictor.predict(request(design, table)), table);
        assertEquals(expected, map.layers());
        List<String> kinds = map.list().rows().stream().map(r -> r.cells().get(0) + " " + r.cells().get(1)).toList();
        assertTrue(kinds.contains("Protected (tunnel) 172.31.0.0/16"), kinds.toString());
        assertTrue(kinds.contains("Local / connected 192.168.1.0/24"), kinds.toString());
        assertTrue(kinds.contains("Conflicting 172.31.1.0/24"), kinds.toString());
        assertTrue(kinds.contains("Leaking 172.31.1.0/24"), kinds.toString());
        assertTrue(kinds.contains("Ignored / exempt 127.0.0.0/8"), kinds.toString());
        assertFalse(kinds.stream().anyMatch(k -> k.contains(":")), "IPv4 shown first: " + kinds);

        // keyboard zoom
        map.canvas().setFocus();
        key(map, '+');
        assertEquals(AddressScale.size(IpFamily.IPV4).shiftRight(1), map.scale().span());
        key(map, '-');
        key(map, '-');
        assertTrue(map.scale().isWhole(), "zooming out stops at the whole space");
        // wheel zoom
        Event wheel = new Event();
        wheel.count = 3;
        wheel.x = AddressMapView.MARGIN + 10;
        map.canvas().notifyListeners(SWT.MouseVerticalWheel, wheel);
        assertEquals(AddressScale.size(IpFamily.IPV4).shiftRight(1), map.scale().span());
        key(map, SWT.HOME);
        assertTrue(map.scale().isWhole());

        // a click on the protected lane where 172.31.0.0/16 is zooms into it
        int[] span = map.scale().span(Cidr.parse("172.31.0.0/16"));
        map.click(AddressMapView.MARGIN + span[0], AddressMapView.laneY(MapLayers.Kind.PROTECTED));
        assertEquals(Cidr.parse("172.31.0.0/16"), Cidr.of(AddressScale.address(IpFamily.IPV4, map.scale().start()), 16));
        assertEquals(java.math.BigInteger.ONE.shiftLeft(16), map.scale().span());
        assertTrue(map.visibleLabel().contains("172.31.0.0 \u2013 172.31.255.255 (65,536 addresses)"), map.visibleLabel());
        int[] conflict = map.scale().span(Cidr.parse("172.31.1.0/24"));
        assertNotNull(conflict);
        assertTrue(conflict[1] - conflict[0] >= 2, "the conflicting /24 is visible at this zoom: " + conflict[0] + ".." + conflict[1]);
        // the text form: the focused lane's ranges in view
        key(map, SWT.ARROW_DOWN);
        key(map, SWT.ARROW_DOWN);
        assertTrue(map.details().startsWith("Conflicting") && map.details().contains("172.31.1.0/24"), map.details());
        Screenshots.save(shell, "designer-map");
    }

    private void key(AddressMapView map, int keyCode) {
        Event e = new Event();
        e.keyCode = keyCode;
        e.character = keyCode < 128 ? (char) keyCode : 0;
        map.canvas().notifyListeners(SWT.KeyDown, e);
        UiWait.drain(display);
    }

    @Test
    void givenTheDualStackExample_thenTheMapOffersIpv6WithTheTunnelledRange(@TempDir Path folder) throws Exception {
        Path ws = workspace(folder);
        DesignerPart designer = open(ws.resolve("designs/dual-stack.crew.json"));
        designer.selectTab(DesignerPart.TAB_MAP);
        AddressMapView map = designer.map();
        assertTrue(map.ipv6().getEnabled());
        map.family(IpFamily.IPV6);
        assertEquals(IpFamily.IPV6, map.scale().family());
        List<String> kinds = map.list().rows().stream().map(r -> r.cells().get(0) + " " + r.cells().get(1)).toList();
        assertTrue(kinds.contains("Protected (tunnel) 2600:1f14:abc:de00::/56"), kinds.toString());
        assertTrue(map.visibleLabel().contains("IPv6"), map.visibleLabel());
        map.list().onOpen(r -> { });
        map.setScale(map.scale().zoomTo(Cidr.parse("2600:1f14:abc:de00::/56")));
        assertTrue(map.visibleLabel().contains("2600:1f14:abc:de00:: \u2013 2600:1f14:abc:deff:ffff:ffff:ffff:ffff"), map.visibleLabel());
    }

    @Test
    void givenASplitTunnelDesignWhoseConflictsAreFullTunnelOnly_whenPredicted_thenDeviceNowColoursOnlyTheDesignsOwnModesConflicts(
            @TempDir Path folder) throws Exception {
        Path ws = workspace(folder);
        Path file = ws.resolve("designs/dual-stack.crew.json");
        DesignerPart designer = openOnPrediction(file);
        PredictionView view = designer.prediction();
        DesignAnalysis a = designer.analysis();
        assertTrue(a.design().endpoint().splitTunnel());
        assertTrue(a.split().conflicts().isEmpty(), "split tunnel (this design): no conflicts " + a.split().conflicts());
        assertFalse(a.full().conflicts().isEmpty(), "full tunnel (flipped) has conflicts");
        int mark = 4;
        List<RowTable.Row> red = view.deviceTable().rows().stream().filter(r -> PredictionView.CONFLICT.equals(r.background())).toList();
        assertEquals(List.of(), red.stream().map(r -> r.cells().get(5)).toList(), "no route is red where the design's own column reports none");
        Set<String> fullOnly = new java.util.HashSet<>();
        a.full().conflicts().forEach(c -> fullOnly.add(c.route().toString()));
        for (RowTable.Row r : view.deviceTable().rows()) {
            if (fullOnly.contains(r.cells().get(5))) {
                assertEquals(PredictionView.MARK_FLIPPED_ONLY + "full tunnel", r.cells().get(mark), r.cells().toString());
                assertEquals(PredictionView.FLIPPED_CONFLICT, r.background(), r.cells().toString());
            }
        }
        assertTrue(view.deviceSummary().contains("Conflicts with split tunnel (this design): 0"), view.deviceSummary());
        Screenshots.save(shell, "designer-prediction-dual-stack");
    }

    @Test
    void givenTheDualStackExample_whenPredictedAndTraced_thenTheDesignerEqualsCrewPredictAndTraceWithTheirDefaults(@TempDir Path folder)
            throws Exception {
        Path ws = workspace(folder);
        Path file = ws.resolve("designs/dual-stack.crew.json");
        Path device = ws.resolve("devices/linux-ip-route.txt");
        DesignerPart designer = openOnPrediction(file);
        PredictionView view = designer.prediction();
        assertEquals("devices/linux-ip-route.txt", view.source().getText());
        assertTrue(WorkspaceFile.read(file).endpoint().splitTunnel(), "the example is split tunnel: its own column is Split tunnel");

        // `crew predict` with no --client-ipv6: the same table as the designer's column for this design
        JsonObject cli = JsonParser.parseString(crew("predict", file.toString(), "--device", device.toString(), "--json")).getAsJsonObject();
        List<String> after = new ArrayList<>();
        cli.getAsJsonArray("after").forEach(e -> after.add(e.getAsJsonObject().get("text").getAsString()));
        cli.getAsJsonArray("removedByCre").forEach(e -> after.add(e.getAsJsonObject().getAsJsonObject("route").get("text").getAsString()));
        assertEquals(after, column(view.splitTable(), 5));
        assertTrue(after.stream().anyMatch(r -> r.startsWith("2600:1f14:abc:de00::/56")), "the design's IPv6 route is in the tunnel: " + after);
        assertTrue(view.clientIpv6Field().getMessage().startsWith(crew.design.device.PredictionDefaults.CLIENT_IPV6.toString()),
                view.clientIpv6Field().getMessage());

        // `crew trace` for an IPv6 address in the VPC: the designer's steps, the verdict line included
        designer.selectTab(DesignerPart.TAB_TRACE);
        TraceView trace = designer.trace();
        trace.destination().setText("2600:1f14:abc:de00::10");
        trace.destination().notifyListeners(SWT.DefaultSelection, new Event());
        UiWait.until(display, () -> trace.last() != null, WAIT, "the IPv6 trace");
        String cliTrace = crew("trace", "2600:1f14:abc:de00::10", file.toString(), "--device", device.toString());
        assertTrue(cliTrace.startsWith("Client IPv6 " + crew.design.device.PredictionDefaults.CLIENT_IPV6 + " (the default"), cliTrace);
        List<String> cliSteps = cliTrace.lines().filter(l -> l.matches("\\d+\\. .*")).map(l -> l.replaceFirst("^\\d+\\. ", "")).toList();
        assertEquals(cliSteps, trace.steps().rows().stream().map(r -> r.cells().get(1)).toList());
        assertEquals("verdict: REACHABLE", cliSteps.get(cliSteps.size() - 1));
        Screenshots.save(shell, "designer-dual-stack-trace");
    }

    @Test
    void givenAnAddress_whenTraced_thenTheStepsAreRouteTracesAndBadInputNamesTheProblem(@TempDir Path folder) throws Exception {
        Path ws = workspace(folder);
        Path file = ws.resolve("designs/split-tunnel.crew.json");
        DesignerPart designer = open(file);
        designer.selectTab(DesignerPart.TAB_TRACE);
        TraceView view = designer.trace();
        assertTrue(view.steps().rows().isEmpty());

        view.destination().setText("10.50.8.1");
        view.groups().setText("finance");
        view.destination().notifyListeners(SWT.DefaultSelection, new Event());
        UiWait.until(display, () -> view.last() != null, WAIT, "the trace");
        EndpointDesign design = WorkspaceFile.read(file);
        List<DeviceRoute> table = RouteSnapshot.read(ws.resolve("devices/linux-ip-route.txt"));
        DevicePrediction p = DevicePredictor.predict(request(design, table));
        List<String> expected = RouteTrace.trace(design, p, "tun0", IpAddress.parse("10.50.8.1"), Set.of("finance")).steps();
        assertEquals(expected, view.steps().rows().stream().map(r -> r.cells().get(1)).toList());
        assertTrue(view.verdict().startsWith("REACHABLE: 10.50.8.1 for groups [finance]"), view.verdict());
        assertEquals("", view.error());
        Screenshots.save(shell, "designer-trace");

        // engineering is denied in the finance range
        view.groups().setText("engineering");
        view.groups().notifyListeners(SWT.DefaultSelection, new Event());
        UiWait.until(display, () -> view.verdict().startsWith("DENIED"), WAIT, "the denied trace");

        // bad input: the error names the text and the problem, and no stale steps remain
        view.destination().setText("10.50.8.300");
        view.destination().notifyListeners(SWT.DefaultSelection, new Event());
        assertTrue(view.error().startsWith("\"10.50.8.300\" is not an IP address: "), view.error());
        assertTrue(view.error().length() > "\"10.50.8.300\" is not an IP address: ".length() + 5, view.error());
        assertTrue(view.steps().rows().isEmpty());
        assertEquals("", view.verdict());
        view.destination().setText("10.50.8.0/24");
        view.destination().notifyListeners(SWT.DefaultSelection, new Event());
        assertTrue(view.error().contains("not a range"), view.error());
        view.destination().setText("  ");
        view.destination().notifyListeners(SWT.DefaultSelection, new Event());
        assertTrue(view.error().startsWith("Enter a destination address"), view.error());
        view.destination().setText("10.50.8.1");
        view.groups().setText("auditors");
        view.destination().notifyListeners(SWT.DefaultSelection, new Event());
        assertTrue(view.error().contains("no authorization rule names group auditors"), view.error());
        UiWait.until(display, () -> view.verdict().startsWith("DENIED"), WAIT, "the trace for an unknown group");
    }

    @Test
    void givenAnOpenDesign_whenTheFileChanges_thenTheAnalysesFollow(@TempDir Path folder) throws Exception {
        Path ws = workspace(folder);
        Path file = ws.resolve("designs/split-tunnel.crew.json");
        DesignerPart designer = open(file);
        assertFalse(designer.matrix().headers().contains("contractors"));
        EndpointDesign design = WorkspaceFile.read(file);
        List<AuthorizationRule> rules = new ArrayList<>(design.authorizationRules());
        rules.add(AuthorizationRule.group(Cidr.parse("10.50.9.0/24"), "contractors", "build farm"));
        WorkspaceFile.write(file, new EndpointDesign(design.name(), design.endpoint(), design.targetNetworks(), design.routes(), rules));
        UiWait.until(display, () -> designer.matrix().headers().contains("contractors"), WAIT, "the matrix follows the saved design");
        assertTrue(designer.reloads() > 0);
        assertTrue(indexOf(designer.matrix().cells(), "10.50.9.0/24") >= 0, designer.matrix().cells().toString());
        JsonObject cli = JsonParser.parseString(crew("access", file.toString(), "--json")).getAsJsonObject();
        assertEquals(cli.getAsJsonArray("rows").size(), designer.matrix().cells().size());
        // a broken save: the heading says so and names the problem
        Files.writeString(file, "{\"Format\": \"crew-design/1\",\n \"ClientVpnEndpoint\": {\"ClientCidrBlock\": \"10.0.0.1/22\"}}");
        UiWait.until(display, () -> designer.heading().startsWith("Cannot open this design"), WAIT, "the error of a broken file");
        assertTrue(designer.heading().contains("host bits"), designer.heading());
    }

    @Test
    void givenNoDesignFile_thenEveryTabSaysWhatToDo() {
        DesignerPart designer = new DesignerPart();
        designer.part = MBasicFactory.INSTANCE.createPart();
        designer.createControls(shell);
        shell.open();
        UiWait.drain(display);
        assertTrue(designer.heading().contains("Ctrl+Shift+D"), designer.heading());
        assertNotEquals(null, designer.trace());
        designer.trace().destination().setText("10.0.0.1");
        designer.trace().trace();
        assertTrue(designer.trace().error().startsWith("No design to trace yet"), designer.trace().error());
    }
}
