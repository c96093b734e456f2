package crew.routing.macos.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.LongByReference;

import org.osgi.service.component.annotations.Component;

import crew.model.device.DeviceRoute;
import crew.model.net.IpFamily;
import crew.routing.api.BatchResult;
import crew.routing.api.Capabilities;
import crew.routing.api.PolicyRule;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.RoutingListener;
import crew.routing.api.Subscription;
import crew.routing.macos.pfroute.PfRoute;
import crew.routing.macos.pfroute.PfRouteCodec;
import crew.routing.macos.pfroute.PfRouteFormatException;
import crew.routing.macos.pfroute.RouteMessage;

/**
 * The macOS routing table through the PF_ROUTE routing socket: dumps with sysctl NET_RT_DUMP2, changes written to a
 * routing socket (the kernel's errno comes back from write(2) as a RoutingException), events read from a routing
 * socket with a large receive buffer. The socket drops messages silently when its buffer is full, so the event reader
 * also re-dumps on a timer and after a burst, and reports each re-dump as an {@link RoutingEvent.Overrun} (a resync)
 * exactly as the Linux backend reports ENOBUFS. Reading needs no privilege; changing needs root.
 *
 * <p>Not yet run on a real macOS kernel: the codec is tested on bytes built from XNU's layouts and on captured
 * messages, the I/O only compiles here (docs/routing.md).
 */
@Component(service = RoutingBackend.class, property = {RoutingBackend.PLATFORM + "=macos", "service.ranking:Integer=100"})
public class MacosRoutingBackend implements RoutingBackend {

    /** Seconds between the event reader's re-dumps ({@code -Dcrew.routing.macos.resyncSeconds}). */
    static final int RESYNC_SECONDS = Integer.getInteger("crew.routing.macos.resyncSeconds", 5);
    /** Messages in one drain after which a re-dump follows at once (a burst may have overflowed the buffer). */
    static final int BURST_MESSAGES = 256;
    /** SO_RCVBUF asked for the event socket (XNU's default is 8 KiB). */
    static final int EVENT_BUFFER_BYTES = 4 << 20;

    private final List<RoutingListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final AtomicInteger seq = new AtomicInteger(1);
    private volatile SystemLibrary lib;
    private volatile String unusableReason;
    private EventReader reader;

