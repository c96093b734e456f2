package crew.tunnel.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import crew.design.authz.AuthorizationEvaluator;
import crew.design.device.DevicePrediction;
import crew.design.device.DevicePredictor;
import crew.design.device.PredictionRequest;
import crew.enforce.EnforcementEvent;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingListener;
import crew.routing.api.Subscription;
import crew.routing.linux.LinuxNetwork;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;
import crew.tunnel.TunnelState;

/**
 * The proof of the tunnel and the lab, end to end, with the real kernel and the real openvpn: a lab from an example
 * design; a CREW tunnel from its device namespace; the device table equals `crew predict`'s prediction; ping and TCP
 * to hosts behind the endpoint go through the tunnel (nftables counters on the device's tunnel and LAN interfaces),
 * exactly the hosts `crew access` allows; an attacker's conflicting route is removed and traffic stays in the tunnel;
 * the server drops and the client reconnects; disconnect restores the pre-connect table; lab down leaves no namespace,
 * interface, process or file behind.
 */
class LabEndToEndTest {
    private static Path home;
    private static String previousHome;
    private static Path openvpn;

    @BeforeAll
    static void crewHome() throws IOException {
        home = Files.createTempDirectory("crew-lab-home");
        previousHome = System.getProperty("crew.home");
        System.setProperty("crew.home", home.toString());
    }

    @AfterAll
    static void restoreHome() {
        if (previousHome == null) {
            System.clearProperty("crew.home");
        } else {
            System.setProperty("crew.home", previousHome);
        }
    }

    private static void prerequisites() {
        Prerequisites.requireRoot();
        openvpn = Prerequisites.requireExecutable("openvpn", "the lab and the tunnel drive the real openvpn");
        Prerequisites.requireExecutable("nsenter", "openvpn is started inside the lab's namespaces with nsenter (util-linux)");
    }

    @Test
    void givenTheSplitTunnelExample_whenConnected_thenTheDeviceMatchesThePredictionAndOnlyAllowedTrafficFlowsThroughTheTunnel() throws Exception {
        prerequisites();
        EndpointDesign design = LabPlanTest.example("split-tunnel");
        List<String> log = new CopyOnWriteArrayList<>();
        String id = LabPlanTest.uniqueId("e2es");
        try (EndpointLab lab = EndpointLab.up(design, id, LabPlan.defaultClients(design), openvpn, log::add)) {
            LabPlan plan = lab.plan();
            try (ClosableRoutingBackend device = LinuxRouting.namespace(plan.deviceNamespace())) {
                List<DeviceRoute> before = device.routes();
                countTraffic(plan, List.of(IpAddress.parse("172.31.0.10"), IpAddress.parse("10.50.0.10")));
                for (String client : List.of("lab-user", "member-engineering")) {
                    List<EnforcementEvent> events = new CopyOnWriteArrayList<>();
                    TunnelSession s = session(lab, device, client);
                    s.addEnforcementSink(events::add);
                    List<crew.tunnel.TunnelStatus> told = new CopyOnWriteArrayList<>();
                    s.addListener(told::add);
                    s.connect();
                    assertEquals(TunnelState.CONNECTED, s.status().state());
                    assertTrue(s.status().enforced(), "the design enables CRE, the lab pushes the marker, the session enforces");
                    // openvpn's own CONNECTED comes after CREW's: listeners are told it, the session's detail stays
                    long until = System.nanoTime() + 5_000_000_000L;
                    while (told.stream().noneMatch(t -> t.openvpnState().equals("CONNECTED")) && System.nanoTime() < until) {
                        Thread.sleep(20);
                    }
                    crew.tunnel.TunnelStatus last = told.get(told.size() - 1);
                    assertEquals("CONNECTED", last.openvpnState(), "the listeners' last status: " + told);
                    assertTrue(last.detail().startsWith("enforced, "), last.detail());
                    assertEquals("CONNECTED", s.status().openvpnState());
                    // the connect time is accounted for, phase by phase
                    assertEquals(5, s.connectPhases().size(), s.connectPhases().toString());
                    long sum = s.connectPhases().values().stream().mapToLong(java.time.Duration::toMillis).sum();
                    assertTrue(Math.abs(sum - s.connectTime().orElseThrow().toMillis()) <= 5, s.connectPhases() + " vs " + s.connectTime());

                    // the device table is what `crew predict` says
                    assertPrediction(design, plan, client, before, device.routes());

                    // exactly the hosts `crew access` allows for this client answer, through the tunnel
                    Set<String> groups = client.equals("lab-user") ? Set.of() : Set.of("engineering");
                    AuthorizationEvaluator access = new AuthorizationEvaluator(design.authorizationRules());
                    for (IpAddress host : plan.hosts()) {
                        boolean routed = plan.pushedRoutes().stream().anyMatch(r -> r.contains(host));
                        boolean expected = routed && access.allows(host, groups);
                        assertEquals(expected, echo(plan.deviceNamespace(), host, expected ? 5000 : 1500), client + " -> " + host + " (crew access: "
                                + access.evaluate(host, groups).reason() + ")");
                    }
                    if (client.equals("lab-user")) {
                        assertTrue(ping(plan.deviceNamespace(), IpAddress.parse("172.31.0.10")), "ping through the tunnel");
                        attackAndReconnect(lab, device, s, events);
                    }
                    assertEquals(0, counter(plan, "lan"), "no packet to a protected host left through the LAN while connected");
                    List<String> problems = s.disconnect();
                    assertTrue(problems.isEmpty(), problems.toString());
                    assertEquals(TunnelState.DISCONNECTED, s.status().state());
                    assertEquals(identities(before), identities(device.routes()), "disconnect restores the pre-connect table");
                    assertTrue(LinuxNetwork.inNamespace(plan.deviceNamespace(), () -> !Files.exists(Path.of("/proc/sys/net/ipv4/conf/tun0"))),
                            "the tunnel device is gone with openvpn");
                }
                long viaTunnel = counter(plan, "tun");
                long viaLan = counter(plan, "lan");
                System.out.println("[lab e2e split] packets to VPC hosts: through tun0 " + viaTunnel + ", through lan0 " + viaLan);
                assertTrue(viaTunnel > 0, "traffic went through the tunnel");
            }
            assertNoLeftovers(lab, lab.plan().id(), true);
        }
        assertNoLeftovers(null, id, false);
    }

