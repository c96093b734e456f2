package crew.routing.macos.live;

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
import crew.model.net.IpAddress;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.macos.internal.MacosRoutingBackend;
import crew.testing.Prerequisites;

/**
 * The macOS backend against the real XNU kernel. Runs only on macOS: the test module's pom excludes the live
 * package unless Maven runs on a Mac (profile {@code live-macos}), so the Linux build neither runs nor skips it.
 * Writes need root: {@code sudo ./mvnw -o verify -pl ...,tests/crew.routing.macos.tests} (docs/routing.md).
 * Uses TEST-NET-2 (198.51.100.0/24), which no real network routes.
 */
class MacosLiveTest {

    private static final Cidr TEST_NET = Cidr.parse("198.51.100.0/24");
    private final MacosRoutingBackend backend = new MacosRoutingBackend();

    private DeviceRoute defaultRoute() throws RoutingException {
        return backend.routes().stream().filter(r -> r.destination().equals(Cidr.parse("0.0.0.0/0")) && r.gateway() != null
                && r.scope() == null).findFirst().orElseThrow(() -> new AssertionError("this Mac has no unscoped IPv4 default route"));
    }

    private boolean has(Cidr c) throws RoutingException {
        return backend.routes().stream().anyMatch(r -> r.destination().equals(c));
    }

    @Test
    void givenThisMac_whenDumped_thenLoopbackIsThereAndNoArpEntries() throws Exception {
        assertTrue(backend.capabilities().usable(), backend.capabilities().description());
        List<DeviceRoute> routes = backend.routes();
        assertTrue(routes.stream().anyMatch(r -> r.destination().toString().startsWith("127.") && "lo0".equals(r.interfaceName())), routes.toString());
        assertTrue(routes.stream().noneMatch(r -> r.flags().contains("L") || r.flags().contains("W")), "RTF_LLINFO/RTF_WASCLONED are not routes");
    }

    @Test
    void givenRoot_whenATestRouteIsAddedTwiceAndDeletedTwice_thenTheKernelsErrnosComeBack() throws Exception {
        Prerequisites.requireRoot();
        DeviceRoute r = DeviceRoute.of(TEST_NET, defaultRoute().gateway(), null, 0);
        backend.add(r);
        try {
            assertTrue(has(TEST_NET));
            assertEquals(RoutingException.EEXIST, assertThrows(RoutingException.class, () -> backend.add(r)).errno());
        } finally {
            backend.delete(r);
        }
        assertFalse(has(TEST_NET));
        assertEquals(RoutingException.ESRCH, assertThrows(RoutingException.class, () -> backend.delete(r)).errno());
    }

    @Test
    void givenASubscriber_whenARouteIsAddedAndDeleted_thenBothEventsArrive() throws Exception {
        Prerequisites.requireRoot();
        List<RoutingEvent> events = new CopyOnWriteArrayList<>();
        DeviceRoute r = DeviceRoute.of(TEST_NET, defaultRoute().gateway(), null, 0);
        try (var sub = backend.subscribe(events::add)) {
            backend.add(r);
            backend.delete(r);
            long end = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < end && events.stream().noneMatch(e -> e instanceof RoutingEvent.RouteRemoved x
                    && x.route().destination().equals(TEST_NET))) {
                Thread.sleep(20);
            }
        }
        assertTrue(events.stream().anyMatch(e -> e instanceof RoutingEvent.RouteAdded a && a.route().destination().equals(TEST_NET)), events.toString());
        assertTrue(events.stream().anyMatch(e -> e instanceof RoutingEvent.RouteRemoved x && x.route().destination().equals(TEST_NET)), events.toString());
    }

    @Test
    void givenAnEnforcementSession_whenAConflictingRouteIsAdded_thenItIsRemovedAndStopRestoresTheTable() throws Exception {
        Prerequisites.requireRoot();
        DeviceRoute lan = defaultRoute();
        SessionSpec spec = new SessionSpec("live-macos", "lo0", IpAddress.parse("127.0.0.1"), List.of(TEST_NET), List.of(), List.of(),
                EnforcementMode.AWS, null, Duration.ofSeconds(2));
        EnforcementSession s = new EnforcementSession(spec, backend, null, Files.createTempDirectory("crew-live").resolve("s.journal"));
        s.start();
        Cidr attack = Cidr.parse("198.51.100.128/25");
        try {
            backend.add(DeviceRoute.of(attack, lan.gateway(), null, 0));
            long end = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < end && has(attack)) {
                Thread.sleep(20);
            }
            assertFalse(has(attack), "CRE removed the more specific route around lo0");
        } finally {
            assertEquals(List.of(), s.stop());
        }
        assertFalse(has(TEST_NET), "stop took the protected route away again");
    }
}
