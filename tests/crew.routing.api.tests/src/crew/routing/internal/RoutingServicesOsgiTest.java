package crew.routing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.RouteLookup;
import crew.routing.api.RoutingBackends;
import crew.routing.inspect.RouteClass;
import crew.routing.inspect.RouteClassifier;
import crew.routing.inspect.RouteInspector;

/** Inside Equinox: DS selects backends by ranking; built-in classes and classifiers apply. */
class RoutingServicesOsgiTest {

    private static <T> T service(Class<T> type) throws InterruptedException {
        BundleContext ctx = FrameworkUtil.getBundle(RoutingServicesOsgiTest.class).getBundleContext();
        ServiceTracker<T, T> t = new ServiceTracker<>(ctx, type, null);
        t.open();
        T s = t.waitForService(10_000);
        assertNotNull(s, type.getSimpleName() + " not registered");
        return s;
    }

    @Test
    void givenTheSimulatedBackend_whenSelecting_thenItIsFoundByPlatformAndRankedLowest() throws Exception {
        RoutingBackends backends = service(RoutingBackends.class);
        assertTrue(backends.forPlatform("sim").isPresent());
        assertEquals("sim", backends.all().get(backends.all().size() - 1).platform(), "sim has the lowest ranking");
        assertTrue(backends.best().isPresent());
    }

    @Test
    void givenRoutesOfEveryKind_whenClassified_thenBuiltInClassesAndClassifiersApply() {
        DeviceRoute lan = DeviceRoute.of(Cidr.parse("192.168.1.0/24"), null, "wlan0", 0);
        DeviceRoute tunnel = DeviceRoute.of(Cidr.parse("10.0.0.0/8"), IpAddress.parse("10.200.0.1"), "tun0", 0);
        DeviceRoute linkLocal = DeviceRoute.of(Cidr.parse("169.254.0.0/16"), null, "wlan0", 0);
        DeviceRoute local = DeviceRoute.of(Cidr.parse("192.168.1.5/32"), null, "wlan0", 0).withTable(DeviceRoute.LOCAL_TABLE);
        assertEquals(RouteClass.OTHER, RouteInspector.builtIn(lan).routeClass());
        assertEquals(RouteClass.TUNNEL, RouteInspector.builtIn(tunnel).routeClass());
        assertEquals(RouteClass.IGNORED_RANGE, RouteInspector.builtIn(linkLocal).routeClass());
        assertEquals(RouteClass.LOCAL, RouteInspector.builtIn(local).routeClass());
        RouteClassifier session = (route, table) -> route.interfaceName() != null && route.interfaceName().equals("tun0")
                ? Optional.of(new RouteClassifier.Classification(RouteClass.PROTECTED, "protected by session test"))
                : Optional.empty();
        RouteInspector inspector = new RouteInspector(List.of(session));
        assertEquals(RouteClass.PROTECTED, inspector.classify(tunnel, List.of()).routeClass());
        assertEquals(RouteClass.OTHER, inspector.classify(lan, List.of()).routeClass());
        assertEquals(tunnel, RouteLookup.lookupMain(List.of(lan, tunnel), IpAddress.parse("10.1.2.3")).orElseThrow());
    }
}