    @Test
    void givenTheFullTunnelExample_whenConnected_thenEverythingGoesThroughTheTunnelAndTheLanComesBackAfterwards() throws Exception {
        prerequisites();
        EndpointDesign design = LabPlanTest.example("full-tunnel");
        String id = LabPlanTest.uniqueId("e2ef");
        try (EndpointLab lab = EndpointLab.up(design, id, List.of(new LabClient("lab-user", Set.of())), openvpn, l -> { })) {
            LabPlan plan = lab.plan();
            try (ClosableRoutingBackend device = LinuxRouting.namespace(plan.deviceNamespace())) {
                List<DeviceRoute> before = device.routes();
                IpAddress internet = IpAddress.parse("198.51.100.10");
                countTraffic(plan, List.of(internet));
                TunnelSession s = session(lab, device, "lab-user");
                s.connect();
                assertPrediction(design, plan, "lab-user", before, device.routes());
                AuthorizationEvaluator access = new AuthorizationEvaluator(design.authorizationRules());
                assertEquals(access.allows(internet, Set.of()), echo(plan.deviceNamespace(), internet, 5000), "internet host as crew access says");
                DeviceRoute attack = DeviceRoute.of(Cidr.parse("198.51.100.0/24"), plan.serverLanAddress(), LabPlan.DEVICE_LAN, 0);
                assertRemoved(device, attack);
                assertEquals(access.allows(internet, Set.of()), echo(plan.deviceNamespace(), internet, 5000), "still through the tunnel after the attack");
                // counted while connected: after disconnect the device rightly talks through its LAN again
                assertEquals(0, counter(plan, "lan"), "nothing to the internet host left through the LAN");
                assertTrue(counter(plan, "tun") > 0, "the internet host was reached through the tunnel");
                assertTrue(s.disconnect().isEmpty());
                assertEquals(identities(before), identities(device.routes()), "disconnect restores the table, the LAN's connected route included");
            }
        }
        assertNoLeftovers(null, id, false);
    }

