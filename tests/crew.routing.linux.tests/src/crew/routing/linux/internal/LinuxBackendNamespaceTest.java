package crew.routing.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.BatchResult;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.Subscription;
import crew.testing.Prerequisites;

/** The real kernel, in a network namespace the test creates and removes (root). */
class LinuxBackendNamespaceTest {
    private TestNamespace ns;
    private ClosableRoutingBackend backend;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("ip", "iproute2 builds the test namespaces");
        ns = new TestNamespace();
        backend = new LinuxRoutingBackend().inNamespace(ns.name);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private static DeviceRoute route(String dst, String via, String dev, int metric) {
        return DeviceRoute.of(Cidr.parse(dst), via == null ? null : IpAddress.parse(via), dev, metric);
    }

    @Test
    void givenANamespaceWithRoutesOfEveryKind_whenDumped_thenEqualsIpRouteAndIpRule() throws Exception {
        ns.exec("ip route add 10.1.0.0/16 via 10.99.0.254 metric 50");
        ns.exec("ip route add 10.3.0.0/16 dev dummy0 table 1000");
        ns.exec("ip route add blackhole 10.4.0.0/16");
        ns.exec("ip route add 10.5.0.0/24 nexthop via 10.99.0.2 nexthop via 10.99.0.3");
        ns.exec("ip -6 route add 2001:db8:1::/48 via 2001:db8:99::fe");
        ns.exec("ip rule add to 10.2.0.0/16 lookup 1000 prio 1000");
        ns.exec("ip -6 rule add from 2001:db8:5::/48 lookup 1000 prio 1001");
        List<DeviceRoute> routes = backend.routes();
        assertEquals(IpJson.routeKeys(ns.exec("ip -4 -j route show table all"), false), IpJson.routeKeys(routes, false));
        assertEquals(IpJson.routeKeys(ns.exec("ip -6 -j route show table all"), true), IpJson.routeKeys(routes, true));
        assertEquals(IpJson.ruleKeys(ns.exec("ip -4 -j rule")), IpJson.ruleKeys(backend.rules(), false));
        assertEquals(IpJson.ruleKeys(ns.exec("ip -6 -j rule")), IpJson.ruleKeys(backend.rules(), true));
        assertTrue(backend.capabilities().canWrite() && backend.capabilities().usable(), backend.capabilities().description());
    }

    @Test
    void givenAddReplaceDelete_whenDone_thenIpSeesEachStepAndErrorsCarryTheOsReason() throws Exception {
        DeviceRoute r = route("10.7.0.0/16", "10.99.0.254", "dummy0", 0);
        backend.add(r);
        assertTrue(ns.exec("ip route show 10.7.0.0/16").contains("via 10.99.0.254 dev dummy0"));
        RoutingException exists = assertThrows(RoutingException.class, () -> backend.add(r));
        assertEquals(RoutingException.EEXIST, exists.errno());
        assertTrue(exists.getMessage().contains("add route 10.7.0.0/16 via 10.99.0.254 dev dummy0") && exists.getMessage().contains("File exists"),
                exists.getMessage());
        backend.replace(route("10.7.0.0/16", "10.99.0.253", "dummy0", 0));
        assertTrue(ns.exec("ip route show 10.7.0.0/16").contains("via 10.99.0.253"));
        backend.delete(route("10.7.0.0/16", "10.99.0.253", "dummy0", 0));
        assertEquals("", ns.exec("ip route show 10.7.0.0/16").trim());
        RoutingException missing = assertThrows(RoutingException.class, () -> backend.delete(r));
        assertTrue(missing.isNotFound(), missing.getMessage());
        RoutingException unreachable = assertThrows(RoutingException.class, () -> backend.add(route("10.8.0.0/16", "192.0.2.1", null, 0)));
        assertEquals(RoutingException.ENETUNREACH, unreachable.errno(), unreachable.getMessage());
    }

    @Test
    void givenIpv6AndOtherTables_whenRoundTripped_thenExactlyThoseRoutesChange() throws Exception {
        DeviceRoute v6 = route("2001:db8:7::/48", "2001:db8:99::fe", "dummy0", 512);
        backend.add(v6);
        assertTrue(ns.exec("ip -6 route show 2001:db8:7::/48").contains("via 2001:db8:99::fe dev dummy0"));
        DeviceRoute inTable = route("10.9.0.0/16", null, "dummy0", 0).withTable(1234);
        backend.add(inTable);
        assertTrue(ns.exec("ip route show table 1234").contains("10.9.0.0/16 dev dummy0"));
        DeviceRoute listed = backend.routes().stream().filter(x -> x.destination().equals(v6.destination())).findFirst().orElseThrow();
        backend.delete(listed); // delete exactly what the kernel reported
        backend.delete(inTable);
        assertEquals("", ns.exec("ip -6 route show 2001:db8:7::/48").trim());
        assertEquals("", ns.exec("ip route show table 1234").trim());
    }