    static boolean isMacos() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("mac");
    }

    private SystemLibrary lib() throws RoutingException {
        SystemLibrary l = lib;
        if (l != null) {
            return l;
        }
        if (!isMacos()) {
            throw new RoutingException("open the macOS routing socket", 95, "the macOS backend runs on macOS only; this is "
                    + System.getProperty("os.name"));
        }
        try {
            lib = l = SystemLibrary.load();
            return l;
        } catch (UnsatisfiedLinkError e) {
            unusableReason = "libSystem not loadable: " + e.getMessage();
            throw new RoutingException("load libSystem", 0, unusableReason);
        }
    }

    @Override
    public String platform() {
        return "macos";
    }

    @Override
    public Capabilities capabilities() {
        Set<IpFamily> both = Set.of(IpFamily.IPV4, IpFamily.IPV6);
        if (!isMacos()) {
            return new Capabilities(both, false, false, true, false, false, "macOS routing socket: unusable here (macOS only; this is "
                    + System.getProperty("os.name") + ")");
        }
        try {
            SystemLibrary l = lib();
            boolean root = l.getuid() == 0;
            return new Capabilities(both, false, false, true, root, true, "macOS routing socket (PF_ROUTE, NET_RT_DUMP2)"
                    + (root ? "" : "; read-only: not root"));
        } catch (RoutingException e) {
            return new Capabilities(both, false, false, true, false, false, "macOS routing socket: " + e.getMessage());
        }
    }

    @Override
    public List<DeviceRoute> routes() throws RoutingException {
        List<DeviceRoute> out = new ArrayList<>();
        for (RouteMessage m : decode(dump(), "decode the NET_RT_DUMP2 dump")) {
            try {
                DeviceRoute r = PfRouteCodec.toRoute(m, this::interfaceName);
                if (r != null) {
                    out.add(r);
                }
            } catch (PfRouteFormatException e) {
                throw new RoutingException("decode the NET_RT_DUMP2 dump", RoutingException.EINVAL, e.getMessage());
            }
        }
        return out;
    }

    private static List<RouteMessage> decode(byte[] data, String what) throws RoutingException {
        try {
            return PfRouteCodec.decodeAll(data, data.length);
        } catch (PfRouteFormatException e) {
            throw new RoutingException(what, RoutingException.EINVAL, e.getMessage());
        }
    }

    /** sysctl {CTL_NET, PF_ROUTE, 0, 0, NET_RT_DUMP2, 0}: once for the size, then for the data (retried if it grew). */
    byte[] dump() throws RoutingException {
        SystemLibrary l = lib();
        int[] mib = {PfRoute.CTL_NET, PfRoute.AF_ROUTE, 0, 0, PfRoute.NET_RT_DUMP2, 0};
        for (int attempt = 0; attempt < 5; attempt++) {
            LongByReference size = new LongByReference();
            try {
                l.sysctl(mib, mib.length, null, size, null, 0);
                byte[] buf = new byte[(int) size.getValue() + 4096];
                size.setValue(buf.length);
                l.sysctl(mib, mib.length, buf, size, null, 0);
                return java.util.Arrays.copyOf(buf, (int) size.getValue());
            } catch (LastErrorException e) {
                if (e.getErrorCode() != 12 /* ENOMEM: the table grew between the calls */) {
                    throw error("sysctl NET_RT_DUMP2", e);
                }
            }
        }
        throw new RoutingException("sysctl NET_RT_DUMP2", 12, "the table kept growing between size and read");
    }

    private String interfaceName(int index) {
        return names.computeIfAbsent(index, i -> {
            try {
                byte[] buf = new byte[16];
                String n = lib().if_indextoname(i, buf);
                return n;
            } catch (RoutingException | LastErrorException e) {
                return null;
            }
        });
    }

    private RoutingException error(String op, LastErrorException e) {
        int errno = e.getErrorCode();
        String reason;
        try {
            reason = lib().strerror(errno);
        } catch (RoutingException | RuntimeException x) {
            reason = "errno " + errno;
        }
        return new RoutingException(op, errno, reason);
    }

    @Override
    public List<PolicyRule> rules() {
        return List.of();
    }

    @Override
    public void add(DeviceRoute route) throws RoutingException {
        write(PfRoute.RTM_ADD, route, "add route " + route);
    }

    @Override
    public void replace(DeviceRoute route) throws RoutingException {
        try {
            write(PfRoute.RTM_CHANGE, route, "change route " + route);
        } catch (RoutingException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            add(route);
        }
    }

    @Override
    public void delete(DeviceRoute route) throws RoutingException {
        write(PfRoute.RTM_DELETE, route, "delete route " + route);
    }

    @Override
    public BatchResult deleteAll(List<DeviceRoute> routes) {
        // N writes, no acknowledgement to wait for: write(2) returns the kernel's verdict at once
        return BatchResult.deleteEach(routes, this::delete);
    }

    private void write(int type, DeviceRoute route, String op) throws RoutingException {
        SystemLibrary l = lib();
        if (route.interfaceIndex() == 0 && route.interfaceName() != null) {
            // the engine names interfaces; the routing socket wants their index (on-link and scoped routes)
            int index = l.if_nametoindex(route.interfaceName());
            if (index == 0) {
                throw new RoutingException(op, RoutingException.ENOENT, "no interface '" + route.interfaceName() + "'");
            }
            route = route.withInterface(route.interfaceName(), index);
        }
        byte[] msg;
        try {
            msg = PfRouteCodec.encode(type, route, 0, seq.getAndIncrement());
        } catch (IllegalArgumentException e) {
            throw new RoutingException(op, RoutingException.EINVAL, e.getMessage());
        }
        int fd;
        try {
            fd = l.socket(PfRoute.AF_ROUTE, SystemLibrary.SOCK_RAW, 0);
        } catch (LastErrorException e) {
            throw error("open a routing socket", e);
        }
        try {
            l.write(fd, msg, msg.length);
        } catch (LastErrorException e) {
            throw error(op, e);
        } finally {
            l.close(fd);
        }
    }

    @Override
    public synchronized Subscription subscribe(RoutingListener listener) throws RoutingException {
        listeners.add(listener);
        if (reader == null) {
            reader = new EventReader(lib());
            reader.start();
        }
        return () -> {
            listeners.remove(listener);
            synchronized (MacosRoutingBackend.this) {
                if (listeners.isEmpty() && reader != null) {
                    reader.stop();
                    reader = null;
                }
            }
        };
    }

    private void deliver(List<RoutingEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        for (RoutingListener l : listeners) {
            l.onEvents(events);
        }
    }

    /** The routing socket reader: decodes what arrives, and re-dumps on a timer and after bursts (overruns are silent). */
    private final class EventReader implements Runnable {
        private final SystemLibrary l;
        private final int fd;
        private final Thread thread;
        private volatile boolean stopped;

        EventReader(SystemLibrary l) throws RoutingException {
            this.l = l;
            try {
                fd = l.socket(PfRoute.AF_ROUTE, SystemLibrary.SOCK_RAW, 0);
            } catch (LastErrorException e) {
                throw error("open a routing socket", e);
            }
            try {
                l.setsockopt(fd, SystemLibrary.SOL_SOCKET, SystemLibrary.SO_RCVBUF, intBytes(EVENT_BUFFER_BYTES), 4);
            } catch (LastErrorException e) {
                // the kernel may cap it (kern.ipc.maxsockbuf); the timer's re-dump covers what a small buffer loses
            }
            byte[] tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0, 0).putInt(8, 250_000).array();
            try {
                l.setsockopt(fd, SystemLibrary.SOL_SOCKET, SystemLibrary.SO_RCVTIMEO, tv, tv.length);
            } catch (LastErrorException e) {
                l.close(fd);
                throw error("set SO_RCVTIMEO on the routing socket", e);
            }
            thread = new Thread(this, "crew-routing-macos-events");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stopped = true;
            if (Thread.currentThread() == thread) {
                return; // a listener closing its subscription from an event: the loop ends after this batch
            }
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            byte[] buf = new byte[64 << 10];
            long nextResync = System.nanoTime() + RESYNC_SECONDS * 1_000_000_000L;
            try {
                while (!stopped) {
                    List<RoutingEvent> batch = new ArrayList<>();
                    int messages = 0;
                    long n;
                    try {
                        n = l.read(fd, buf, buf.length);
                    } catch (LastErrorException e) {
                        n = e.getErrorCode() == SystemLibrary.EAGAIN || e.getErrorCode() == SystemLibrary.EINTR ? 0 : -1;
                        if (n < 0) {
                            batch.add(resync("routing socket read failed: errno " + e.getErrorCode()));
                            deliver(batch);
                            return;
                        }
                    }
                    long now = System.nanoTime();
                    if (n > 0) {
                        try {
                            for (RouteMessage m : PfRouteCodec.decodeAll(buf, (int) n)) {
                                messages++;
                                RoutingEvent e = MacosEvents.event(m, MacosRoutingBackend.this::interfaceName, now);
                                if (e != null) {
                                    batch.add(e);
                                }
                            }
                        } catch (PfRouteFormatException e) {
                            batch.add(resync("undecodable routing message (" + e.getMessage() + ")"));
                        }
                    }
                    if (messages >= BURST_MESSAGES) {
                        batch.add(resync("a burst of " + messages + " messages: the routing socket may have dropped some silently"));
                        nextResync = now + RESYNC_SECONDS * 1_000_000_000L;
                    } else if (now - nextResync >= 0) {
                        batch.add(resync("periodic resync: routing-socket overruns are silent on macOS"));
                        nextResync = now + RESYNC_SECONDS * 1_000_000_000L;
                    }
                    deliver(batch);
                }
            } finally {
                l.close(fd);
            }
        }

        private RoutingEvent resync(String reason) {
            try {
                return new RoutingEvent.Overrun(reason, routes(), List.of(), System.nanoTime());
            } catch (RoutingException e) {
                return new RoutingEvent.Overrun(reason + "; the re-dump failed: " + e.getMessage(), List.of(), List.of(), System.nanoTime());
            }
        }
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }
}
