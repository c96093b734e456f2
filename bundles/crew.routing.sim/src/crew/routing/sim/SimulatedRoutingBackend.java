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
    private final java.util.concurrent.ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "crew-sim-routing-clock");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicInteger callbackThreads = new java.util.concurrent.atomic.AtomicInteger();
    private final Object callbackOrder = new Object();
    private final List<RoutingEvent> pending = new ArrayList<>();
    private EventModel model = EventModel.linux();
    private java.util.concurrent.ScheduledFuture<?> resyncTask;
    private int dropNext;
    private int dropped;
    private int inFlight;

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
        clock.shutdownNow();
    }

    /**
     * Delivers events from now on the way {@code m}'s OS does (see {@link EventModel}); the default is Linux's.
     * A macOS model starts its periodic resync.
     */
    public synchronized void eventModel(EventModel m) {
        this.model = m;
        if (resyncTask != null) {
            resyncTask.cancel(false);
            resyncTask = null;
        }
        if (m.kind() == EventModel.Kind.MACOS) {
            long ms = m.resyncInterval().toMillis();
            resyncTask = clock.scheduleWithFixedDelay(this::resyncNow, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Drops the next {@code n} events silently, as a full macOS routing-socket buffer does. */
    public synchronized void dropNextEvents(int n) {
        dropNext += n;
    }

    /** Events dropped so far (by {@link #dropNextEvents} or a full buffer); nobody else is told. */
    public synchronized int droppedEvents() {
        return dropped;
    }

    /** A re-dump delivered as an Overrun with the full table now (what the macOS backend's timer does). */
    public void resyncNow() {
        List<DeviceRoute> r;
        List<PolicyRule> p;
        synchronized (this) {
            r = routes();
            p = rules();
        }
        RoutingEvent o = new RoutingEvent.Overrun("periodic resync: routing-socket overruns are silent (simulated macOS)", r, p, System.nanoTime());
        if (!events.isShutdown()) {
            events.execute(() -> deliver(List.of(o)));
        }
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
        if (old != null && !old.equals(route) && model.kind() != EventModel.Kind.WINDOWS) {
            // (Windows reports a changed row as one parameter notification: only the new state)
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
        if (dropNext > 0) {
            dropNext--;
            dropped++;
            return;
        }
        switch (model.kind()) {
            case LINUX -> events.execute(() -> deliver(List.of(event)));
            case MACOS -> {
                if (pending.size() >= model.bufferEvents()) {
                    dropped++; // the socket buffer is full: gone, silently
                    return;
                }
                pending.add(event);
                if (pending.size() == 1) {
                    inFlight++;
                    clock.schedule(() -> events.execute(this::drainPending), model.readDelay().toMillis(),
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
            case WINDOWS -> {
                pending.add(event);
                if (pending.size() == 1) {
                    inFlight++;
                    clock.schedule(this::callBack, model.batchDelay().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private List<RoutingEvent> takePending() {
        synchronized (this) {
            List<RoutingEvent> batch = new ArrayList<>(pending);
            pending.clear();
            return batch;
        }
    }

    private void drainPending() {
        try {
            deliver(takePending());
        } finally {
            synchronized (this) {
                inFlight--;
                notifyAll();
            }
        }
    }

    /** NotifyRouteChange2: a batch on a thread of "the OS", serialized as Windows serializes callbacks. */
    private void callBack() {
        Thread t = new Thread(() -> {
            synchronized (callbackOrder) {
                drainPending();
            }
        }, "crew-sim-notify-callback-" + callbackThreads.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    private void deliver(List<RoutingEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (RoutingListener l : listeners) {
            try {
                if (batch.size() == 1) {
                    l.onEvent(batch.get(0));
                } else {
                    l.onEvents(batch);
                }
            } catch (RuntimeException e) {
                // one faulty listener must not starve the others
            }
        }
    }

    /** Waits until every event published so far has been delivered (for tests and what-if steps). */
    public void awaitEvents() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        synchronized (this) {
            while (inFlight > 0 && System.currentTimeMillis() < deadline) {
                wait(50);
            }
        }
        java.util.concurrent.Future<?> marker = events.submit(() -> { });
        try {
            marker.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("event thread stuck", e);
        }
    }
}
