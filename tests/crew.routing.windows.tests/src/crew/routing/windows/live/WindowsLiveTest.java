package crew.routing.windows.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import crew.enforce.EnforcementMode;
import crew.enforce.EnforcementSession;
import crew.enforce.SessionSpec;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.windows.iphlp.ForwardRowCodec;
import crew.routing.windows.internal.WindowsRoutingBackend;

/**
 * The Windows backend against the real IP Helper. Runs only on Windows: the test module's pom excludes the live
 * package unless Maven runs on Windows (profile {@code live-windows}), so the Linux build neither runs nor skips it.
 * Writes need an elevated prompt (docs/routing.md). Uses TEST-NET-2 (198.51.100.0/24).
 */
class WindowsLiveTest {

    private static final Cidr TEST_NET = Cidr.parse("198.51.100.0/24");
    private final WindowsRoutingBackend backend = new WindowsRoutingBackend();

    private DeviceRoute defaultRoute() throws RoutingException {
        return backend.routes().stream().filter(r -> r.destination().equals(Cidr.parse("0.0.0.0/0")) && r.gateway() != null)
                .min(java.util.Comparator.comparingInt(DeviceRoute::metric)).orElseThrow(() -> new AssertionError("no IPv4 default route"));
    }

    private DeviceRoute through(DeviceRoute via, Cidr destination) {
        return new DeviceRoute(destination, via.gateway(), via.interfaceName(), via.interfaceIndex(), via.metric(), DeviceRoute.MAIN_TABLE,
                null, null, via.type(), null, via.flags().stream().filter(f -> f.startsWith(ForwardRowCodec.LUID_FLAG)).collect(
                        java.util.stream.Collectors.toSet()));
    }

    private boolean has(Cidr c) throws RoutingException {
        return backend.routes().stream().anyMatch(r -> r.destination().equals(c));
    }

    @Test
    void givenThisPc_whenDumped_thenLoopbackAndLuidsAreThereAndMetricsIncludeTheInterfaces() throws Exception {
        assertTrue(backend.capabilities().usable(), backend.capabilities().description());
        List<DeviceRoute> routes = backend.routes();
        assertTrue(routes.stream().anyMatch(r -> r.destination().equals(Cidr.parse("127.0.0.0/8"))), routes.toString());
        assertTrue(routes.stream().allMatch(r -> ForwardRowCodec.luid(r) != 0), "every route carries its interface LUID");
    }

    @Test
    void givenElevation_whenATestRouteIsAddedTwiceAndDeletedTwice_thenIpHelpersErrorsComeBack() throws Exception {
        DeviceRoute r = through(defaultRoute(), TEST_NET);
        backend.add(r);
        try {
            assertTrue(has(TEST_NET));
            assertTrue(assertThrows(RoutingException.class, () -> backend.add(r)).isAlreadyExists());
        } finally {
            backend.delete(r);
        }
        assertFalse(has(TEST_NET));
        assertTrue(assertThrows(RoutingException.class, () -> backend.delete(r)).isNotFound());
    }

    @Test
    void givenASubscriber_whenARouteIsAddedAndDeleted_thenNotifyRouteChange2DeliversBoth() throws Exception {
        List<RoutingEvent> events = new CopyOnWriteArrayList<>();
        DeviceRoute r = through(defaultRoute(), TEST_NET);
        try (var sub = backend.subscribe(events::add)) {
            backend.add(r);
            backend.delete(r);
            long end = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < end && events.stream().noneMatch(e -> e instanceof RoutingEvent.RouteRemoved)) {
                Thread.sleep(20);
            }
        }
        assertTrue(events.stream().anyMatch(e -> e instanceof RoutingEvent.RouteAdded a && a.route().destination().equals(TEST_NET)), events.toString());
        assertTrue(events.stream().anyMatch(e -> e instanceof RoutingEvent.RouteRemoved x && x.route().destination().equals(TEST_NET)), events.toString());
    }

    @Test
    void givenAnEnforcementSession_whenAConflictingRouteIsAdded_thenItIsRemovedAndStopRestoresTheTable() throws Exception {
        DeviceRoute lan = defaultRoute();
        DeviceRoute loopback = backend.routes().stream().filter(r -> r.destination().equals(Cidr.parse("127.0.0.0/8"))).findFirst().orElseThrow();
        SessionSpec spec = new SessionSpec("live-windows", loopback.interfaceName(), crew.model.net.IpAddress.parse("127.0.0.1"), List.of(TEST_NET),
                List.of(), List.of(), EnforcementMode.AWS, null, Duration.ofSeconds(2));
        EnforcementSession s = new EnforcementSession(spec, backend, null, Files.createTempDirectory("crew-live").resolve("s.journal"));
        s.start();
        Cidr attack = Cidr.parse("198.51.100.128/25");
        try {
            backend.add(through(lan, attack));
            long end = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < end && has(attack)) {
                Thread.sleep(20);
            }
            assertFalse(has(attack), "CRE removed the more specific route around the protected one");
        } finally {
            assertEquals(List.of(), s.stop());
        }
    }
}
