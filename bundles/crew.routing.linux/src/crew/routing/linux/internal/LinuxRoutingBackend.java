package crew.routing.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.jna.LastErrorException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import crew.model.device.DeviceRoute;
import crew.model.net.IpFamily;
import crew.routing.api.BatchResult;
import crew.routing.api.Capabilities;
import crew.routing.api.InterfaceControl;
import crew.routing.api.NamespaceCapable;
import crew.routing.api.NamespaceIdentity;
import crew.routing.api.PolicyRule;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.RoutingListener;
import crew.routing.api.Subscription;
import crew.routing.linux.netlink.NetlinkFormatException;
import crew.routing.linux.netlink.NetlinkMessage;
import crew.routing.linux.netlink.RtnetlinkCodec;
import crew.routing.linux.netlink.Rtnl;

/**
 * The Linux kernel's routing state through rtnetlink: every table, policy rules, changes acknowledged by the kernel,
 * and multicast events delivered on one reader thread. Reading needs no privilege; changing needs CAP_NET_ADMIN.
 * Never shells out to {@code ip}.
 */
@Component(service = {RoutingBackend.class, NamespaceCapable.class, crew.routing.api.PacketFilter.class, InterfaceControl.class},
        property = {RoutingBackend.PLATFORM + "=linux", "service.ranking:Integer=100"})
