package crew.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;

/** CRE scenarios against the real kernel in a device namespace with a LAN veth and a TUN device (root). */
class EnforcementScenarioTest {
    private DeviceNamespace device;
    private ClosableRoutingBackend backend;
    private Path journal;
    private final List<EnforcementEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("ip", "iproute2 builds the device namespace");
        device = new DeviceNamespace();
        backend = LinuxRouting.namespace(device.name);
        journal = Files.createTempDirectory("crew-enforce").resolve("test.journal");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (device != null) {
            device.close();
        }
    }

    private EnforcementSession session(EnforcementMode mode, List<String> protect, List<String> exempt, List<DeviceRoute> bypass) {
        SessionSpec spec = new SessionSpec("test", "tun0", IpAddress.parse("10.200.0.1"), protect.stream().map(Cidr::parse).toList(),
                exempt.stream().map(Cidr::parse).toList(), bypass, mode, null, Duration.ofMillis(500));
        EnforcementSession s = new EnforcementSession(spec, backend, null, journal);
        s.addSink(events::add);
        return s;
    }

    @Test
    void givenTheAwsExample_whenEnforced_thenOnlyTheConflictingLocalRouteGoesAndStopRestoresTheSnapshot() throws Exception {
        device.ip("route add 172.31.1.0/24 via 192.168.1.1");
        device.ip("route add 10.0.0.0/8 via 192.168.1.1");
        Set<String> before = device.table();
        EnforcementSession s = session(EnforcementMode.AWS, List.of("172.31.0.0/16"), List.of(), List.of());
        s.start();
        assertFalse(device.has("172.31.1.0/24"), "VPN 172.31.0.0/16 vs local 172.31.1.0/24: local removed");
        assertTrue(device.has("10.0.0.0/8"), "10.0.0.0/8 does not overlap: left alone");
        assertTrue(device.has("192.168.1.0/24"), "the LAN does not overlap: left alone");
        assertTrue(device.ip("route show 172.31.0.0/16").contains("dev tun0"));
        assertTrue(Files.exists(journal), "a journal exists while the session runs");

        device.ip("route add 172.31.5.0/24 via 192.168.1.1");
        assertTrue(DeviceNamespace.within(1000, () -> !device.has("172.31.5.0/24")), "an attacker's more specific route is removed");
        device.ip("route replace 172.31.0.0/16 via 192.168.1.1");
        assertTrue(DeviceNamespace.within(1000, () -> device.ip("route show 172.31.0.0/16").contains("dev tun0")),
                "equal prefix through another gateway: the protected route comes back");
        device.ip("route del 172.31.0.0/16");
        assertTrue(DeviceNamespace.within(1000, () -> device.has("172.31.0.0/16")), "a deleted protected route is restored");

        assertEquals(List.of(), s.stop());
        assertEquals(before, device.table(), "stop restores the pre-session table, 172.31.1.0/24 included");
        assertFalse(Files.exists(journal), "the journal is gone once the device is restored");
        assertTrue(events.stream().allMatch(e -> e.tags().contains(EnforcementEvent.TAG)));
        assertTrue(events.stream().anyMatch(e -> e.kind() == EnforcementEvent.Kind.ROUTE_REMOVED && e.route().startsWith("172.31.5.0/24")));
        assertTrue(s.metrics().removals() >= 2 && s.metrics().restores() >= 2, s.metrics().toMap().toString());
    }

    @Test
    void givenIpv6Twins_whenEnforced_thenIpv6ConflictsAreRemovedToo() throws Exception {
        device.ip("-6 route add 2001:db8:10:1::/64 via 2001:db8:1::1");
        Set<String> before = device.table();
        EnforcementSession s = session(EnforcementMode.AWS, List.of("172.31.0.0/16", "2001:db8:10::/48"), List.of(), List.of());
        s.start();
        assertFalse(device.has("2001:db8:10:1::/64"));
        assertTrue(device.ip("-6 route show 2001:db8:10::/48").contains("dev tun0"));
        device.ip("-6 route add 2001:db8:10:2::/64 via 2001:db8:1::1");
        assertTrue(DeviceNamespace.within(1000, () -> !device.has("2001:db8:10:2::/64")));
        assertEquals(List.of(), s.stop());
        assertEquals(before, device.table());
    }

    @Test
    void givenFullTunnel_whenEnforced_thenIgnoredRangesNetGatewayAndTheServerBypassSurviveButTheLanRouteGoes() throws Exception {
        device.ip("route add 169.254.5.0/24 dev lan0");
        device.ip("route add 192.168.50.0/24 via 192.168.1.1");
        Set<String> before = device.table();
        List<DeviceRoute> bypass = List.of(DeviceRoute.of(Cidr.parse("192.168.1.1/32"), null, "lan0", 0),
                DeviceRoute.of(Cidr.parse("198.51.100.7/32"), IpAddress.parse("192.168.1.1"), "lan0", 0));
        EnforcementSession s = session(EnforcementMode.AWS, List.of("0.0.0.0/1", "128.0.0.0/1"), List.of("192.168.50.0/24"), bypass);
        s.start();
        assertFalse(device.has("192.168.1.0/24"), "full tunnel + CRE: the LAN's connected route conflicts (AWS: no LAN access)");
        assertTrue(device.has("169.254.5.0/24"), "169.254.0.0/16 is ignored");
        assertTrue(device.has("192.168.50.0/24"), "net_gateway destinations are not enforced");
        assertTrue(device.ip("route show 198.51.100.7").contains("via 192.168.1.1"), "the VPN server stays reachable outside the tunnel");
        assertTrue(device.ip("route get 8.8.8.8").contains("dev tun0"));
        assertEquals(List.of(), s.stop());
        assertEquals(before, device.table(), "the LAN route comes back at stop");
    }

    @Test
    void givenAPolicyRuleBypass_whenExtended_thenTheRuleIsRemovedButAwsModeLeavesIt() throws Exception {
        EnforcementSession aws = session(EnforcementMode.AWS, List.of("172.31.0.0/16"), List.of(), List.of());
        aws.start();
        device.ip("route add 172.31.0.0/16 via 192.168.1.1 table 100");
        device.ip("rule add to 172.31.0.0/16 lookup 100 prio 100");
        Thread.sleep(300);
        assertTrue(device.ip("rule").contains("lookup 100"), "AWS CRE ignores policy rules");
        assertTrue(device.ip("route get 172.31.9.9").contains("dev lan0"), "so the rule bypasses the tunnel in aws mode");
        aws.stop();
        device.ip("rule del prio 100");
        Files.deleteIfExists(journal);

        EnforcementSession extended = session(EnforcementMode.EXTENDED, List.of("172.31.0.0/16"), List.of(), List.of());
        extended.start();
        device.ip("rule add to 172.31.0.0/16 lookup 100 prio 100");
        assertTrue(DeviceNamespace.within(1000, () -> !device.ip("rule").contains("lookup 100")), "extended removes the diverting rule");
        assertTrue(device.ip("route get 172.31.9.9").contains("dev tun0"));
        assertEquals(List.of(), extended.stop());
    }

    @Test
    void givenStrictMode_whenTheMainTableIsTampered_thenTrafficStaysInTheTunnelEvenBeforeRepair() throws Exception {
        Set<String> before = device.table();
        Set<String> rulesBefore = device.rules();
        EnforcementSession s = session(EnforcementMode.STRICT, List.of("172.31.0.0/16"), List.of(), List.of());
        s.start();
        assertTrue(device.ip("rule").contains("lookup 197"), "protected destinations pinned to CREW's table");
        String filter = DeviceNamespace.run("ip", "netns", "exec", device.name, "nft", "list", "table", "inet", "crew_test");
        assertTrue(filter.contains("172.31.0.0/16") && filter.contains("oifname != \"tun0\"") && filter.contains("drop"), filter);
        // a route that would win in the main table, added and looked up at once: the pinning rule decides first
        device.ip("route add 172.31.7.0/24 via 192.168.1.1");
        assertTrue(device.ip("route get 172.31.7.7").contains("dev tun0"), "strict: the lookup never reaches the tampered main table");
        assertTrue(DeviceNamespace.within(1000, () -> !device.has("172.31.7.0/24")), "and the tampering is still repaired");
        assertEquals(List.of(), s.stop());
        assertEquals(before, device.table());
        assertEquals(rulesBefore, device.rules());
        assertFalse(DeviceNamespace.run("ip", "netns", "exec", device.name, "nft", "list", "tables").contains("crew_test"), "filter removed");
    }

    @Test
    void givenAnAdversaryReAddingOneRouteInALoop_whenEnforced_thenTheEngineReportsAFightAndDoesNotSpin() throws Exception {
        EnforcementSession s = session(EnforcementMode.AWS, List.of("172.31.0.0/16"), List.of(), List.of());
        s.start();
        List<String> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add("route replace 172.31.9.0/24 via 192.168.1.1");
        }
        Path file = Files.createTempFile("crew-fight", ".txt");
        Files.write(file, batch);
        DeviceNamespace.run("ip", "-n", device.name, "-force", "-batch", file.toString());
        assertTrue(DeviceNamespace.within(3000, () -> !device.has("172.31.9.0/24")), "the route is gone after the fight (reconcile)");
        assertTrue(s.metrics().fights() >= 1 || s.metrics().removals() < 200, "rate-limited: " + s.metrics().toMap());
        assertEquals(List.of(), s.stop());
    }
}
