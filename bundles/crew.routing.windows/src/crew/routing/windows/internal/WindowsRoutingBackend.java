package crew.routing.windows.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

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
import crew.routing.windows.iphlp.ForwardRow;
import crew.routing.windows.iphlp.ForwardRowCodec;
import crew.routing.windows.iphlp.IpHelperFormatException;
import crew.routing.windows.iphlp.IpHelperLayout;
import crew.routing.windows.iphlp.IpHelperStructures.MIB_IPINTERFACE_ROW;

/**
 * The Windows routing table through IP Helper: GetIpForwardTable2 (freed with FreeMibTable), NotifyRouteChange2 (rows
 * copied inside the callback, delivered from CREW's own thread, cancelled never from the callback's thread),
 * Create/Set/DeleteIpForwardEntry2. Routes are identified by interface LUID, destination and next hop; their metric
 * is the route's plus the interface's, the one Windows selects by. Changing routes needs an elevated process.
 *
 * <p>Not yet run on a real Windows kernel: the row codec and the layouts are tested here (JNA offsets, and the C
 * compiler's offsets with mingw-w64's headers), the calls only compile (docs/routing.md).
 */
@Component(service = RoutingBackend.class, property = {RoutingBackend.PLATFORM + "=windows", "service.ranking:Integer=100"})
public class WindowsRoutingBackend implements RoutingBackend {

    private final List<RoutingListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, String> aliases = new ConcurrentHashMap<>();
    private volatile IpHelper lib;
    private Notifier notifier;

    static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    private IpHelper lib() throws RoutingException {
        IpHelper l = lib;
        if (l != null) {
            return l;
        }
        if (!isWindows()) {
            throw new RoutingException("load iphlpapi.dll", 95, "the Windows backend runs on Windows only; this is " + System.getProperty("os.name"));
        }
        try {
            lib = l = IpHelper.load();
            return l;
        } catch (UnsatisfiedLinkError e) {
            throw new RoutingException("load iphlpapi.dll", 0, e.getMessage());
        }
    }

    @Override
    public String platform() {
        return "windows";
    }

    @Override
    public Capabilities capabilities() {
        Set<IpFamily> both = Set.of(IpFamily.IPV4, IpFamily.IPV6);
        if (!isWindows()) {
            return new Capabilities(both, false, false, true, false, false, "Windows IP Helper: unusable here (Windows only; this is "
                    + System.getProperty("os.name") + ")");
        }
        try {
            lib();
            // whether this process is elevated shows only when a change is refused (ERROR_ACCESS_DENIED)
            return new Capabilities(both, false, false, true, true, true, "Windows IP Helper (GetIpForwardTable2, NotifyRouteChange2); "
                    + "changes need an elevated process");
        } catch (RoutingException e) {
            return new Capabilities(both, false, false, true, false, false, "Windows IP Helper: " + e.getMessage());
        }
    }

    @Override
    public List<DeviceRoute> routes() throws RoutingException {
        IpHelper l = lib();
        PointerByReference table = new PointerByReference();
        check(l.GetIpForwardTable2((short) IpHelperLayout.AF_UNSPEC, table), "GetIpForwardTable2");
        Pointer p = table.getValue();
        byte[] copy;
        try {
            int n = p.getInt(IpHelperLayout.TABLE2_NUM_ENTRIES);
            copy = p.getByteArray(0, IpHelperLayout.TABLE2_TABLE + n * IpHelperLayout.ROW2_SIZE);
        } finally {
            l.FreeMibTable(p);
        }
        try {
            List<DeviceRoute> out = new ArrayList<>();
            for (ForwardRow r : ForwardRowCodec.decodeTable(copy)) {
                out.add(route(r));
            }
            return out;
        } catch (IpHelperFormatException e) {
            throw new RoutingException("decode GetIpForwardTable2's table", RoutingException.EINVAL, e.getMessage());
        }
    }

