package crew.routing.macos.internal;

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

/**
 * On this (non-macOS) machine the backend is registered like any other but says honestly that it cannot work here,
 * and refuses every operation with a clear error instead of touching the OS.
 */
class MacosBackendHereTest {

    @Test
    void givenTheFramework_whenLookingForRoutingBackends_thenTheMacosOneIsRegisteredWithItsPlatformAndRanking() throws Exception {
        BundleContext ctx = FrameworkUtil.getBundle(MacosRoutingBackend.class).getBundleContext();
        Collection<ServiceReference<RoutingBackend>> refs = ctx.getServiceReferences(RoutingBackend.class, "(routing.platform=macos)");
        assertEquals(1, refs.size());
        ServiceReference<RoutingBackend> ref = refs.iterator().next();
        assertEquals(100, ref.getProperty("service.ranking"));
        RoutingBackend b = ctx.getService(ref);
        try {
            assertEquals("macos", b.platform());
            if (!MacosRoutingBackend.isMacos()) {
                assertFalse(b.capabilities().usable());
                assertFalse(b.capabilities().canWrite());
                assertTrue(b.capabilities().description().contains("macOS only"), b.capabilities().description());
            }
        } finally {
            ctx.ungetService(ref);
        }
    }

    @Test
    void givenANonMacosSystem_whenReadingOrChanging_thenARoutingExceptionSaysMacosOnly() {
        if (MacosRoutingBackend.isMacos()) {
            return; // the live tests cover macOS
        }
        MacosRoutingBackend b = new MacosRoutingBackend();
        RoutingException e = assertThrows(RoutingException.class, b::routes);
        assertEquals(95, e.errno());
        assertTrue(e.getMessage().contains("macOS only"), e.getMessage());
        assertThrows(RoutingException.class, () -> b.add(DeviceRoute.of(Cidr.parse("10.0.0.0/8"), null, "en0", 0)));
        assertThrows(RoutingException.class, () -> b.subscribe(ev -> { }));
        assertFalse(b.deleteAll(java.util.List.of(DeviceRoute.of(Cidr.parse("10.0.0.0/8"), null, "en0", 0))).allDone());
    }
}
