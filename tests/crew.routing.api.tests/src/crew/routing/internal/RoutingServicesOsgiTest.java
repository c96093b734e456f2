package crew.routing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;
import crew.routing.api.Capabilities;
import crew.routing.api.RouteLookup;
import crew.routing.api.RoutingBackend;
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

    /** A backend bundle's registration: the framework creates the backend on the first getService; counts that. */
    static final class CountingBackend implements ServiceFactory<RoutingBackend> {
        final AtomicInteger created = new AtomicInteger();
        final String platform;
        final boolean usable;

        CountingBackend(String platform, boolean usable) {
            this.platform = platform;
            this.usable = usable;
        }

        @Override
        public RoutingBackend getService(Bundle bundle, ServiceRegistration<RoutingBackend> registration) {
            created.incrementAndGet();
            Capabilities caps = new Capabilities(Set.of(IpFamily.IPV4), false, false, false, false, usable, platform + " (test)");
            return (RoutingBackend) java.lang.reflect.Proxy.newProxyInstance(RoutingBackend.class.getClassLoader(),
                    new Class<?>[] {RoutingBackend.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "platform" -> platform;
                        case "capabilities" -> caps;
                        case "toString" -> platform;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<RoutingBackend> registration, RoutingBackend service) {
            // nothing held
        }
    }

    private static ServiceRegistration<?> register(CountingBackend backend, int ranking) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(RoutingBackend.PLATFORM, backend.platform);
        properties.put(Constants.SERVICE_RANKING, ranking);
        return FrameworkUtil.getBundle(RoutingServicesOsgiTest.class).getBundleContext()
                .registerService(RoutingBackend.class.getName(), backend, properties);
    }

    @Test
    void givenBackendsRegistered_whenOneIsAskedForByPlatformOrAsTheBest_thenOnlyThoseAskedForAreCreated() throws Exception {
        RoutingBackends backends = service(RoutingBackends.class);
        CountingBackend unusable = new CountingBackend("lazy-unusable", false);
        CountingBackend usable = new CountingBackend("lazy-usable", true);
        ServiceRegistration<?> first = register(unusable, 5000);
        ServiceRegistration<?> second = register(usable, 4000);
        try {
            assertEquals(0, unusable.created.get() + usable.created.get(), "binding created a backend");
            assertEquals("lazy-usable", backends.forPlatform("lazy-usable").orElseThrow().platform());
            assertEquals(0, unusable.created.get(), "forPlatform created another platform's backend");
            assertEquals(1, usable.created.get());
            assertEquals("lazy-usable", backends.best().orElseThrow().platform(), "the best usable one, by ranking");
            assertEquals(1, unusable.created.get(), "best() asks the higher ranked first");
            assertEquals(1, usable.created.get(), "created once, then kept");
            assertEquals(List.of("lazy-unusable", "lazy-usable"), backends.all().stream().map(RoutingBackend::platform).limit(2).toList());
        } finally {
            first.unregister();
            second.unregister();
        }
        assertTrue(backends.forPlatform("lazy-usable").isEmpty(), "unregistered backend is gone");
    }
}