    private DeviceRoute route(ForwardRow r) {
        return ForwardRowCodec.toRoute(r, alias(r.interfaceLuid()), interfaceMetric(r));
    }

    /** The interface's metric (MIB_IPINTERFACE_ROW.Metric) for the row's family; 0 when it cannot be read. */
    private int interfaceMetric(ForwardRow r) {
        try {
            MIB_IPINTERFACE_ROW row = new MIB_IPINTERFACE_ROW();
            row.Family = (short) (r.destination().family() == IpFamily.IPV4 ? IpHelperLayout.AF_INET : IpHelperLayout.AF_INET6);
            row.InterfaceLuid = r.interfaceLuid();
            return lib().GetIpInterfaceEntry(row) == IpHelperLayout.NO_ERROR ? row.Metric : 0;
        } catch (RoutingException e) {
            return 0;
        }
    }

    private String alias(long luid) {
        return aliases.computeIfAbsent(luid, id -> {
            try {
                char[] buf = new char[257];
                return lib().ConvertInterfaceLuidToAlias(new LongByReference(id), buf, buf.length) == 0 ? Native.toString(buf) : null;
            } catch (RoutingException e) {
                return null;
            }
        });
    }

    @Override
    public List<PolicyRule> rules() {
        return List.of();
    }

    @Override
    public void add(DeviceRoute route) throws RoutingException {
        check(withRow(route, lib()::CreateIpForwardEntry2), "add route " + route);
    }

    @Override
    public void replace(DeviceRoute route) throws RoutingException {
        int rc = withRow(route, lib()::CreateIpForwardEntry2);
        if (rc == IpHelperLayout.ERROR_OBJECT_ALREADY_EXISTS) {
            // same LUID, prefix and next hop: change it in place
            rc = withRow(route, lib()::SetIpForwardEntry2);
        }
        check(rc, "replace route " + route);
    }

    @Override
    public void delete(DeviceRoute route) throws RoutingException {
        check(withRow(route, lib()::DeleteIpForwardEntry2), "delete route " + route);
    }

    @Override
    public BatchResult deleteAll(List<DeviceRoute> routes) {
        return BatchResult.deleteEach(routes, this::delete);
    }

    private int withRow(DeviceRoute route, java.util.function.ToIntFunction<Pointer> call) throws RoutingException {
        IpHelper l = lib();
        long luid = ForwardRowCodec.luid(route);
        if (luid == 0 && route.interfaceIndex() != 0) {
            LongByReference ref = new LongByReference();
            check(l.ConvertInterfaceIndexToLuid(route.interfaceIndex(), ref), "find the LUID of interface " + route.interfaceIndex());
            luid = ref.getValue();
        }
        if (luid == 0 && route.interfaceName() != null) {
            LongByReference ref = new LongByReference();
            check(l.ConvertInterfaceAliasToLuid(new com.sun.jna.WString(route.interfaceName()), ref), "find the LUID of interface '"
                    + route.interfaceName() + "'");
            luid = ref.getValue();
        }
        if (luid == 0) {
            throw new RoutingException("route " + route, RoutingException.EINVAL, "a Windows route needs its interface (LUID or index)");
        }
        Memory row = new Memory(IpHelperLayout.ROW2_SIZE);
        l.InitializeIpForwardEntry(row);
        // the route metric CREW writes is the route's own; the interface's metric is added by Windows when it selects
        byte[] b = ForwardRowCodec.withRoute(row.getByteArray(0, IpHelperLayout.ROW2_SIZE), luid, 0, route.destination(), route.gateway(),
                Math.max(0, route.metric() - interfaceMetricOf(luid, route.destination().family())));
        row.write(0, b, 0, IpHelperLayout.ROW2_SIZE);
        return call.applyAsInt(row);
    }

    private int interfaceMetricOf(long luid, IpFamily family) {
        return interfaceMetric(ForwardRow.manual(luid, 0, family == IpFamily.IPV4 ? crew.model.net.Cidr.parse("0.0.0.0/0")
                : crew.model.net.Cidr.parse("::/0"), null, 0));
    }

