package crew.routing.linux.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.model.device.DeviceRoute;
import crew.routing.api.InterfaceControl;
import crew.routing.api.InterfaceControl.InterfaceAddress;
import crew.routing.api.InterfaceControl.NetworkInterface;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.Subscription;
import crew.routing.linux.LinuxNetwork;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;

/**
 * InterfaceControl and LinuxNetwork on the real kernel (root), in namespaces the test creates through LinuxNetwork
 * and removes; `ip` and `nft` only check what CREW did.
 */
class InterfaceControlTest {
    private final List<String> namespaces = new ArrayList<>();
    private final List<AutoCloseable> closables = new ArrayList<>();

    @BeforeEach
    void requireRoot() {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("ip", "iproute2 checks what CREW did");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : closables) {
            c.close();
        }
        for (String ns : namespaces) {
            LinuxNetwork.deleteNamespace(ns);
        }
    }

    private String namespace() throws RoutingException {
        String name = "crewl" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFL);
        namespaces.add(name);
        LinuxNetwork.createNamespace(name);
        return name;
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closables.add(c);
        return c;
    }

    private InterfaceControl control(String ns) throws RoutingException {
        ClosableRoutingBackend b = closeLater(LinuxRouting.namespace(ns));
        return assertInstanceOf(InterfaceControl.class, b, "namespace-bound Linux backends control interfaces");
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        return TestNamespace.run(cmd);
    }

    private static InterfaceAddress a(String text) {
        return InterfaceAddress.parse(text);
    }

    @Test
    void givenCreateAndDelete_whenIpNetnsLists_thenTheNamespaceComesAndGoesWithLoUp() throws Exception {
        String ns = namespace();
        assertTrue(run("ip", "netns", "list").contains(ns), "ip netns list shows " + ns);
        assertTrue(LinuxNetwork.namespaceExists(ns));
        assertTrue(LinuxNetwork.namespaces().contains(ns));
        JsonObject lo = JsonParser.parseString(run("ip", "-n", ns, "-j", "link", "show", "lo")).getAsJsonArray().get(0).getAsJsonObject();
        assertTrue(lo.getAsJsonArray("flags").toString().contains("\"UP\""), "lo is up: " + lo);
        assertTrue(run("ip", "-n", ns, "addr", "show", "lo").contains("127.0.0.1/8"));
        assertTrue(Files.readString(Path.of("/proc/self/mountinfo")).contains("/run/netns/" + ns), "bind-mounted like ip netns add");

        RoutingException again = assertThrows(RoutingException.class, () -> LinuxNetwork.createNamespace(ns));
        assertEquals(RoutingException.EEXIST, again.errno());
        assertTrue(again.getMessage().contains("create network namespace " + ns) && again.getMessage().contains("File exists"), again.getMessage());
        assertTrue(run("ip", "netns", "list").contains(ns), "a failed second create leaves the first alone");

        LinuxNetwork.deleteNamespace(ns);
        assertFalse(run("ip", "netns", "list").contains(ns));
        assertFalse(LinuxNetwork.namespaceExists(ns));
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains("/run/netns/" + ns + " "));
        LinuxNetwork.deleteNamespace(ns); // missing: not an error
        assertThrows(IllegalArgumentException.class, () -> LinuxNetwork.createNamespace("../etc"));
    }

    @Test
    void givenAVethPairAcrossNamespaces_whenConfigured_thenPingAndTcpCrossIt() throws Exception {
        String left = namespace();
        String right = namespace();
        InterfaceControl l = control(left);
        InterfaceControl r = control(right);
        l.createVethPair("crewa", "crewb", right);
        assertTrue(l.findInterface("crewa").isPresent());
        assertTrue(l.findInterface("crewb").isEmpty(), "the peer went to the other namespace");
        assertTrue(r.findInterface("crewb").isPresent());
        l.addAddress("crewa", a("10.77.0.1/24"));
        l.addAddress("crewa", a("fd00:77::1/64"));
        r.addAddress("crewb", a("10.77.0.2/24"));
        r.addAddress("crewb", a("fd00:77::2/64"));
        l.setMtu("crewa", 1400);
        r.setMtu("crewb", 1400);
        l.setUp("crewa", true);
        r.setUp("crewb", true);

        NetworkInterface crewa = l.findInterface("crewa").orElseThrow();
        assertTrue(crewa.up());
        assertEquals(1400, crewa.mtu());
        assertTrue(crewa.addresses().containsAll(List.of(a("10.77.0.1/24"), a("fd00:77::1/64"))), crewa.toString());
        String ipAddr = run("ip", "-n", right, "addr", "show", "crewb");
        assertTrue(ipAddr.contains("mtu 1400") && ipAddr.contains("10.77.0.2/24") && ipAddr.contains("fd00:77::2/64") && ipAddr.contains(",UP"),
                ipAddr);

        // count what arrives on the right, through nft in that namespace
        LinuxNetwork.nft(right, "table inet crewping {\n chain in {\n  type filter hook input priority 0; policy accept;\n"
                + "  icmp type echo-request counter\n  icmpv6 type echo-request counter\n  tcp dport 7777 counter\n }\n}\n");
        boolean v4 = LinuxNetwork.inNamespace(left, () -> InetAddress.getByName("10.77.0.2").isReachable(3000)); // ICMP echo as root
        boolean v6 = LinuxNetwork.inNamespace(left, () -> InetAddress.getByName("fd00:77::2").isReachable(3000));
        assertTrue(v4 && v6, "ping 10.77.0.2: " + v4 + ", ping fd00:77::2: " + v6);

        // a TCP echo server in the right namespace, created there from the JVM, served from an ordinary thread
        ServerSocket server = closeLater(LinuxNetwork.inNamespace(right, () -> new ServerSocket(7777, 5, InetAddress.getByName("10.77.0.2"))));
        Thread echo = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().transferTo(s.getOutputStream());
            } catch (IOException e) {
                // closed
            }
        }, "echo");
        echo.start();
        String answer = LinuxNetwork.inNamespace(left, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("10.77.0.2", 7777), 3000);
                OutputStream out = s.getOutputStream();
                out.write("hello across the veth".getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
        assertEquals("hello across the veth", answer);
        echo.join(5000);
        String counters = LinuxNetwork.nft(right, "list table inet crewping");
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(counters);
        List<Long> packets = new ArrayList<>();
        while (m.find()) {
            packets.add(Long.parseLong(m.group(1)));
        }
        assertEquals(3, packets.size(), counters);
        assertTrue(packets.stream().allMatch(n -> n > 0), "ICMP, ICMPv6 echo requests and TCP all arrived: " + counters);

        l.deleteLink("crewa");
        assertTrue(l.findInterface("crewa").isEmpty());
        assertTrue(r.findInterface("crewb").isEmpty(), "deleting one end of a veth deletes its peer");
        RoutingException gone = assertThrows(RoutingException.class, () -> l.deleteLink("crewa"));
        assertEquals(InterfaceControl.ENODEV, gone.errno());
        assertTrue(gone.getMessage().contains("crewa"), gone.getMessage());
    }

    @Test
    void givenInterfacesInANamespace_whenListed_thenEqualIpJsonLinkAndAddr() throws Exception {
        String ns = namespace();
        InterfaceControl c = control(ns);
        c.createVethPair("crewx", "crewy", null);
        c.addAddress("crewx", a("192.0.2.1/24"));
        c.addAddress("crewx", a("192.0.2.9/32"));
        c.addAddress("crewy", a("2001:db8:5::2/64"));
        c.setMtu("crewy", 1300);
        c.setUp("crewx", true);
        c.setUp("crewy", true);
        // ip itself runs inside the namespace through the argv CREW hands out for external processes
        String[] argv = LinuxNetwork.commandInNamespace(ns, "ip", "-j", "addr");
        assertArrayEquals(new String[] {"nsenter", "--net=/var/run/netns/" + ns, "--", "ip", "-j", "addr"}, argv);
        Set<String> fromIp = new TreeSet<>();
        for (JsonElement e : JsonParser.parseString(run(argv)).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            List<String> addrs = new ArrayList<>();
            if (o.has("addr_info")) {
                for (JsonElement ai : o.getAsJsonArray("addr_info")) {
                    JsonObject x = ai.getAsJsonObject();
                    addrs.add(InterfaceAddress.parse(x.get("local").getAsString() + "/" + x.get("prefixlen").getAsInt()).toString());
                }
            }
            fromIp.add(o.get("ifindex").getAsInt() + " " + o.get("ifname").getAsString() + " up=" + o.getAsJsonArray("flags").toString().contains("\"UP\"")
                    + " mtu=" + o.get("mtu").getAsInt() + " " + new TreeSet<>(addrs));
        }
        Set<String> fromCrew = new TreeSet<>();
        for (NetworkInterface i : c.interfaces()) {
            fromCrew.add(i.index() + " " + i.name() + " up=" + i.up() + " mtu=" + i.mtu() + " "
                    + new TreeSet<>(i.addresses().stream().map(Object::toString).toList()));
        }
        assertEquals(fromIp, fromCrew);
        assertTrue(fromCrew.stream().anyMatch(s -> s.contains("crewy up=true mtu=1300 [2001:db8:5::2/64, fe80::")), fromCrew.toString());
        // and the device's own namespace lists through the same code
        assertTrue(closeLater(new LinuxRoutingBackend().inNamespace(ns)) instanceof InterfaceControl);
    }

    @Test
    void givenMistakes_whenAttempted_thenErrorsNameTheThingAndCarryTheOsReason() throws Exception {
        String ns = namespace();
        InterfaceControl c = control(ns);
        for (org.junit.jupiter.api.function.Executable bad : List.<org.junit.jupiter.api.function.Executable>of(
                () -> c.setUp("nope0", true), () -> c.setMtu("nope0", 1400), () -> c.addAddress("nope0", a("10.1.1.1/24")),
                () -> c.deleteAddress("nope0", a("10.1.1.1/24")), () -> c.deleteLink("nope0"))) {
            RoutingException e = assertThrows(RoutingException.class, bad);
            assertEquals(InterfaceControl.ENODEV, e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("interface nope0") && e.getMessage().contains("No such device") && e.getMessage().contains(ns),
                    e.getMessage());
        }
        c.createVethPair("crewx", "crewy", null);
        c.addAddress("crewx", a("10.1.1.1/24"));
        RoutingException dup = assertThrows(RoutingException.class, () -> c.addAddress("crewx", a("10.1.1.1/24")));
        assertEquals(RoutingException.EEXIST, dup.errno());
        assertTrue(dup.getMessage().startsWith("add address 10.1.1.1/24 to interface crewx in namespace " + ns) && dup.getMessage().contains("File exists"),
                dup.getMessage());
        c.addAddress("crewx", a("2001:db8::1/64"));
        assertEquals(RoutingException.EEXIST, assertThrows(RoutingException.class, () -> c.addAddress("crewx", a("2001:db8::1/64"))).errno());
        c.deleteAddress("crewx", a("10.1.1.1/24"));
        c.deleteAddress("crewx", a("2001:db8::1/64"));
        assertFalse(run("ip", "-n", ns, "addr", "show", "crewx").contains("10.1.1.1"));
        RoutingException absent = assertThrows(RoutingException.class, () -> c.deleteAddress("crewx", a("10.1.1.1/24")));
        assertEquals(InterfaceControl.EADDRNOTAVAIL, absent.errno(), absent.getMessage());
        assertEquals(InterfaceControl.EADDRNOTAVAIL, assertThrows(RoutingException.class, () -> c.deleteAddress("crewx", a("2001:db8::1/64"))).errno());
        RoutingException taken = assertThrows(RoutingException.class, () -> c.createVethPair("crewx", "crewz", null));
        assertEquals(RoutingException.EEXIST, taken.errno(), taken.getMessage());
        RoutingException noNs = assertThrows(RoutingException.class, () -> c.createVethPair("crewp", "crewq", "crew-no-such-ns"));
        assertEquals(RoutingException.ENOENT, noNs.errno());
        assertTrue(noNs.getMessage().contains("crew-no-such-ns"), noNs.getMessage());
        RoutingException badMtu = assertThrows(RoutingException.class, () -> c.setMtu("crewx", 20));
        assertEquals(RoutingException.EINVAL, badMtu.errno(), badMtu.getMessage());
        RoutingException nowhere = assertThrows(RoutingException.class, () -> LinuxNetwork.inNamespace("crew-no-such-ns", () -> 1));
        assertEquals(RoutingException.ENOENT, nowhere.errno());
        RoutingException failed = assertThrows(RoutingException.class, () -> LinuxNetwork.inNamespace(ns, () -> {
            throw new IOException("the lab's own failure");
        }));
        assertInstanceOf(IOException.class, failed.getCause());
        assertTrue(failed.getMessage().contains("the lab's own failure"), failed.getMessage());
    }

    @Test
    void givenSysctls_whenSetInANamespace_thenTheyLandThereAndNotInTheHost() throws Exception {
        String ns = namespace();
        String hostForward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        String wanted = hostForward.equals("1") ? "0" : "1";
        LinuxNetwork.sysctl(ns, "net.ipv4.ip_forward", wanted);
        assertEquals(wanted, run("ip", "netns", "exec", ns, "cat", "/proc/sys/net/ipv4/ip_forward").strip());
        assertEquals(wanted, LinuxNetwork.sysctl(ns, "net.ipv4.ip_forward"));
        assertEquals(hostForward, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip(), "the host's value is untouched");

        String hostDisable = Files.readString(Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6")).strip();
        LinuxNetwork.sysctl(ns, "net.ipv6.conf.all.disable_ipv6", hostDisable.equals("1") ? "0" : "1");
        assertEquals(hostDisable.equals("1") ? "0" : "1", run("ip", "netns", "exec", ns, "cat", "/proc/sys/net/ipv6/conf/all/disable_ipv6").strip());
        assertEquals(hostDisable, Files.readString(Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6")).strip());
        LinuxNetwork.sysctl(ns, "net/ipv6/conf/default/addr_gen_mode", "1"); // sysctl's slash form
        assertEquals("1", run("ip", "netns", "exec", ns, "cat", "/proc/sys/net/ipv6/conf/default/addr_gen_mode").strip());

        RoutingException unknown = assertThrows(RoutingException.class, () -> LinuxNetwork.sysctl(ns, "net.ipv4.no_such_key", "1"));
        assertEquals(RoutingException.ENOENT, unknown.errno(), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("net.ipv4.no_such_key"), unknown.getMessage());
        RoutingException invalid = assertThrows(RoutingException.class, () -> LinuxNetwork.sysctl(ns, "net.ipv4.ip_forward", "yes"));
        assertEquals(RoutingException.EINVAL, invalid.errno(), invalid.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinuxNetwork.sysctl(ns, "kernel.hostname", "x"), "not per network namespace");
        assertThrows(IllegalArgumentException.class, () -> LinuxNetwork.sysctl(ns, "net.ipv4/../../kernel/hostname", "x"));
    }

    @Test
    void givenAnNftScript_whenRunInANamespace_thenOnlyThatNamespaceHasTheTable() throws Exception {
        Prerequisites.requireExecutable("nft", "nft lists the ruleset to check");
        String ns = namespace();
        String table = "crewlab" + Long.toHexString(ThreadLocalRandom.current().nextInt() & 0xFFFFF);
        LinuxNetwork.nft(ns, "table ip " + table + " {\n chain post {\n  type nat hook postrouting priority 100;\n  oifname \"lo\" masquerade\n }\n}\n");
        assertTrue(run("ip", "netns", "exec", ns, "nft", "list", "ruleset").contains("table ip " + table));
        assertFalse(run("nft", "list", "ruleset").contains(table), "not in the host");
        assertTrue(LinuxNetwork.nft(ns, "list tables").contains(table));
        RoutingException bad = assertThrows(RoutingException.class, () -> LinuxNetwork.nft(ns, "table ip " + table + " { chain c { nonsense } }"));
        assertTrue(bad.getMessage().contains("Error"), "libnftables' message: " + bad.getMessage());
        LinuxNetwork.nft(ns, "delete table ip " + table);
        assertFalse(run("ip", "netns", "exec", ns, "nft", "list", "ruleset").contains(table));
    }

    @Test
    void givenASubscriber_whenAddressesAreAddedAndRemoved_thenAddressEventsArrive() throws Exception {
        String ns = namespace();
        ClosableRoutingBackend backend = closeLater(LinuxRouting.namespace(ns));
        InterfaceControl c = (InterfaceControl) backend;
        c.createVethPair("crewx", "crewy", null);
        int index = c.findInterface("crewx").orElseThrow().index();
        BlockingQueue<RoutingEvent> events = new LinkedBlockingQueue<>();
        try (Subscription s = backend.subscribe(events::add)) {
            c.addAddress("crewx", a("10.44.0.1/24"));
            RoutingEvent.AddressAdded added = next(events, RoutingEvent.AddressAdded.class);
            assertEquals(index, added.interfaceIndex());
            assertEquals("10.44.0.1", added.address().toString());
            assertEquals(24, added.prefixLength());
            c.addAddress("crewx", a("2001:db8:44::1/64"));
            assertEquals("2001:db8:44::1", next(events, RoutingEvent.AddressAdded.class).address().toString());
            c.deleteAddress("crewx", a("10.44.0.1/24"));
            RoutingEvent.AddressRemoved removed = next(events, RoutingEvent.AddressRemoved.class);
            assertEquals("10.44.0.1", removed.address().toString());
            assertEquals(index, removed.interfaceIndex());
        }
    }

    private static <T extends RoutingEvent> T next(BlockingQueue<RoutingEvent> events, Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            RoutingEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 5 s");
    }

    @Test
    void givenATunDevice_whenConfiguredThroughTheApi_thenTheKernelAddsItsConnectedRoute() throws Exception {
        String ns = namespace();
        run("ip", "-n", ns, "tuntap", "add", "mode", "tun", "name", "tun7");
        ClosableRoutingBackend backend = closeLater(LinuxRouting.namespace(ns));
        InterfaceControl c = (InterfaceControl) backend;
        c.setMtu("tun7", 1420);
        c.addAddress("tun7", a("10.200.0.2/24"));
        c.addAddress("tun7", a("fd00:200::2/64"));
        c.setUp("tun7", true);
        NetworkInterface tun = c.findInterface("tun7").orElseThrow();
        assertTrue(tun.up());
        assertEquals(1420, tun.mtu());
        assertEquals(List.of(a("10.200.0.2/24"), a("fd00:200::2/64")),
                tun.addresses().stream().filter(x -> !x.address().toString().startsWith("fe80")).toList());
        DeviceRoute connected = backend.routes().stream().filter(r -> r.destination().toString().equals("10.200.0.0/24")).findFirst()
                .orElseThrow(() -> new AssertionError("no connected route 10.200.0.0/24"));
        assertEquals("tun7", connected.interfaceName());
        assertEquals("kernel", connected.protocol());
        assertEquals("link", connected.scope());
        assertEquals(254, connected.table());
        assertNotNull(connected.source());
        assertEquals("10.200.0.2", connected.source().toString());
        assertTrue(run("ip", "-n", ns, "route", "show", "10.200.0.0/24").contains("dev tun7 proto kernel scope link src 10.200.0.2"));
        c.setUp("tun7", false);
        assertFalse(c.findInterface("tun7").orElseThrow().up());
        assertFalse(run("ip", "-n", ns, "route").contains("10.200.0.0/24"), "down: the connected route is gone");
    }
}