    @Test
    void givenASubscriber_whenAnotherProcessChangesRoutesAndRules_thenTypedEventsArrive() throws Exception {
        BlockingQueue<RoutingEvent> events = new LinkedBlockingQueue<>();
        try (Subscription s = backend.subscribe(events::add)) {
            ns.exec("ip route add 10.11.0.0/16 via 10.99.0.254");
            RoutingEvent.RouteAdded added = next(events, RoutingEvent.RouteAdded.class);
            assertEquals("10.11.0.0/16", added.route().destination().toString());
            assertEquals("dummy0", added.route().interfaceName());
            ns.exec("ip -6 route add 2001:db8:11::/48 via 2001:db8:99::fe");
            assertEquals("2001:db8:11::/48", next(events, RoutingEvent.RouteAdded.class).route().destination().toString());
            ns.exec("ip route del 10.11.0.0/16");
            assertEquals("10.11.0.0/16", next(events, RoutingEvent.RouteRemoved.class).route().destination().toString());
            ns.exec("ip rule add to 10.12.0.0/16 lookup 77 prio 500");
            assertEquals(500, next(events, RoutingEvent.RuleAdded.class).rule().priority());
            ns.exec("ip -6 rule add to 2001:db8:12::/48 lookup 77 prio 501");
            assertEquals(501, next(events, RoutingEvent.RuleAdded.class).rule().priority(), "IPv6 rules arrive through group 19");
            ns.exec("ip link set dummy1 down");
            assertFalse(nextWhere(events, RoutingEvent.LinkChanged.class, e -> "dummy1".equals(e.name())).up());
            ns.exec("ip addr add 10.98.0.1/24 dev dummy0");
            assertEquals("10.98.0.1", next(events, RoutingEvent.AddressAdded.class).address().toString());
        }
    }

    @Test
    void givenABurstOf10000RouteChanges_whenSubscribed_thenNoneIsLostOrAnOverrunIsFollowedByACorrectResync() throws Exception {
        Set<String> seen = new HashSet<>();
        List<RoutingEvent.Overrun> overruns = new ArrayList<>();
        Object lock = new Object();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            commands.add("route add 10.200." + (i / 256) + "." + (i % 256) + "/32 dev dummy0");
        }
        try (Subscription s = backend.subscribe(e -> {
            synchronized (lock) {
                if (e instanceof RoutingEvent.RouteAdded a && a.route().destination().toString().startsWith("10.200.")) {
                    seen.add(a.route().destination().toString());
                } else if (e instanceof RoutingEvent.Overrun o) {
                    overruns.add(o);
                    o.routes().stream().map(r -> r.destination().toString()).filter(d -> d.startsWith("10.200.")).forEach(seen::add);
                }
                lock.notifyAll();
            }
        })) {
            ns.batch(commands);
            long deadline = System.currentTimeMillis() + 20_000;
            synchronized (lock) {
                while (seen.size() < 10_000 && System.currentTimeMillis() < deadline) {
                    lock.wait(200);
                }
            }
        }
        System.out.println("burst of 10000 routes: " + seen.size() + " seen, " + overruns.size() + " overrun(s)");
        assertEquals(10_000, seen.size(), "every route is either delivered as an event or present in a resync dump");
        for (RoutingEvent.Overrun o : overruns) {
            assertTrue(o.reason().contains("ENOBUFS"), o.reason());
        }
    }

    @Test
    void givenATinyEventBufferAndASlowSubscriber_whenABurstArrives_thenAnOverrunCarriesAFullResync() throws Exception {
        backend.close();
        int saved = LinuxRoutingBackend.eventBufferBytes;
        LinuxRoutingBackend.eventBufferBytes = 4096;
        backend = new LinuxRoutingBackend().inNamespace(ns.name);
        List<RoutingEvent.Overrun> overruns = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean slept = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            commands.add("route add 10.203." + (i / 256) + "." + (i % 256) + "/32 dev dummy0");
        }
        try (Subscription s = backend.subscribe(e -> {
            if (e instanceof RoutingEvent.Overrun o) {
                overruns.add(o);
            } else if (slept.compareAndSet(false, true)) {
                try {
                    Thread.sleep(1500); // a slow consumer: the kernel keeps sending meanwhile
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        })) {
            LinuxRoutingBackend.eventBufferBytes = saved; // the event socket exists now, with the tiny buffer
            ns.batch(commands);
            long deadline = System.currentTimeMillis() + 10_000;
            while (overruns.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        }
        LinuxRoutingBackend.eventBufferBytes = saved;
        assertFalse(overruns.isEmpty(), "a 4 KiB buffer and a stalled reader must overrun");
        RoutingEvent.Overrun o = overruns.get(0);
        assertTrue(o.reason().contains("ENOBUFS"), o.reason());
        long burstRoutes = o.routes().stream().filter(r -> r.destination().toString().startsWith("10.203.")).count();
        assertEquals(IpJson.routeKeys(ns.exec("ip -4 -j route show table all"), false).stream().filter(k -> k.contains(" 10.203.")).count(),
                burstRoutes, "the resync dump is the kernel's table at that moment");
    }

    @Test
    void givenAFloodOfRoutes_whenDeletedInOneBatch_thenAllGoneAndMissingOnesCountAsDone() throws Exception {
        List<String> commands = new ArrayList<>();
        List<DeviceRoute> routes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String dst = "10.201." + (i / 256) + "." + (i % 256) + "/32";
            commands.add("route add " + dst + " dev dummy0");
            routes.add(route(dst, null, "dummy0", 0));
        }
        ns.batch(commands);
        routes.add(route("10.202.0.0/16", null, "dummy0", 0)); // never existed
        BatchResult result = backend.deleteAll(routes);
        assertTrue(result.allDone(), result.failed().toString());
        assertEquals("", ns.exec("ip route show 10.201.0.0/16 root 10.201.0.0/16").trim());
        assertFalse(ns.exec("ip route show").contains("10.201."));
    }

    private static <T extends RoutingEvent> T next(BlockingQueue<RoutingEvent> q, Class<T> type) throws InterruptedException {
        return nextWhere(q, type, e -> true);
    }

    private static <T extends RoutingEvent> T nextWhere(BlockingQueue<RoutingEvent> q, Class<T> type, java.util.function.Predicate<T> p)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            RoutingEvent e = q.poll(100, TimeUnit.MILLISECONDS);
            if (type.isInstance(e) && p.test(type.cast(e))) {
                return type.cast(e);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " event within 5 s");
    }
}