    @Test
    void givenTheDualStackExample_whenConnected_thenIpv6RoutesAreInstalledProtectedAndUsed() throws Exception {
        prerequisites();
        EndpointDesign design = LabPlanTest.example("dual-stack");
        String id = LabPlanTest.uniqueId("e2ed");
        try (EndpointLab lab = EndpointLab.up(design, id, List.of(new LabClient("lab-user", Set.of())), openvpn, l -> { })) {
            LabPlan plan = lab.plan();
            assertTrue(plan.ipv6(), "the dual-stack design carries IPv6");
            try (ClosableRoutingBackend device = LinuxRouting.namespace(plan.deviceNamespace())) {
                List<DeviceRoute> before = device.routes();
                TunnelSession s = session(lab, device, "lab-user");
                s.connect();
                assertTrue(s.status().configuration().orElseThrow().ipv6Address().isPresent(), "the server pushed an IPv6 address");
                assertPrediction(design, plan, "lab-user", before, device.routes());
                IpAddress host4 = IpAddress.parse("10.1.0.10");
                IpAddress host6 = IpAddress.parse("2600:1f14:abc:de00::10");
                assertTrue(plan.hosts().containsAll(List.of(host4, host6)), plan.hosts().toString());
                assertTrue(echo(plan.deviceNamespace(), host4, 5000), "IPv4 host through the tunnel");
                assertTrue(echo(plan.deviceNamespace(), host6, 5000), "IPv6 host through the tunnel");
                // the lab's LAN is IPv4-only, so the attacker points the more specific IPv6 route at another interface
                assertRemoved(device, DeviceRoute.of(Cidr.parse("2600:1f14:abc:de00::/64"), null, "lo", 0));
                assertTrue(echo(plan.deviceNamespace(), host6, 5000), "IPv6 host still through the tunnel after the attack");
                assertTrue(s.disconnect().isEmpty());
                assertEquals(identities(before), identities(device.routes()), "disconnect restores the table");
            }
        }
        assertNoLeftovers(null, id, false);
    }

    @Test
    void givenADesignRoutingTheLabsFirstIpv6Pool_whenConnected_thenItsVpcHostAnswersThroughTheTunnel() throws Exception {
        prerequisites();
        EndpointDesign design = LabPlanTest.dualStackRouting("fd63:7265:7700::/48");
        String id = LabPlanTest.uniqueId("tf6");
        try (EndpointLab lab = EndpointLab.up(design, id, List.of(new LabClient("lab-user", Set.of())), openvpn, l -> { })) {
            LabPlan plan = lab.plan();
            IpAddress host6 = IpAddress.parse("fd63:7265:7700::10");
            assertTrue(plan.hosts().contains(host6), plan.hosts().toString());
            try (ClosableRoutingBackend device = LinuxRouting.namespace(plan.deviceNamespace())) {
                List<DeviceRoute> before = device.routes();
                TunnelSession s = session(lab, device, "lab-user");
                s.connect();
                assertPrediction(design, plan, "lab-user", before, device.routes());
                assertTrue(echo(plan.deviceNamespace(), host6, 5000), "the VPC host in the design's own IPv6 network answers through the tunnel");
                assertTrue(s.disconnect().isEmpty());
            }
        }
        assertNoLeftovers(null, id, false);
    }

