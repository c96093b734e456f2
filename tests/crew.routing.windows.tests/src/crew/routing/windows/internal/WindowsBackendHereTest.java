package crew.routing.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingException;

/** Registered like every backend, honest that it cannot work off Windows, and refusing instead of touching the OS. */
class WindowsBackendHereTest {

    @Test
    void givenTheFramework_whenLookingForRoutingBackends_thenTheWindowsOneIsRegisteredWithItsPlatformAndRanking() throws Exception {
        BundleContext ctx = FrameworkUtil.getBundle(WindowsRoutingBackend.class).getBundleContext();
        Collection<ServiceReference<RoutingBackend>> refs = ctx.getServiceReferences(RoutingBackend.class, "(routing.platform=windows)");
        assertEquals(1, refs.size());
        ServiceReference<RoutingBackend> ref = refs.iterator().next();
        assertEquals(100, ref.getProperty("service.ranking"));
        RoutingBackend b = ctx.getService(ref);
        try {
            assertEquals("windows", b.platform());
            if (!WindowsRoutingBackend.isWindows()) {
                assertFalse(b.capabilities().usable());
                assertTrue(b.capabilities().description().contains("Windows only"), b.capabilities().description());
            }
        } finally {
            ctx.ungetService(ref);
        }
    }

    @Test
    void givenANonWindowsSystem_whenReadingOrChanging_thenARoutingExceptionSaysWindowsOnly() {
        if (WindowsRoutingBackend.isWindows()) {
            return; // the live tests cover Windows
        }
        WindowsRoutingBackend b = new WindowsRoutingBackend();
        RoutingException e = assertThrows(RoutingException.class, b::routes);
        assertEquals(95, e.errno());
        assertTrue(e.getMessage().contains("Windows only"), e.getMessage());
        assertThrows(RoutingException.class, () -> b.delete(DeviceRoute.of(Cidr.parse("10.0.0.0/8"), null, "Ethernet", 0)));
        assertThrows(RoutingException.class, () -> b.subscribe(ev -> { }));
    }

    @Test
    void givenCrewInspectWithTheWindowsBackendOffWindows_whenRun_thenExit3WithTheReason() throws Exception {
        if (WindowsRoutingBackend.isWindows()) {
            return;
        }
        BundleContext ctx = FrameworkUtil.getBundle(WindowsRoutingBackend.class).getBundleContext();
        org.osgi.util.tracker.ServiceTracker<crew.cli.CommandRegistry, crew.cli.CommandRegistry> t = new org.osgi.util.tracker.ServiceTracker<>(ctx,
                crew.cli.CommandRegistry.class, null);
        t.open();
        crew.cli.CommandRegistry registry = t.waitForService(10_000);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        int code = new crew.cli.CommandLine(registry).run(java.util.List.of("inspect", "--backend", "windows"),
                new crew.cli.CommandContext(ps, ps, new java.io.ByteArrayInputStream(new byte[0]), java.nio.file.Path.of("."), false));
        t.close();
        assertEquals(crew.cli.ExitCode.UNAVAILABLE, code, out.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("not usable here"), out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void givenWin32Errors_whenMapped_thenNotFoundAndExistsReadAsTheirErrnos() {
        assertTrue(assertThrows(RoutingException.class, () -> WindowsRoutingBackend.check(1168, "delete")).isNotFound());
        assertTrue(assertThrows(RoutingException.class, () -> WindowsRoutingBackend.check(5010, "add")).isAlreadyExists());
        RoutingException denied = assertThrows(RoutingException.class, () -> WindowsRoutingBackend.check(5, "add"));
        assertTrue(denied.getMessage().contains("elevated") && denied.getMessage().contains("Win32 error 5"), denied.getMessage());
    }
}
