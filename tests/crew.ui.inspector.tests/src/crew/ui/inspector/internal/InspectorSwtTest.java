package crew.ui.inspector.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import java.nio.file.Path;

import crew.enforce.EnforcementMode;
import crew.enforce.EnforcementSession;
import crew.enforce.SessionSpec;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.NamespaceCapable;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.routing.inspect.RouteClass;
import crew.routing.inspect.RouteInspector.ClassifiedRoute;
import crew.routing.sim.SimulatedRoutingBackend;
import crew.testing.Prerequisites;
import crew.testing.Screenshots;
import crew.testing.UiWait;
import crew.ui.workspace.RowTable;

/**
 * Real SWT under Xvfb: the inspector shows a backend's table, classified, and a change arrives through the
 * backend's events within a second (the simulated backend always; the real kernel in a namespace when root).
 */
class InspectorSwtTest {
    private Display display;
    private Shell shell;
    private InspectorPart inspector;

    @BeforeEach
    void openShell() {
        Prerequisites.requireDisplay();
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1300, 520);
    }

    @AfterEach
    void closeShell() {
        if (inspector != null) {
            inspector.stop();
        }
        if (shell != null) {
            shell.dispose();
        }
    }

    private static Optional<RowTable.Row> rowFor(RowTable table, String destination) {
        return table.rows().stream().filter(r -> r.cells().get(0).equals(destination)).findFirst();
    }

    @Test
    void givenTheSimulatedBackend_whenARouteIsAdded_thenItIsShownClassifiedWithinASecondAndInTheTimeline() throws Exception {
        SimulatedRoutingBackend sim = new SimulatedRoutingBackend();
        inspector = new InspectorPart();
        inspector.createControls(shell); // no RoutingBackends injected: the part says so
        assertTrue(inspector.source().contains("No routing service"), inspector.source());
        shell.open();
        inspector.start(sim, null);
        assertTrue(inspector.source().contains("SIMULATED"), "says which backend it shows: " + inspector.source());
        int initial = sim.routes().size();
        UiWait.until(display, () -> inspector.routes().rows().size() == initial, 5000, "the simulated table is shown");

        DeviceRoute leak = DeviceRoute.of(Cidr.parse("10.20.0.0/16"), IpAddress.parse("192.168.1.1"), "wlan0", 0);
        DeviceRoute tunnel = DeviceRoute.of(Cidr.parse("10.30.0.0/16"), null, "tun0", 0);
        long start = System.nanoTime();
        sim.add(leak);
        sim.add(tunnel);
        long ms = UiWait.until(display, () -> rowFor(inspector.routes(), "10.30.0.0/16").isPresent()
                && rowFor(inspector.routes(), "10.20.0.0/16").isPresent(), 1000, "the added routes appear within a second");
        System.out.println("inspector (sim): added routes shown after " + ms + " ms (" + (System.nanoTime() - start) / 1_000_000 + " ms since add)");
        RowTable.Row row = rowFor(inspector.routes(), "10.30.0.0/16").orElseThrow();
        assertEquals(RouteClass.TUNNEL.name(), row.cells().get(6));
        assertEquals(InspectorPart.COLORS.get(RouteClass.TUNNEL), row.background());
        assertTrue(row.tooltip().contains("tun0"), row.tooltip());
        UiWait.until(display, () -> inspector.timeline().rows().size() >= 2, 1000, "the timeline lists both changes");
        assertEquals("route added", inspector.timeline().rows().get(0).cells().get(1));

        sim.delete(leak);
        UiWait.until(display, () -> rowFor(inspector.routes(), "10.20.0.0/16").isEmpty(), 1000, "the deleted route disappears");
        assertEquals("route removed", inspector.timeline().rows().get(0).cells().get(1));

        inspector.routes().filterField().setText("tun0");
        assertEquals(1, inspector.routes().visibleRows().size());
        assertTrue(inspector.routes().asText(true, false).contains("10.30.0.0/16,,tun0"), inspector.routes().asText(true, false));
        inspector.routes().filterField().setText("");
        Screenshots.save(shell, "inspector");
    }

    @Test
    void givenARegisteredClassifierThatThrows_whenTheTableIsShown_thenEveryRouteIsClassifiedByTheOthersAndAProblemLineNamesIt() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(InspectorPart.class).getBundleContext();
        crew.routing.inspect.RouteClassifier broken = (route, all) -> {
            throw new IllegalStateException("classifier bug", new ArithmeticException("/ by zero"));
        };
        var registration = context.registerService(crew.routing.inspect.RouteClassifier.class, broken, null);
        try {
            SimulatedRoutingBackend sim = new SimulatedRoutingBackend();
            inspector = new InspectorPart();
            inspector.createControls(shell);
            shell.open();
            assertEquals("", inspector.problems(), "no problem line before anything is classified");
            inspector.start(sim, null);
            int initial = sim.routes().size();
            UiWait.until(display, () -> inspector.routes().rows().size() == initial, 5000, "the table is shown despite the classifier");
            UiWait.until(display, () -> !inspector.problems().isEmpty(), 2000, "a problem line names the classifier");
            String line = inspector.problems();
            assertTrue(line.startsWith("Problem: route classifier " + broken.getClass().getName() + " (bundle crew.ui.inspector "), line);
            assertTrue(line.contains("java.lang.ArithmeticException: / by zero"), "the deepest cause: " + line);
            assertTrue(inspector.problemLabel().isVisible(), "shown on screen");
            DeviceRoute tunnel = DeviceRoute.of(Cidr.parse("10.30.0.0/16"), null, "tun0", 0);
            sim.add(tunnel);
            UiWait.until(display, () -> rowFor(inspector.routes(), "10.30.0.0/16").isPresent(), 1000, "a new route is classified");
            assertEquals(RouteClass.TUNNEL.name(), rowFor(inspector.routes(), "10.30.0.0/16").get().cells().get(6),
                    "the built-in classification, without the broken classifier");
            Screenshots.save(shell, "inspector-classifier-problem");
        } finally {
            registration.unregister();
        }
    }

    @Test
    void givenAnEnforcementSession_whenAConflictingRouteIsAdded_thenTheTimelineShowsTheEnforcementAndTheRouteIsGone(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        SimulatedRoutingBackend sim = new SimulatedRoutingBackend();
        inspector = new InspectorPart();
        inspector.createControls(shell);
        shell.open();
        inspector.start(sim, null);
        SessionSpec spec = new SessionSpec("ui-lab", "tun0", null, List.of(Cidr.parse("10.0.0.0/16")), null, null,
                EnforcementMode.AWS, null, null);
        try (EnforcementSession session = new EnforcementSession(spec, sim, null, dir.resolve("journal.json"))) {
            session.addSink(inspector.enforcementSink());
            inspector.addClassifier(session);
            session.start();
            UiWait.until(display, () -> rowFor(inspector.routes(), "10.0.0.0/16")
                    .filter(r -> r.cells().get(6).equals(RouteClass.PROTECTED.name())).isPresent(), 2000,
                    "the session's route is shown as protected");
            sim.add(DeviceRoute.of(Cidr.parse("10.0.5.0/24"), IpAddress.parse("192.168.1.1"), "wlan0", 0));
            UiWait.until(display, () -> inspector.timeline().rows().stream()
                    .anyMatch(r -> r.cells().get(1).equals("enforcement: conflict detected") && r.cells().get(2).contains("10.0.5.0/24")),
                    2000, "the conflict is on the timeline");
            UiWait.until(display, () -> rowFor(inspector.routes(), "10.0.5.0/24").isEmpty(), 2000, "the conflicting route is removed");
            Screenshots.save(shell, "inspector-enforcement");
            session.stop();
        }
    }

    @Test
    void givenTheLiveBackendInANamespace_whenIpRouteAddsARoute_thenTheInspectorShowsItWithinASecond() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("ip", "creates the test's network namespace");
        BundleContext context = FrameworkUtil.getBundle(InspectorPart.class).getBundleContext();
        ServiceReference<RoutingBackends> ref = context.getServiceReference(RoutingBackends.class);
        assertTrue(ref != null, "crew.routing.api registers RoutingBackends");
        Optional<RoutingBackend> linux = context.getService(ref).forPlatform("linux");
        assertTrue(linux.isPresent() && linux.get() instanceof NamespaceCapable, "the Linux backend is registered");
        String ns = "crewui" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
        run("ip", "netns", "add", ns);
        try (NamespaceCapable.ClosableRoutingBackend backend = ((NamespaceCapable) linux.get()).inNamespace(ns)) {
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "-n", ns, "link", "add", "crew0", "type", "veth", "peer", "name", "crew1");
            run("ip", "-n", ns, "link", "set", "crew0", "up");
            run("ip", "-n", ns, "link", "set", "crew1", "up");
            run("ip", "-n", ns, "addr", "add", "10.77.0.1/24", "dev", "crew0");
            inspector = new InspectorPart();
            inspector.createControls(shell);
            shell.open();
            inspector.start(backend, "namespace " + ns);
            assertTrue(inspector.source().contains("live (linux)"), inspector.source());
            UiWait.until(display, () -> rowFor(inspector.routes(), "10.77.0.0/24").isPresent(), 5000, "the connected route is shown");

            long start = System.nanoTime();
            run("ip", "-n", ns, "route", "add", "10.55.0.0/16", "via", "10.77.0.2", "dev", "crew0");
            long ms = UiWait.until(display, () -> rowFor(inspector.routes(), "10.55.0.0/16").isPresent(), 1000,
                    "the route added with ip route appears within a second");
            System.out.println("inspector (linux netns): route shown " + ms + " ms after ip route add returned, "
                    + (System.nanoTime() - start) / 1_000_000 + " ms after it started");
            ClassifiedRoute c = (ClassifiedRoute) rowFor(inspector.routes(), "10.55.0.0/16").orElseThrow().data();
            assertEquals(RouteClass.OTHER, c.routeClass());
            assertEquals("10.77.0.2", c.route().gateway().toString());
            Screenshots.save(shell, "inspector-live");
            inspector.stop();
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

}
