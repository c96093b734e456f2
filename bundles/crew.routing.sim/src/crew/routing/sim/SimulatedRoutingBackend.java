package crew.routing.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;
import crew.routing.api.BatchResult;
import crew.routing.api.Capabilities;
import crew.routing.api.PolicyRule;
import crew.routing.api.RouteLookup;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.RoutingListener;
import crew.routing.api.Subscription;

/**
 * An in-memory routing table with the Linux kernel's semantics: one route per destination, table and metric (EEXIST
 * on a duplicate add, ESRCH on deleting a missing route), longest-prefix-then-metric lookup, and the same events as a
 * live backend, delivered in order on one event thread. Needs no privilege; the lowest-ranked backend, used where the
 * live one cannot run, for the designer's what-if, demos and tests of code above the SPI.
 */
@Component(service = RoutingBackend.class, property = {RoutingBackend.PLATFORM + "=sim", "service.ranking:Integer=-1000"})
public class SimulatedRoutingBackend implements RoutingBackend {
    private final Map<String, DeviceRoute> table = new LinkedHashMap<>();
    private final List<PolicyRule> rules = new ArrayList<>();
    private final List<RoutingListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "crew-sim-routing-events");
        t.setDaemon(true);
        return t;
    });

    /** The embedded default: a typical laptop on a home LAN with Docker, so demos have something to show. */
    public SimulatedRoutingBackend() {
        this(exampleLaptop());
    }

    public SimulatedRoutingBackend(List<DeviceRoute> initial) {
        for (DeviceRoute r : initial) {
            table.put(r.key(), r);
        }
        rules.add(new PolicyRule(IpFamily.IPV4, 0, DeviceRoute.LOCAL_TABLE, "lookup", null, null, null, null, 0, 0, false));
        rules.add(new PolicyRule(IpFamily.IPV4, 32766, DeviceRoute.MAIN_TABLE, "lookup", null, null, null, null, 0, 0, false));
        rules.add(new PolicyRule(IpFamily.IPV4, 32767, 253, "lookup", null, null, null, null, 0, 0, false));
    }

    /** A laptop: Wi-Fi LAN 192.168.1.0/24 with its default gateway, Docker's bridge, the local table, IPv6 link-local. */
    public static List<DeviceRoute> exampleLaptop() {
        List<DeviceRoute> r = new ArrayList<>();
        r.add(route("0.0.0.0/0", "192.168.1.1", "wlan0", 600, DeviceRoute.MAIN_TABLE, "dhcp", null, RouteType.UNICAST));
        r.add(route("192.168.1.0/24", null, "wlan0", 600, DeviceRoute.MAIN_TABLE, "kernel", "link", RouteType.UNICAST));
        r.add(route("172.17.0.0/16", null, "docker0", 0, DeviceRoute.MAIN_TABLE, "kernel", "link", RouteType.UNICAST));
        r.add(route("169.254.0.0/16", null, "wlan0", 1000, DeviceRoute.MAIN_TABLE, "boot", "link", RouteType.UNICAST));
        r.add(route("127.0.0.0/8", null, "lo", 0, DeviceRoute.LOCAL_TABLE, "kernel", "host", RouteType.LOCAL));
        r.add(route("192.168.1.23/32", null, "wlan0", 0, DeviceRoute.LOCAL_TABLE, "kernel", "host", RouteType.LOCAL));
        r.add(route("fe80::/64", null, "wlan0", 1024, DeviceRoute.MAIN_TABLE, "kernel", null, RouteType.UNICAST));
        r.add(route("::1/128", null, "lo", 0, DeviceRoute.LOCAL_TABLE, "kernel", null, RouteType.LOCAL));
        return r;
    }

    private static DeviceRoute route(String dst, String gw, String dev, int metric, int table, String proto, String scope, RouteType type) {
        return new DeviceRoute(Cidr.parse(dst), gw == null ? null : IpAddress.parse(gw), dev, 0, metric, table, proto, scope, type, null, Set.of());
    }

    @Deactivate
    public void deactivate() {
        events.shutdown();
    }

    @Override
    public String platform() {
        return "sim";
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(Set.of(IpFamily.IPV4, IpFamily.IPV6), true, true, true, true, true,
                "simulated table in memory (not this device's)");
    }

    @Override
    public synchronized List<DeviceRoute> routes() {
        List<DeviceRoute> list = new ArrayList<>(table.values());
        list.sort(Comparator.comparingInt(DeviceRoute::table).thenComparing(DeviceRoute::destination).thenComparingInt(DeviceRoute::metric));
        return list;
    }

    @Override
    public synchronized List<PolicyRule> rules() {
        List<PolicyRule> list = new ArrayList<>(rules);
        list.sort(Comparator.comparingInt(PolicyRule::priority));
        return list;
    }

    @Override
    public synchronized void add(DeviceRoute route) throws RoutingException {
        if (table.containsKey(route.key())) {
            throw new RoutingException("add route " + route, RoutingException.EEXIST, "File exists");
        }
        table.put(route.key(), route);
        publish(new RoutingEvent.RouteAdded(route, System.nanoTime()));
    }

    @Override
    public synchronized void replace(DeviceRoute route) {
        DeviceRoute old = table.put(route.key(), route);
        if (old != null && !old.equals(route)) {
            publish(new RoutingEvent.RouteRemoved(old, System.nanoTime()));
        }
        if (!route.equals(old)) {
            publish(new RoutingEvent.RouteAdded(route, System.nanoTime()));
        }
    }

    @Override
    public synchronized void delete(DeviceRoute route) throws RoutingException {
        DeviceRoute existing = table.get(route.key());
        if (existing == null) {
            throw new RoutingException("delete route " + route, RoutingException.ESRCH, "No such process");
        }
        table.remove(route.key());
        publish(new RoutingEvent.RouteRemoved(existing, System.nanoTime()));
    }

    @Override
    public synchronized BatchResult deleteAll(List<DeviceRoute> routes) {
        List<DeviceRoute> done = new ArrayList<>();
        for (DeviceRoute r : routes) {
            DeviceRoute existing = table.remove(r.key());
            if (existing != null) {
                publish(new RoutingEvent.RouteRemoved(existing, System.nanoTime()));
            }
            done.add(r);
        }
        return new BatchResult(done, List.of());
    }

    /** Adds a policy rule (what-if of a bypass). */
    @Override
    public synchronized void addRule(PolicyRule rule) {
        rules.add(rule);
        publish(new RoutingEvent.RuleAdded(rule, System.nanoTime()));
    }

    @Override
    public synchronized void deleteRule(PolicyRule rule) {
        if (rules.remove(rule)) {
            publish(new RoutingEvent.RuleRemoved(rule, System.nanoTime()));
        }
    }

    /** The route the kernel would use for {@code destination} in the main table. */
    public synchronized Optional<DeviceRoute> lookup(IpAddress destination) {
        return RouteLookup.lookupMain(table.values(), destination);
    }

    @Override
    public Subscription subscribe(RoutingListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void publish(RoutingEvent event) {
        if (listeners.isEmpty() || events.isShutdown()) {
            return;
        }
        events.execute(() -> {
            for (RoutingListener l : listeners) {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    // one faulty listener must not starve the others
                }
            }
        });
    }

    /** Waits until every event published so far has been delivered (for tests and what-if steps). */
    public void awaitEvents() throws InterruptedException {
        java.util.concurrent.Future<?> marker = events.submit(() -> { });
        try {
            marker.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("event thread stuck", e);
        }
    }
}
