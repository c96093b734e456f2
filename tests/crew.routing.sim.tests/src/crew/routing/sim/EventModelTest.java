package crew.routing.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingListener;

/** The simulated backend's macOS and Windows event behaviours. */
class EventModelTest {

    private static DeviceRoute r(String cidr) {
        return DeviceRoute.of(Cidr.parse(cidr), IpAddress.parse("192.168.1.1"), "wlan0", 0);
    }

    /** Records events, batches and the threads they arrive on. */
    static final class Recorder implements RoutingListener {
        final List<RoutingEvent> events = new CopyOnWriteArrayList<>();
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final Set<String> threads = Collections.synchronizedSet(new java.util.HashSet<>());

        @Override
        public void onEvent(RoutingEvent e) {
            onEvents(List.of(e));
        }

        @Override
        public void onEvents(List<RoutingEvent> es) {
            threads.add(Thread.currentThread().getName());
            batches.add(es.size());
            events.addAll(es);
        }
    }

    @Test
    void givenTheMacosModel_whenABurstOverflowsTheBuffer_thenTheRestIsDroppedSilentlyAndTheResyncCarriesTheTable() throws Exception {
        SimulatedRoutingBackend b = new SimulatedRoutingBackend(List.of());
        Recorder rec = new Recorder();
        b.subscribe(rec);
        b.eventModel(EventModel.macosRoutingSocket(4, Duration.ofMillis(50), Duration.ofMillis(300)));
        for (int i = 0; i < 10; i++) {
            b.add(r("10.9." + i + ".0/24"));
        }
        b.awaitEvents();
        long added = rec.events.stream().filter(e -> e instanceof RoutingEvent.RouteAdded).count();
        assertEquals(4, added, "the buffer held four: six were dropped");
        assertEquals(6, b.droppedEvents());
        assertTrue(rec.events.stream().noneMatch(e -> e instanceof RoutingEvent.Overrun), "and nobody was told");
        long deadline = System.currentTimeMillis() + 3000;
        while (rec.events.stream().noneMatch(e -> e instanceof RoutingEvent.Overrun) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        RoutingEvent.Overrun o = (RoutingEvent.Overrun) rec.events.stream().filter(e -> e instanceof RoutingEvent.Overrun).findFirst().orElseThrow();
        assertEquals(10, o.routes().size(), "the resync's dump has every route, the dropped ones too");
        assertTrue(o.reason().contains("silent"));
        b.deactivate();
    }

    @Test
    void givenTheWindowsModel_whenChangesHappen_thenTheyArriveLateInOneBatchOnAnotherThread_andAChangeIsOneNotification() throws Exception {
        SimulatedRoutingBackend b = new SimulatedRoutingBackend(List.of());
        Recorder rec = new Recorder();
        b.subscribe(rec);
        b.eventModel(EventModel.windowsNotifications(Duration.ofMillis(150)));
        long t0 = System.nanoTime();
        b.add(r("10.1.0.0/16"));
        b.add(r("10.2.0.0/16"));
        b.replace(DeviceRoute.of(Cidr.parse("10.2.0.0/16"), IpAddress.parse("192.168.1.9"), "wlan0", 0));
        assertTrue(rec.events.isEmpty(), "nothing yet: the callback comes late");
        b.awaitEvents();
        assertTrue(System.nanoTime() - t0 >= 140_000_000L);
        assertEquals(List.of(3), rec.batches, "one batch of three notifications");
        assertTrue(rec.events.stream().allMatch(e -> e instanceof RoutingEvent.RouteAdded), "a changed row: no removal, only its new state");
        assertInstanceOf(RoutingEvent.RouteAdded.class, rec.events.get(2));
        assertTrue(rec.threads.stream().allMatch(n -> n.startsWith("crew-sim-notify-callback-")), rec.threads.toString());
        assertFalse(rec.threads.contains(Thread.currentThread().getName()));
        b.deactivate();
    }

    @Test
    void givenTheLinuxModel_whenEventsAreDroppedOnPurpose_thenTheyAreCountedAndTheRestArrive() throws Exception {
        SimulatedRoutingBackend b = new SimulatedRoutingBackend(List.of());
        Recorder rec = new Recorder();
        b.subscribe(rec);
        b.dropNextEvents(1);
        b.add(r("10.1.0.0/16"));
        b.add(r("10.2.0.0/16"));
        b.awaitEvents();
        List<Cidr> seen = new ArrayList<>();
        rec.events.forEach(e -> seen.add(((RoutingEvent.RouteAdded) e).route().destination()));
        assertEquals(List.of(Cidr.parse("10.2.0.0/16")), seen);
        assertEquals(1, b.droppedEvents());
        b.deactivate();
    }
}