public class LinuxRoutingBackend implements NamespaceCapable.ClosableRoutingBackend, NamespaceCapable, crew.routing.api.PacketFilter,
        InterfaceControl {
    private static final int EVENT_GROUPS = Rtnl.RTMGRP_LINK | Rtnl.RTMGRP_IPV4_IFADDR | Rtnl.RTMGRP_IPV6_IFADDR
            | Rtnl.RTMGRP_IPV4_ROUTE | Rtnl.RTMGRP_IPV6_ROUTE | Rtnl.RTMGRP_IPV4_RULE;
    /**
     * Nice value of event reader threads (-10; {@code -Dcrew.routing.eventNice=0} keeps the default). See
     * {@code EventReader.raisePriority}.
     */
    static final int EVENT_READER_NICE = Integer.getInteger("crew.routing.eventNice", -10);
    /** Receive buffer of the event socket; tests shrink it to provoke an overrun. */
    static int eventBufferBytes = 8 << 20;

    private final String netns;
    private final int netnsFd; // -1 unless bound to a private namespace
    private final List<RoutingListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> linkNames = new ConcurrentHashMap<>();
    private NetlinkSocket requests;
    private EventReader reader;
    private String unusableReason;

    /** The DS component: the namespace of the CREW process. */
    public LinuxRoutingBackend() {
        this(null, -1);
    }

    private LinuxRoutingBackend(String netns, int netnsFd) {
        this.netns = netns;
        this.netnsFd = netnsFd;
    }

    /**
     * A backend in a new, empty network namespace private to this process (root): the sandbox of
     * {@code crew bench routing}. The namespace disappears when the backend and every other one opened with
     * {@link #alsoIn()} are closed.
     */
    public static LinuxRoutingBackend inPrivateNamespace() throws RoutingException {
        int fd = NetworkNamespace.createPrivate();
        LinuxRoutingBackend b = new LinuxRoutingBackend("private", fd);
        b.open();
        return b;
    }

    /** Another backend (its own sockets) in the same namespace as this one, e.g. a tamper beside a watcher. */
    public LinuxRoutingBackend alsoIn() throws RoutingException {
        LinuxRoutingBackend b = new LinuxRoutingBackend(netns, netnsFd < 0 ? -1 : duplicate(netnsFd));
        b.open();
        return b;
    }

    private static int duplicate(int fd) throws RoutingException {
        return NetworkNamespace.call(fd, () -> Libc.INSTANCE.open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC));
    }

    @Activate
    public void activate() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            unusableReason = "not Linux";
            return;
        }
        try {
            open();
        } catch (RoutingException | RuntimeException | LinkageError e) {
            unusableReason = "netlink unavailable: " + e.getMessage();
        }
    }

    /** A backend bound to the named network namespace. Close it when done. */
    @Override
    public ClosableRoutingBackend inNamespace(String name) throws RoutingException {
        LinuxRoutingBackend b = new LinuxRoutingBackend(name, -1);
        b.open();
        return b;
    }

    @Override
    public Optional<NamespaceIdentity> namespaceIdentity() throws RoutingException {
        if (netnsFd >= 0) {
            return Optional.of(new NamespaceIdentity(netns, inode("/proc/self/fd/" + netnsFd), bootId()));
        }
        return Optional.of(new NamespaceIdentity(netns, inode(netns == null ? "/proc/self/ns/net" : NetworkNamespace.path(netns)), bootId()));
    }

    @Override
    public Optional<NamespaceIdentity> identify(String name) throws RoutingException {
        Path p = Path.of(NetworkNamespace.path(name));
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        return Optional.of(new NamespaceIdentity(name, inode(p.toString()), bootId()));
    }

    /** The nsfs inode a namespace file (or /proc link to one) leads to: what identifies the namespace. */
    private static long inode(String path) throws RoutingException {
        try {
            return ((Number) Files.getAttribute(Path.of(path), "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new RoutingException("identify the network namespace " + path, 2, e.getMessage());
        }
    }

    private static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private void open() throws RoutingException {
        requests = create(0);
        refreshLinks();
    }

    private NetlinkSocket create(int groups) throws RoutingException {
        if (netnsFd >= 0) {
            int events = eventBufferBytes;
            return NetworkNamespace.call(netnsFd, () -> new NetlinkSocket(groups, groups == 0 ? 32 << 20 : events));
        }
        if (netns == null) {
            return new NetlinkSocket(groups, groups == 0 ? 32 << 20 : eventBufferBytes);
        }
        int events = eventBufferBytes;
        return NetworkNamespace.call(netns, () -> new NetlinkSocket(groups, groups == 0 ? 32 << 20 : events));
    }

    @Override
    @Deactivate
    public void close() {
        synchronized (this) {
            if (reader != null) {
                reader.shutdown();
                reader = null;
            }
        }
        if (requests != null) {
            synchronized (requests) {
                requests.close();
            }
        }
        if (netnsFd >= 0) {
            Libc.INSTANCE.close(netnsFd);
        }
    }

    @Override
    public String platform() {
        return "linux";
    }

    @Override
    public Capabilities capabilities() {
        if (unusableReason != null) {
            return new Capabilities(Set.of(), false, false, false, false, false, "Linux rtnetlink: " + unusableReason);
        }
        boolean admin = hasNetAdmin();
        String where = netns == null ? "this device" : "network namespace " + netns;
        return new Capabilities(Set.of(IpFamily.IPV4, IpFamily.IPV6), true, true, true, admin, true,
                "Linux kernel table of " + where + " via rtnetlink" + (admin ? "" : "; read-only: no CAP_NET_ADMIN (run as root to change routes)"));
    }

    /** Whether this process has CAP_NET_ADMIN (bit 12 of CapEff). */
    static boolean hasNetAdmin() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << 12)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    private void checkUsable(String what) throws RoutingException {
        if (requests == null) {
            throw new RoutingException(what, 0, unusableReason == null ? "backend not open" : unusableReason);
        }
    }

    private List<NetlinkMessage> dump(int type, String what) throws RoutingException {
        checkUsable(what);
        synchronized (requests) {
            return requests.dump(RtnetlinkCodec.dumpRequest(type, requests.nextSequence()), what);
        }
    }

    private void refreshLinks() throws RoutingException {
        for (NetlinkMessage m : dump(Rtnl.RTM_GETLINK, "list interfaces")) {
            try {
                RtnetlinkCodec.Link link = RtnetlinkCodec.decodeLink(m);
                remember(link);
            } catch (NetlinkFormatException e) {
                throw new RoutingException("list interfaces", 0, e.getMessage());
            }
        }
    }

    /**
     * Caches a live link's name. Names of links that are gone stay (late route events still name their interface)
     * unless a live link now has that name: a veth deleted and created again gets a new index.
     */
    private void remember(RtnetlinkCodec.Link link) {
        if (link.name() != null) {
            linkNames.entrySet().removeIf(e -> e.getValue().equals(link.name()) && e.getKey() != link.index());
            linkNames.put(link.index(), link.name());
        }
    }

    String linkName(int index) {
        String name = linkNames.get(index);
        if (name == null && requests != null) {
            try {
                refreshLinks();
            } catch (RoutingException e) {
                return null;
            }
            name = linkNames.get(index);
        }
        return name;
    }

    int linkIndex(String name) throws RoutingException {
        for (int attempt = 0; attempt < 2; attempt++) {
            for (Map.Entry<Integer, String> e : linkNames.entrySet()) {
                if (e.getValue().equals(name)) {
                    return e.getKey();
                }
            }
            refreshLinks();
        }
        throw new RoutingException("find interface " + name, 19, "No such device");
    }

    @Override
    public List<DeviceRoute> routes() throws RoutingException {
        List<DeviceRoute> routes = new ArrayList<>();
        for (NetlinkMessage m : dump(Rtnl.RTM_GETROUTE, "dump routes")) {
            if (m.type() != Rtnl.RTM_NEWROUTE) {
                continue;
            }
            try {
                DeviceRoute r = RtnetlinkCodec.decodeRoute(m, this::linkName);
                if (r != null) {
                    routes.add(r);
                }
            } catch (NetlinkFormatException e) {
                throw new RoutingException("dump routes", 0, e.getMessage());
            }
        }
        return routes;
    }

    @Override
    public List<PolicyRule> rules() throws RoutingException {
        List<PolicyRule> rules = new ArrayList<>();
        for (NetlinkMessage m : dump(Rtnl.RTM_GETRULE, "dump policy rules")) {
            if (m.type() != Rtnl.RTM_NEWRULE) {
                continue;
            }
            try {
                PolicyRule r = RtnetlinkCodec.decodeRule(m);
                if (r != null) {
                    rules.add(r);
                }
            } catch (NetlinkFormatException e) {
                throw new RoutingException("dump policy rules", 0, e.getMessage());
            }
        }
        rules.sort(Comparator.comparingInt(PolicyRule::priority));
        return rules;
    }

    private int indexOf(DeviceRoute route) throws RoutingException {
        if (route.interfaceIndex() > 0) {
            return route.interfaceIndex();
        }
        return route.interfaceName() == null ? 0 : linkIndex(route.interfaceName());
    }

    private void change(int type, int flags, DeviceRoute route, String verb) throws RoutingException {
        if (requests == null) {
            checkUsable(verb + " route " + route + where());
        }
        int index = indexOf(route);
        try {
            synchronized (requests) {
                requests.request(RtnetlinkCodec.routeRequest(type, flags, requests.nextSequence(), route, index), verb + " route");
            }
        } catch (RoutingException e) {
            // the full description (the route as text) is built only when it is needed: this is the remediation path
            throw new RoutingException(verb + " route " + route + where(), e.errno(), e.osReason());
        }
    }

    @Override
    public void add(DeviceRoute route) throws RoutingException {
        change(Rtnl.RTM_NEWROUTE, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, route, "add");
    }

    @Override
    public void replace(DeviceRoute route) throws RoutingException {
        change(Rtnl.RTM_NEWROUTE, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE, route, "replace");
    }

    @Override
    public void delete(DeviceRoute route) throws RoutingException {
        change(Rtnl.RTM_DELROUTE, 0, route, "delete");
    }

    @Override
    public void addRule(PolicyRule rule) throws RoutingException {
        ruleChange(Rtnl.RTM_NEWRULE, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, rule, "add");
    }

    @Override
    public void deleteRule(PolicyRule rule) throws RoutingException {
        ruleChange(Rtnl.RTM_DELRULE, 0, rule, "delete");
    }

    private void ruleChange(int type, int flags, PolicyRule rule, String verb) throws RoutingException {
        String what = verb + " rule " + rule + (netns == null ? "" : " in namespace " + netns);
        checkUsable(what);
        synchronized (requests) {
            requests.request(RtnetlinkCodec.ruleRequest(type, flags, requests.nextSequence(), rule), what);
        }
    }

    // ---------------------------------------------------------------- InterfaceControl

    private String where() {
        return netns == null ? "" : " in namespace " + netns;
    }

    /** One acknowledged request whose bytes need the next sequence number. */
    private void ask(String what, java.util.function.IntFunction<byte[]> message) throws RoutingException {
        checkUsable(what);
        synchronized (requests) {
            requests.request(message.apply(requests.nextSequence()), what);
        }
    }

    /** The live link {@code name} as the kernel has it now (RTM_GETLINK by name): ENODEV, with {@code what}, when absent. */
    private RtnetlinkCodec.Link link(String name, String what) throws RoutingException {
        checkUsable(what);
        List<NetlinkMessage> answers;
        synchronized (requests) {
            answers = requests.query(RtnetlinkCodec.getLinkRequest(requests.nextSequence(), name), what);
        }
        for (NetlinkMessage m : answers) {
            if (m.type() == Rtnl.RTM_NEWLINK) {
                try {
                    RtnetlinkCodec.Link link = RtnetlinkCodec.decodeLink(m);
                    remember(link);
                    return link;
                } catch (NetlinkFormatException e) {
                    throw new RoutingException(what, 0, e.getMessage());
                }
            }
        }
        throw new RoutingException(what, ENODEV, "No such device");
    }

    @Override
    public List<NetworkInterface> interfaces() throws RoutingException {
        String what = "list interfaces" + where();
        Map<Integer, RtnetlinkCodec.Link> links = new java.util.TreeMap<>();
        Map<Integer, List<InterfaceAddress>> addresses = new LinkedHashMap<>();
        try {
            for (NetlinkMessage m : dump(Rtnl.RTM_GETLINK, what)) {
                if (m.type() == Rtnl.RTM_NEWLINK) {
                    RtnetlinkCodec.Link link = RtnetlinkCodec.decodeLink(m);
                    remember(link);
                    links.put(link.index(), link);
                }
            }
            for (NetlinkMessage m : dump(Rtnl.RTM_GETADDR, "list addresses" + where())) {
                if (m.type() == Rtnl.RTM_NEWADDR) {
                    RtnetlinkCodec.InterfaceAddress a = RtnetlinkCodec.decodeAddress(m);
                    if (a != null) {
                        addresses.computeIfAbsent(a.index(), i -> new ArrayList<>()).add(new InterfaceAddress(a.address(), a.prefixLength()));
                    }
                }
            }
        } catch (NetlinkFormatException e) {
            throw new RoutingException(what, 0, e.getMessage());
        }
        List<NetworkInterface> result = new ArrayList<>();
        for (RtnetlinkCodec.Link l : links.values()) {
            result.add(new NetworkInterface(l.index(), l.name(), l.up(), l.mtu(), addresses.getOrDefault(l.index(), List.of())));
        }
        return result;
    }

    @Override
    public Optional<NetworkInterface> findInterface(String name) throws RoutingException {
        return interfaces().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    @Override
    public void setUp(String interfaceName, boolean up) throws RoutingException {
        ask("set interface " + interfaceName + (up ? " up" : " down") + where(),
                seq -> RtnetlinkCodec.setLinkRequest(seq, interfaceName, up, 0));
    }

    @Override
    public void setMtu(String interfaceName, int mtu) throws RoutingException {
        if (mtu <= 0) {
            throw new IllegalArgumentException("MTU " + mtu + " for " + interfaceName + " is not positive");
        }
        ask("set MTU of interface " + interfaceName + " to " + mtu + where(), seq -> RtnetlinkCodec.setLinkRequest(seq, interfaceName, null, mtu));
    }

    @Override
    public void addAddress(String interfaceName, InterfaceAddress address) throws RoutingException {
        String what = "add address " + address + " to interface " + interfaceName + where();
        int index = link(interfaceName, what).index();
        ask(what, seq -> RtnetlinkCodec.addressRequest(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, seq, index, address.address(),
                address.prefixLength()));
    }

    @Override
    public void deleteAddress(String interfaceName, InterfaceAddress address) throws RoutingException {
        String what = "delete address " + address + " from interface " + interfaceName + where();
        int index = link(interfaceName, what).index();
        ask(what, seq -> RtnetlinkCodec.addressRequest(Rtnl.RTM_DELADDR, 0, seq, index, address.address(), address.prefixLength()));
    }

    @Override
    public void createVethPair(String name, String peerName, String peerNamespace) throws RoutingException {
        String what = "create veth pair " + name + "/" + peerName + where() + (peerNamespace == null ? "" : ", peer in namespace " + peerNamespace);
        int fd = -1;
        if (peerNamespace != null) {
            try {
                fd = Libc.INSTANCE.open(NetworkNamespace.path(peerNamespace), Libc.O_RDONLY | Libc.O_CLOEXEC);
            } catch (LastErrorException e) {
                throw new RoutingException(what + ": open network namespace " + peerNamespace + " (" + NetworkNamespace.path(peerNamespace) + ")",
                        e.getErrorCode(), Libc.INSTANCE.strerror(e.getErrorCode()));
            }
        }
        try {
            int nsFd = fd;
            ask(what, seq -> RtnetlinkCodec.vethRequest(seq, name, peerName, nsFd));
        } finally {
            if (fd >= 0) {
                Libc.INSTANCE.close(fd);
            }
        }
        link(name, what); // caches the new index, replacing a stale one of the same name
        if (peerNamespace == null) {
            link(peerName, what);
        }
    }

    @Override
    public void deleteLink(String interfaceName) throws RoutingException {
        ask("delete interface " + interfaceName + where(), seq -> RtnetlinkCodec.deleteLinkRequest(seq, interfaceName));
    }

    /** Runs nft commands in this backend's network namespace. */
    private String nft(String commands) throws RoutingException {
        if (netnsFd >= 0) {
            return NetworkNamespace.call(netnsFd, () -> Nftables.run(commands));
        }
        if (netns != null) {
            return NetworkNamespace.call(netns, () -> Nftables.run(commands));
        }
        return Nftables.run(commands);
    }

    private static String table(String name) {
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("filter name '" + name + "' may contain only letters, digits and '_'");
        }
        return "inet " + name;
    }

    @Override
    public void dropUnlessVia(String name, List<crew.model.net.Cidr> destinations, List<crew.model.net.Cidr> exceptions, String allowedInterface)
            throws RoutingException {
        StringBuilder cmd = new StringBuilder();
        cmd.append("table ").append(table(name)).append(" {}\n");
        cmd.append("delete table ").append(table(name)).append("\n");
        cmd.append("table ").append(table(name)).append(" {\n  chain out {\n    type filter hook postrouting priority -300; policy accept;\n");
        for (IpFamily f : IpFamily.values()) {
            List<String> set = destinations.stream().filter(c -> c.family() == f).map(Object::toString).toList();
            List<String> except = exceptions.stream().filter(c -> c.family() == f).map(Object::toString).toList();
            String match = f == IpFamily.IPV4 ? "ip" : "ip6";
            if (!set.isEmpty()) {
                cmd.append("    ").append(match).append(" daddr { ").append(String.join(", ", set)).append(" } ");
                if (!except.isEmpty()) {
                    cmd.append(match).append(" daddr != { ").append(String.join(", ", except)).append(" } ");
                }
                cmd.append("oifname != \"").append(allowedInterface).append("\" counter drop\n");
            }
        }
        cmd.append("  }\n}\n");
        nft(cmd.toString());
    }

    @Override
    public void removeFilter(String name) throws RoutingException {
        nft("table " + table(name) + " {}\ndelete table " + table(name) + "\n");
    }

    @Override
    public long droppedPackets(String name) throws RoutingException {
        String out = nft("list table " + table(name));
        long total = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(out);
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    /** Adds many routes in batches (benchmarks, restoring a snapshot); returns the errno per route, 0 = added. */
    int[] addAll(List<DeviceRoute> routes) throws RoutingException {
        checkUsable("add " + routes.size() + " routes");
        List<byte[]> messages = new ArrayList<>(routes.size());
        synchronized (requests) {
            for (DeviceRoute r : routes) {
                messages.add(RtnetlinkCodec.routeRequest(Rtnl.RTM_NEWROUTE, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, requests.nextSequence(), r, indexOf(r)));
            }
            return requests.requestAll(messages, "add " + routes.size() + " routes");
        }
    }

    @Override
    public BatchResult deleteAll(List<DeviceRoute> routes) {
        List<DeviceRoute> done = new ArrayList<>();
        List<BatchResult.Failure> failed = new ArrayList<>();
        if (routes.isEmpty()) {
            return new BatchResult(done, failed);
        }
        if (routes.size() == 1) { // the common case of one tamper: one request, one acknowledgement
            DeviceRoute r = routes.get(0);
            try {
                delete(r);
                done.add(r);
            } catch (RoutingException e) {
                if (e.isNotFound()) {
                    done.add(r);
                } else {
                    failed.add(new BatchResult.Failure(r, e));
                }
            }
            return new BatchResult(done, failed);
        }
        try {
            checkUsable("delete " + routes.size() + " routes");
            List<byte[]> messages = new ArrayList<>(routes.size());
            synchronized (requests) {
                for (DeviceRoute r : routes) {
                    messages.add(RtnetlinkCodec.routeRequest(Rtnl.RTM_DELROUTE, 0, requests.nextSequence(), r, indexOf(r)));
                }
                int[] errnos = requests.requestAll(messages, "delete " + routes.size() + " routes");
                for (int i = 0; i < errnos.length; i++) {
                    int errno = errnos[i];
                    if (errno == 0 || errno == RoutingException.ESRCH) {
                        done.add(routes.get(i)); // already gone counts as done
                    } else {
                        failed.add(new BatchResult.Failure(routes.get(i),
                                new RoutingException("delete route " + routes.get(i), errno, NetlinkSocket.strerror(errno))));
                    }
                }
            }
        } catch (RoutingException e) {
            for (DeviceRoute r : routes) {
                if (!done.contains(r)) {
                    failed.add(new BatchResult.Failure(r, e));
                }
            }
        }
        return new BatchResult(done, failed);
    }

    @Override
    public synchronized Subscription subscribe(RoutingListener listener) throws RoutingException {
        checkUsable("subscribe to routing events");
        if (reader == null) {
            NetlinkSocket events = create(EVENT_GROUPS);
            try {
                events.joinGroup(Rtnl.RTNLGRP_IPV6_RULE);
                events.receiveTimeout(200);
            } catch (RoutingException e) {
                events.close();
                throw e;
            }
            reader = new EventReader(events);
            reader.start();
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Reads multicast notifications, decodes them and delivers them in order; resynchronises after an overrun. */
    private final class EventReader extends Thread {
        private final NetlinkSocket socket;
        private volatile boolean running = true;

        EventReader(NetlinkSocket socket) {
            super("crew-rtnetlink-events" + (netns == null ? "" : "-" + netns));
            setDaemon(true);
            this.socket = socket;
        }

        void shutdown() {
            running = false;
            try {
                join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Asks for nice {@link #EVENT_READER_NICE} for this thread (Linux: PRIO_PROCESS with who 0 is the calling thread).
         * The reader sleeps nearly always and does bounded work per wake-up, but it is where the enforcement engine
         * removes a tamper's route: on a busy device (or against an attacker who keeps the CPUs busy) it should get a
         * CPU first. Root may do this; without the privilege the thread keeps the default and nothing else changes.
         */
        private void raisePriority() {
            if (EVENT_READER_NICE == 0) {
                return;
            }
            try {
                Libc.INSTANCE.setpriority(Libc.PRIO_PROCESS, 0, EVENT_READER_NICE);
            } catch (LastErrorException | UnsatisfiedLinkError e) {
                // EACCES/EPERM without CAP_SYS_NICE: stay at the default priority
            }
        }

        @Override
        public void run() {
            raisePriority();
            try {
                while (running) {
                    List<NetlinkMessage> batch;
                    try {
                        batch = socket.receive("receive routing events");
                    } catch (RoutingException e) {
                        if (e.errno() == Libc.ENOBUFS) {
                            resync();
                            continue;
                        }
                        if (!running) {
                            return;
                        }
                        deliver(new RoutingEvent.Overrun("event socket failed: " + e.getMessage(), List.of(), List.of(), System.nanoTime()));
                        continue;
                    }
                    if (batch == null) {
                        continue; // timeout: check running
                    }
                    // drain what is already queued (a flood) so listeners can act on it in one go
                    List<RoutingEvent> events = new ArrayList<>();
                    boolean overrun = false;
                    while (batch != null) {
                        long now = System.nanoTime();
                        for (NetlinkMessage m : batch) {
                            RoutingEvent event = decode(m, now);
                            if (event != null) {
                                events.add(event);
                            }
                        }
                        if (events.size() >= 1024) {
                            break;
                        }
                        try {
                            batch = socket.receive("receive routing events", true);
                        } catch (RoutingException e) {
                            overrun = e.errno() == Libc.ENOBUFS;
                            batch = null;
                        }
                    }
                    deliver(events);
                    if (overrun) {
                        resync();
                    }
                }
            } finally {
                socket.close(); // only this thread uses the fd, so closing here cannot race a recv
            }
        }

        private void resync() {
            long now = System.nanoTime();
            try {
                refreshLinks();
                deliver(new RoutingEvent.Overrun("kernel dropped events (ENOBUFS): receive buffer overflowed", routes(), rules(), now));
            } catch (RoutingException e) {
                deliver(new RoutingEvent.Overrun("kernel dropped events (ENOBUFS) and the resync dump failed: " + e.getMessage(),
                        List.of(), List.of(), now));
            }
        }

        private RoutingEvent decode(NetlinkMessage m, long now) {
            try {
                switch (m.type()) {
                    case Rtnl.RTM_NEWROUTE, Rtnl.RTM_DELROUTE -> {
                        DeviceRoute r = RtnetlinkCodec.decodeRoute(m, LinuxRoutingBackend.this::linkName);
                        if (r == null) {
                            return null;
                        }
                        return m.type() == Rtnl.RTM_NEWROUTE ? new RoutingEvent.RouteAdded(r, now) : new RoutingEvent.RouteRemoved(r, now);
                    }
                    case Rtnl.RTM_NEWRULE, Rtnl.RTM_DELRULE -> {
                        PolicyRule rule = RtnetlinkCodec.decodeRule(m);
                        if (rule == null) {
                            return null;
                        }
                        return m.type() == Rtnl.RTM_NEWRULE ? new RoutingEvent.RuleAdded(rule, now) : new RoutingEvent.RuleRemoved(rule, now);
                    }
                    case Rtnl.RTM_NEWLINK, Rtnl.RTM_DELLINK -> {
                        RtnetlinkCodec.Link link = RtnetlinkCodec.decodeLink(m);
                        boolean removed = m.type() == Rtnl.RTM_DELLINK;
                        if (!removed) {
                            remember(link);
                        }
                        return new RoutingEvent.LinkChanged(link.index(), link.name(), link.up(), removed, now);
                    }
                    case Rtnl.RTM_NEWADDR, Rtnl.RTM_DELADDR -> {
                        RtnetlinkCodec.InterfaceAddress a = RtnetlinkCodec.decodeAddress(m);
                        if (a == null) {
                            return null;
                        }
                        return m.type() == Rtnl.RTM_NEWADDR ? new RoutingEvent.AddressAdded(a.index(), a.address(), a.prefixLength(), now)
                                : new RoutingEvent.AddressRemoved(a.index(), a.address(), a.prefixLength(), now);
                    }
                    default -> {
                        return null;
                    }
                }
            } catch (NetlinkFormatException e) {
                return new RoutingEvent.Overrun("undecodable event: " + e.getMessage(), List.of(), List.of(), now);
            }
        }

        private void deliver(RoutingEvent event) {
            deliver(List.of(event));
        }

        private void deliver(List<RoutingEvent> events) {
            if (events.isEmpty()) {
                return;
            }
            for (RoutingListener l : listeners) {
                try {
                    l.onEvents(events);
                } catch (RuntimeException e) {
                    // a faulty listener must not stop the others or the reader
                }
            }
        }
    }
}
