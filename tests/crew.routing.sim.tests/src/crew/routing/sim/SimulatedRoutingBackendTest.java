package crew.routing.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.Subscription;

class SimulatedRoutingBackendTest {

    private static DeviceRoute route(String dst, String via, String dev, int metric) {
        return DeviceRoute.of(Cidr.parse(dst), via == null ? null : IpAddress.parse(via), dev, metric);
    }

    @Test
    void givenTheKernelsIdentityRule_whenAddingTwice_thenEexistAndDeletingMissing_thenEsrch() throws Exception {
        SimulatedRoutingBackend sim = new SimulatedRoutingBackend(List.of());
        sim.add(route("10.0.0.0/8", "192.168.1.1", "eth0", 0));
        assertEquals(RoutingException.EEXIST, assertThrows(RoutingException.class, () -> sim.add(route("10.0.0.0/8", "192.168.1.2", "eth0", 0))).errno());
        sim.add(route("10.0.0.0/8", "192.168.1.2", "eth0", 10)); // another metric is another route
        assertEquals(2, sim.routes().size());
        assertEquals(RoutingException.ESRCH, assertThrows(RoutingException.class, () -> sim.delete(route("10.9.0.0/16", null, "eth0", 0))).errno());
    }

    @Test
    void givenOverlappingRoutes_whenLookingUp_thenLongestPrefixThenLowestMetricWins() throws Exception {
        SimulatedRoutingBackend sim = new SimulatedRoutingBackend(List.of());
        sim.add(route("0.0.0.0/0", "192.168.1.1", "wlan0", 600));
        sim.add(route("172.31.0.0/16", "10.200.0.1", "tun0", 0));
        sim.add(route("172.31.1.0/24", "192.168.1.1", "wlan0", 0));
        sim.add(route("172.31.1.0/24", "10.200.0.1", "tun0", 5));
        assertEquals("wlan0", sim.lookup(IpAddress.parse("172.31.1.9")).orElseThrow().interfaceName(), "more specific, lower metric");
        assertEquals("tun0", sim.lookup(IpAddress.parse("172.31.2.9")).orElseThrow().interfaceName());
        assertEquals("wlan0", sim.lookup(IpAddress.parse("8.8.8.8")).orElseThrow().interfaceName());
        assertTrue(sim.lookup(IpAddress.parse("2001:db8::1")).isEmpty());
    }

    @Test
    void givenASubscriber_whenRoutesChange_thenEventsArriveInOrderLikeTheKernels() throws Exception {
        SimulatedRoutingBackend sim = new SimulatedRoutingBackend(List.of());
        List<RoutingEvent> events = new ArrayList<>();
        try (Subscription s = sim.subscribe(events::add)) {
            sim.add(route("10.1.0.0/16", null, "eth0", 0));
            sim.replace(route("10.1.0.0/16", "192.168.1.9", "eth0", 0));
            sim.deleteAll(List.of(route("10.1.0.0/16", null, "eth0", 0), route("10.2.0.0/16", null, "eth0", 0)));
            sim.awaitEvents();
        }
        assertEquals(4, events.size(), events.toString());
        assertTrue(events.get(0) instanceof RoutingEvent.RouteAdded);
        assertTrue(events.get(1) instanceof RoutingEvent.RouteRemoved, "replace reports the old route removed");
        assertTrue(events.get(2) instanceof RoutingEvent.RouteAdded a && a.route().gateway() != null);
        assertTrue(events.get(3) instanceof RoutingEvent.RouteRemoved);
    }

    @Test
    void givenTheEmbeddedDefault_whenRead_thenATypicalLaptopTable() {
        SimulatedRoutingBackend sim = new SimulatedRoutingBackend();
        assertTrue(sim.routes().stream().anyMatch(r -> r.destination().isDefault() && "wlan0".equals(r.interfaceName())));
        assertTrue(sim.capabilities().usable() && sim.capabilities().canWrite());
        assertEquals(3, sim.rules().size());
    }
}
