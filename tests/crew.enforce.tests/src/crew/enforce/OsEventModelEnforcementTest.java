package crew.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.sim.EventModel;
import crew.routing.sim.SimulatedRoutingBackend;

/**
 * The CRE engine, unchanged, against the event behaviours of the macOS and Windows backends (simulated: see
 * EventModel): a conflicting route whose event the routing socket dropped is removed at the backend's next resync,
 * and NotifyRouteChange2's late batches from a foreign thread are handled like Linux events. The engine's own
 * periodic reconcile is set to an hour so that what repairs the table is the backend's resync, not the engine's timer.
 */
class OsEventModelEnforcementTest {

    private static final Duration NO_ENGINE_TIMER = Duration.ofHours(1);
    private final List<EnforcementEvent> events = new CopyOnWriteArrayList<>();

    private static List<DeviceRoute> laptop() {
        return List.of(DeviceRoute.of(Cidr.parse("0.0.0.0/0"), IpAddress.parse("192.168.1.1"), "en0", 0),
                DeviceRoute.of(Cidr.parse("192.168.1.0/24"), null, "en0", 0),
                DeviceRoute.of(Cidr.parse("10.200.0.0/24"), null, "utun4", 0));
    }

    private EnforcementSession session(SimulatedRoutingBackend b) throws Exception {
        Path journal = Files.createTempDirectory("crew-enforce-os").resolve("s.journal");
        SessionSpec spec = new SessionSpec("os", "utun4", IpAddress.parse("10.200.0.1"), List.of(Cidr.parse("172.31.0.0/16")), List.of(),
                List.of(), EnforcementMode.AWS, null, NO_ENGINE_TIMER);
        EnforcementSession s = new EnforcementSession(spec, b, null, journal);
        s.addSink(events::add);
        return s;
    }

    private static boolean within(long ms, java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < end) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return c.getAsBoolean();
    }

    private static boolean has(SimulatedRoutingBackend b, String cidr) {
        return b.routes().stream().anyMatch(r -> r.destination().equals(Cidr.parse(cidr)));
    }

    @Test
    void givenMacosSilentDrops_whenTheConflictingRoutesEventIsLost_thenTheNextResyncRemovesIt() throws Exception {
        SimulatedRoutingBackend b = new SimulatedRoutingBackend(laptop());
        EnforcementSession s = session(b);
        s.start();
        b.eventModel(EventModel.macosRoutingSocket(64, Duration.ofMillis(5), Duration.ofMillis(700)));
        b.awaitEvents();
        Thread.sleep(100);
        b.dropNextEvents(1);
        long t0 = System.nanoTime();
        b.add(DeviceRoute.of(Cidr.parse("172.31.9.0/24"), IpAddress.parse("192.168.1.1"), "en0", 0));
        Thread.sleep(150);
        assertTrue(has(b, "172.31.9.0/24"), "the event was dropped: the engine has not heard of the route yet");
        assertEquals(1, b.droppedEvents());
        assertTrue(within(3000, () -> !has(b, "172.31.9.0/24")), "the backend's resync (an Overrun with the table) repaired it");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(events.stream().anyMatch(e -> e.kind() == EnforcementEvent.Kind.OVERRUN), events.toString());
        assertTrue(ms < 3000, ms + " ms");
        // an event that does arrive is acted on at once, as on Linux
        b.add(DeviceRoute.of(Cidr.parse("172.31.10.0/24"), IpAddress.parse("192.168.1.1"), "en0", 0));
        assertTrue(within(500, () -> !has(b, "172.31.10.0/24")));
        assertEquals(List.of(), s.stop());
        b.deactivate();
    }

    @Test
    void givenMacosOverflowingBurst_whenAFloodOfConflictsArrives_thenTheResyncRemovesWhatTheBufferDropped() throws Exception {
        SimulatedRoutingBackend b = new SimulatedRoutingBackend(laptop());
        EnforcementSession s = session(b);
        s.start();
        b.eventModel(EventModel.macosRoutingSocket(8, Duration.ofMillis(20), Duration.ofMillis(500)));
        for (int i = 0; i < 100; i++) {
            b.add(DeviceRoute.of(Cidr.parse("172.31." + i + ".0/24"), IpAddress.parse("192.168.1.1"), "en0", 0));
        }
        assertTrue(b.droppedEvents() > 0, "the burst overflowed the simulated socket buffer");
        assertTrue(within(4000, () -> b.routes().stream().noneMatch(r -> r.destination().toString().startsWith("172.31.")
                && r.destination().prefixLength() == 24)), b.routes().toString());
        assertEquals(List.of(), s.stop());
        b.deactivate();
    }

    @Test
    void givenAnInterfaceScopedRoute_whenItCoversAProtectedDestination_thenItIsLeftAlone() throws Exception {
        SimulatedRoutingBackend b = new SimulatedRoutingBackend(laptop());
        EnforcementSession s = session(b);
        s.start();
        // macOS RTF_IFSCOPE: serves only sockets bound to en0, so it does not take traffic from the tunnel's route
        DeviceRoute scoped = new DeviceRoute(Cidr.parse("172.31.7.0/24"), IpAddress.parse("192.168.1.1"), "en0", 6, 0, DeviceRoute.MAIN_TABLE,
                null, ConflictRule.INTERFACE_SCOPE, crew.model.device.RouteType.UNICAST, null, java.util.Set.of("U", "G", "S", "I"));
        b.add(scoped);
        b.awaitEvents();
        Thread.sleep(100);
        assertTrue(has(b, "172.31.7.0/24"));
        assertEquals(List.of(), s.stop());
        b.deactivate();
    }

    @Test
    void givenWindowsNotifications_whenConflictsArriveLateAndBatchedOnAForeignThread_thenTheyAreRemovedAndProtectedRoutesRestored()
            throws Exception {
        SimulatedRoutingBackend b = new SimulatedRoutingBackend(laptop());
        EnforcementSession s = session(b);
        s.start();
        b.eventModel(EventModel.windowsNotifications(Duration.ofMillis(120)));
        b.add(DeviceRoute.of(Cidr.parse("172.31.1.0/24"), IpAddress.parse("192.168.1.1"), "en0", 0));
        b.add(DeviceRoute.of(Cidr.parse("172.31.2.0/24"), IpAddress.parse("192.168.1.1"), "en0", 0));
        assertTrue(has(b, "172.31.1.0/24"), "not yet: the callback comes late");
        assertTrue(within(2000, () -> !has(b, "172.31.1.0/24") && !has(b, "172.31.2.0/24")));
        DeviceRoute protectedRoute = b.routes().stream().filter(r -> r.destination().equals(Cidr.parse("172.31.0.0/16"))).findFirst().orElseThrow();
        b.delete(protectedRoute);
        assertFalse(has(b, "172.31.0.0/16"));
        assertTrue(within(2000, () -> has(b, "172.31.0.0/16")), "a deleted protected route is restored from a late notification too");
        assertEquals(List.of(), s.stop());
        b.deactivate();
    }
}