    @Test
    void givenALabWhoseOwnerCrashed_whenTheNextLabStarts_thenTheStaleOneIsRemoved() throws Exception {
        prerequisites();
        EndpointDesign design = LabPlanTest.example("split-tunnel");
        EndpointLab abandoned = EndpointLab.up(design, LabPlanTest.uniqueId("e2ec"), List.of(new LabClient("u", Set.of())), openvpn, l -> { });
        // as after kill -9: the owner is gone (a pid that no longer runs), its server and namespaces are still there
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path state = abandoned.directory().resolve("lab.json");
        Files.writeString(state, Files.readString(state).replaceFirst("\"ownerPid\": \\d+", "\"ownerPid\": " + gone.pid()));
        List<String> removed = new ArrayList<>();
        EndpointLab.cleanStale(removed::add);
        assertTrue(removed.stream().anyMatch(l -> l.contains("removing lab " + abandoned.plan().id())), removed.toString());
        assertFalse(LinuxNetwork.namespaceExists(abandoned.plan().serverNamespace()));
        assertFalse(Files.exists(abandoned.directory()));
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(abandoned.directory().toString())),
                "no openvpn of the stale lab runs");
        abandoned.down(); // the in-process half of the abandoned lab (echo socket) goes too; nothing left to remove
    }

    private static final List<TunnelSession> OPEN = new CopyOnWriteArrayList<>();

    /** A failed assertion must not leave a tunnel behind for the next test. */
    @org.junit.jupiter.api.AfterEach
    void closeSessions() {
        OPEN.forEach(TunnelSession::disconnect);
        OPEN.clear();
    }

    static TunnelSession session(EndpointLab lab, ClosableRoutingBackend device, String client) {
        Path runtime = home.resolve("tunnel").resolve(lab.plan().id() + "-" + client);
        TunnelOptions options = TunnelOptions.defaults(lab.plan().id() + "-" + client, lab.plan().deviceNamespace()).withOpenvpn(openvpn)
                .withDirectories(runtime, home.resolve("journal")).withConnectTimeout(Duration.ofSeconds(20))
                .withReconcileInterval(Duration.ofMillis(500));
        TunnelSession s = new TunnelSession(TunnelProfile.read(lab.clientProfile(client)), device, options, null);
        OPEN.add(s);
        return s;
    }

    /**
     * The device's main table equals DevicePredictor's 'after' (the client's own /32 and /128 live in Linux's local
     * table; CRE's ignored ranges, such as the kernel's fe80::/64 link-local routes, are not compared).
     */
    static void assertPrediction(EndpointDesign design, LabPlan plan, String clientName, List<DeviceRoute> before, List<DeviceRoute> now) {
        LabPlan.ClientAddress a = plan.clients().get(clientName);
        IpAddress client = a.address();
        List<DeviceRoute> mainBefore = before.stream().filter(r -> r.inMainTable() && !ignored(r)).toList();
        DevicePrediction p = DevicePredictor.predict(new PredictionRequest(design, client, a.ipv6(), plan.publicAddress(), "tun0", mainBefore, null));
        Set<String> predicted = new TreeSet<>();
        for (DeviceRoute r : p.after()) {
            if (r.destination().equals(Cidr.host(client)) || (a.ipv6() != null && r.destination().equals(Cidr.host(a.ipv6())))) {
                assertTrue(now.stream().anyMatch(x -> x.table() == DeviceRoute.LOCAL_TABLE && x.destination().equals(r.destination())),
                        "local route of the client address " + r.destination());
                continue;
            }
            predicted.add(key(r, client));
        }
        Set<String> actual = new TreeSet<>();
        // the predictor models AWS's IPv6 host route; the lab's openvpn needs an on-link prefix (/64 at least), whose
        // connected route the kernel adds on the tunnel: present, on tun0, and not compared
        Cidr own6 = a.ipv6() == null ? null : Cidr.of(a.ipv6(), plan.clientIpv6Pool().prefixLength());
        if (own6 != null) {
            assertTrue(now.stream().anyMatch(x -> x.inMainTable() && x.destination().equals(own6) && "tun0".equals(x.interfaceName())), now.toString());
        }
        now.stream().filter(r -> r.inMainTable() && !ignored(r) && !r.destination().equals(own6)).forEach(r -> actual.add(key(r, client)));
        assertEquals(predicted, actual, "device table after connecting = crew predict");
    }

    private static boolean ignored(DeviceRoute r) {
        return crew.model.device.ClientRouteEnforcement.IGNORED_RANGES.stream().anyMatch(i -> i.contains(r.destination()));
    }

    private static String key(DeviceRoute r, IpAddress client) {
        IpAddress gw = client.equals(r.gateway()) ? null : r.gateway(); // the predictor writes on-link tunnel routes "via" the client
        return r.destination() + (gw == null ? "" : " via " + gw) + " dev " + r.interfaceName();
    }

    static Set<String> identities(List<DeviceRoute> routes) {
        Set<String> s = new TreeSet<>();
        routes.forEach(r -> s.add(r.toString()));
        return s;
    }

    private static void attackAndReconnect(EndpointLab lab, ClosableRoutingBackend device, TunnelSession s, List<EnforcementEvent> events)
            throws Exception {
        LabPlan plan = lab.plan();
        DeviceRoute attack = DeviceRoute.of(Cidr.parse("172.31.0.0/24"), plan.serverLanAddress(), LabPlan.DEVICE_LAN, 0);
        assertRemoved(device, attack);
        assertTrue(events.stream().anyMatch(e -> e.kind() == EnforcementEvent.Kind.CONFLICT_DETECTED), events.toString());
        assertTrue(echo(plan.deviceNamespace(), IpAddress.parse("172.31.0.10"), 5000), "the VPC host still answers through the tunnel");

        // the server drops: openvpn reconnects, the routes stay in place meanwhile (fail closed), then the session is back
        List<TunnelState> states = new CopyOnWriteArrayList<>();
        s.addListener(st -> states.add(st.state()));
        List<DeviceRoute> protectedRoutes = s.status().protectedRoutes();
        lab.restartServer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(states.contains(TunnelState.RECONNECTING) && s.status().state() == TunnelState.CONNECTED) && System.nanoTime() < deadline) {
            assertTrue(device.routes().stream().map(DeviceRoute::destination).toList()
                    .containsAll(protectedRoutes.stream().map(DeviceRoute::destination).toList()), "routes stay during the reconnect");
            Thread.sleep(50);
        }
        assertTrue(states.contains(TunnelState.RECONNECTING), states.toString());
        assertEquals(TunnelState.CONNECTED, s.status().state(), "reconnected: " + states + " " + s.recentLog());
        assertTrue(echo(plan.deviceNamespace(), IpAddress.parse("172.31.0.10"), 5000), "traffic flows again after the reconnect");
    }

    /** Adds a conflicting route as another process would and waits for the engine to remove it. */
    static void assertRemoved(ClosableRoutingBackend device, DeviceRoute attack) throws Exception {
        // let earlier TCP connections finish their teardown first: a packet sent inside the attack's window (the
        // fraction of a millisecond before the engine removes the route) would rightly leave through the LAN in aws
        // mode; that window is what the enforcement benchmark measures and strict mode closes
        Thread.sleep(300);
        CompletableFuture<Long> removed = new CompletableFuture<>();
        try (Subscription sub = device.subscribe(new RoutingListener() {
            @Override
            public void onEvent(RoutingEvent e) {
                if (e instanceof RoutingEvent.RouteRemoved r && r.route().destination().equals(attack.destination())) {
                    removed.complete(r.receivedNanos());
                }
            }
        })) {
            long t0 = System.nanoTime();
            device.add(attack);
            long t1 = removed.get(5, TimeUnit.SECONDS);
            System.out.printf("[lab e2e] attack %s removed by the engine after %.3f ms%n", attack, (t1 - t0) / 1e6);
        }
        assertFalse(device.routes().stream().anyMatch(r -> r.destination().equals(attack.destination()) && r.inMainTable()), "attack route gone");
    }

    /** A TCP exchange with the echo service, from inside the device namespace. */
    static boolean echo(String namespace, IpAddress host, int timeoutMillis) throws Exception {
        return LinuxNetwork.inNamespace(namespace, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host.toInetAddress(), LabPlan.ECHO_PORT), timeoutMillis);
                socket.setSoTimeout(timeoutMillis);
                OutputStream out = socket.getOutputStream();
                out.write("crew\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                return "echo crew".equals(reply);
            } catch (IOException e) {
                return false;
            }
        });
    }

    static boolean ping(String namespace, IpAddress host) throws Exception {
        return LinuxNetwork.inNamespace(namespace, () -> InetAddress.getByAddress(host.toBytes()).isReachable(3000));
    }

    /** nftables counters in the device namespace: packets to the hosts leaving through tun0 and through lan0. */
    static void countTraffic(LabPlan plan, List<IpAddress> hosts) throws Exception {
        String set = String.join(", ", hosts.stream().map(IpAddress::toString).toList());
        LinuxNetwork.nft(plan.deviceNamespace(), "table inet crew_test {\n counter tun { }\n counter lan { }\n chain out {\n"
                + "  type filter hook output priority 0; policy accept;\n  oifname \"tun0\" ip daddr { " + set + " } counter name \"tun\"\n"
                + "  oifname \"" + LabPlan.DEVICE_LAN + "\" ip daddr { " + set + " } counter name \"lan\"\n }\n}\n");
    }

    static long counter(LabPlan plan, String name) throws Exception {
        String out = LinuxNetwork.nft(plan.deviceNamespace(), "list counter inet crew_test " + name);
        Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    /** After down: no namespace, no process, no folder of the lab. */
    static void assertNoLeftovers(EndpointLab lab, String id, boolean takeDown) throws Exception {
        if (lab != null && takeDown) {
            List<String> problems = lab.down();
            assertTrue(problems.isEmpty(), problems.toString());
            for (String ns : List.of(lab.plan().deviceNamespace(), lab.plan().serverNamespace(), lab.plan().vpcNamespace())) {
                assertFalse(LinuxNetwork.namespaceExists(ns), ns + " removed");
            }
            assertFalse(Files.exists(lab.directory()), "lab folder removed");
        }
        List<String> ours = LinuxNetwork.namespaces().stream().filter(n -> n.startsWith("crew-" + id + "-")).toList();
        assertTrue(ours.isEmpty(), "namespaces left: " + ours);
        List<String> procs = ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("openvpn") && c.contains(home.toString())).toList();
        assertTrue(procs.isEmpty(), "openvpn processes left: " + procs);
        assertNotNull(home);
    }
}