    /** A Win32 error as a RoutingException; ERROR_NOT_FOUND reads as ESRCH, ERROR_OBJECT_ALREADY_EXISTS as EEXIST. */
    static void check(int rc, String op) throws RoutingException {
        if (rc == IpHelperLayout.NO_ERROR) {
            return;
        }
        throw new RoutingException(op, errno(rc), win32Reason(rc) + " (Win32 error " + rc + ")");
    }

    static int errno(int win32) {
        return switch (win32) {
            case IpHelperLayout.ERROR_NOT_FOUND -> RoutingException.ESRCH;
            case IpHelperLayout.ERROR_OBJECT_ALREADY_EXISTS -> RoutingException.EEXIST;
            case IpHelperLayout.ERROR_ACCESS_DENIED -> RoutingException.EPERM;
            case IpHelperLayout.ERROR_INVALID_PARAMETER -> RoutingException.EINVAL;
            default -> win32;
        };
    }

    static String win32Reason(int rc) {
        return switch (rc) {
            case IpHelperLayout.ERROR_NOT_FOUND -> "element not found";
            case IpHelperLayout.ERROR_OBJECT_ALREADY_EXISTS -> "the object already exists";
            case IpHelperLayout.ERROR_ACCESS_DENIED -> "access denied: changing routes needs an elevated process";
            case IpHelperLayout.ERROR_INVALID_PARAMETER -> "invalid parameter";
            default -> "Win32 error";
        };
    }

    @Override
    public synchronized Subscription subscribe(RoutingListener listener) throws RoutingException {
        listeners.add(listener);
        if (notifier == null) {
            notifier = new Notifier(lib());
        }
        return () -> {
            listeners.remove(listener);
            Notifier stop = null;
            synchronized (WindowsRoutingBackend.this) {
                if (listeners.isEmpty() && notifier != null) {
                    stop = notifier;
                    notifier = null;
                }
            }
            if (stop != null) {
                stop.close();
            }
        };
    }

    /** One NotifyRouteChange2 registration and the thread that delivers what its callback queued. */
    private final class Notifier {
        private final IpHelper l;
        private final RouteChangeQueue queue = new RouteChangeQueue();
        /** Held strongly for the registration's life: JNA would otherwise collect the native callback stub. */
        private final IpHelper.RouteChangeCallback callback;
        private final Pointer handle;
        private final Thread delivery;
        private volatile boolean stopped;

        Notifier(IpHelper l) throws RoutingException {
            this.l = l;
            callback = (context, row, type) -> queue.offer(row == null ? null : row.getByteArray(0, IpHelperLayout.ROW2_SIZE), type);
            PointerByReference h = new PointerByReference();
            check(l.NotifyRouteChange2((short) IpHelperLayout.AF_UNSPEC, callback, null, (byte) 0, h), "NotifyRouteChange2");
            handle = h.getValue();
            delivery = new Thread(this::deliverLoop, "crew-routing-windows-events");
            delivery.setDaemon(true);
            delivery.start();
        }

        private void deliverLoop() {
            while (!stopped) {
                List<RouteChangeQueue.Notification> batch;
                try {
                    batch = queue.drain(250);
                } catch (InterruptedException e) {
                    return;
                }
                List<RoutingEvent> events = WindowsEvents.events(batch, WindowsRoutingBackend.this::route, System.nanoTime());
                if (!events.isEmpty()) {
                    for (RoutingListener listener : listeners) {
                        listener.onEvents(events);
                    }
                }
            }
        }

        void close() {
            if (queue.onCallbackThread()) {
                // CancelMibChangeNotify2 on the callback's own thread deadlocks: hand it to another thread
                Thread t = new Thread(this::close, "crew-routing-windows-cancel");
                t.setDaemon(true);
                t.start();
                return;
            }
            stopped = true;
            l.CancelMibChangeNotify2(handle);
            if (Thread.currentThread() != delivery) {
                try {
                    delivery.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
