package crew.tunnel.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import crew.model.endpoint.EndpointDesign;
import crew.model.io.WorkspaceFile;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** What the lab will build for the example designs, checked before anything is created. */
class LabPlanTest {

    /** A lab id unique to this test run: namespaces are machine-wide, and other builds may run the same tests at once. */
    static String uniqueId(String prefix) {
        return prefix + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    }

    static EndpointDesign example(String name) throws IOException {
        return WorkspaceFile.read(Path.of(System.getProperty("crew.examples"), "designs", name + ".crew.json"));
    }

    @Test
    void givenTheSplitTunnelExample_whenPlanned_thenTheServerPushesItsRoutesAndTheEnforcementMarker() throws IOException {
        EndpointDesign d = example("split-tunnel");
        LabPlan p = LabPlan.of("t1", d, LabPlan.defaultClients(d));
        assertEquals(List.of("lab-user", "member-engineering", "member-finance"), List.copyOf(p.clients().keySet()));
        assertEquals(IpAddress.parse("10.200.0.34"), p.clients().get("lab-user").address());
        assertEquals(IpAddress.parse("10.200.0.33"), p.clients().get("lab-user").gateway());
        String conf = p.serverConfiguration(Path.of("/lab"));
        assertTrue(conf.contains("ifconfig 10.200.0.1 255.255.252.0"), conf);
        assertTrue(conf.contains("push \"route 172.31.0.0 255.255.0.0\""), conf);
        assertTrue(conf.contains("push \"route 10.50.0.0 255.255.0.0\""), conf);
        assertTrue(conf.contains("push \"route 10.200.0.0 255.255.252.0\""), conf);
        assertTrue(conf.contains("push \"setenv-safe CREW_CRE 1\""), conf);
        assertTrue(conf.contains("push \"dhcp-option DNS 172.31.0.2\""), conf);
        assertTrue(conf.contains("port 443") && conf.contains("proto udp"), conf);
        assertFalse(conf.contains("redirect-gateway"), conf);
        assertEquals("ifconfig-push 10.200.0.34 255.255.255.224\npush \"route-gateway 10.200.0.33\"\n", p.clientConfigDirectory("lab-user"));
        assertTrue(p.hosts().containsAll(List.of(IpAddress.parse("172.31.0.10"), IpAddress.parse("10.50.0.10"), IpAddress.parse("10.50.8.10"),
                IpAddress.parse("172.31.16.10"))), p.hosts().toString());
        // nothing of the lab's own addressing overlaps the design
        assertFalse(p.lan().overlaps(Cidr.parse("10.200.0.0/22")));
    }

    @Test
    void givenTheSplitTunnelExample_whenPlanned_thenTheFilterFollowsTheAccessMatrixLongestPrefixFirst() throws IOException {
        EndpointDesign d = example("split-tunnel");
        LabPlan p = LabPlan.of("t1", d, List.of(new LabClient("eng", Set.of("engineering")), new LabClient("nobody", Set.of())));
        String f = p.authorizationFilter();
        // engineering reaches 10.50.0.0/16 but not the finance /24 inside it; a user in no group reaches neither
        int financeEng = f.indexOf("ip saddr 10.200.0.34 ip daddr 10.50.8.0/24 counter drop");
        int onpremEng = f.indexOf("ip saddr 10.200.0.34 ip daddr 10.50.0.0/16 counter accept");
        assertTrue(financeEng > 0 && onpremEng > financeEng, f);
        assertTrue(f.contains("ip saddr 10.200.0.66 ip daddr 10.50.0.0/16 counter drop"), f);
        assertTrue(f.contains("ip saddr 10.200.0.66 ip daddr 172.31.0.0/16 counter accept"), f);
        assertTrue(f.indexOf("ip daddr != @routes") < financeEng, "traffic without an endpoint route is dropped first");
    }

    @Test
    void givenTheFullTunnelExample_whenPlanned_thenRedirectGatewayAndAnInternetHost() throws IOException {
        EndpointDesign d = example("full-tunnel");
        LabPlan p = LabPlan.of("t2", d, List.of(new LabClient("u", Set.of())));
        String conf = p.serverConfiguration(Path.of("/lab"));
        assertTrue(conf.contains("push \"redirect-gateway def1\""), conf);
        assertFalse(conf.contains("push \"route "), conf);
        assertTrue(p.hosts().contains(IpAddress.parse("198.51.100.10")), p.hosts().toString());
    }

    @Test
    void givenTheDualStackExample_whenPlanned_thenIpv6IsPushedAddressedAndFiltered() throws IOException {
        EndpointDesign d = example("dual-stack");
        LabPlan p = LabPlan.of("t3", d, List.of(new LabClient("u", Set.of())));
        assertTrue(p.ipv6());
        String conf = p.serverConfiguration(Path.of("/lab"));
        assertTrue(conf.contains("ifconfig-ipv6 fd63:7265:7700::1/64 fd63:7265:7700::2"), conf);
        assertTrue(conf.contains("push \"route-ipv6 2600:1f14:abc:de00::/56\""), conf);
        assertTrue(p.clientConfigDirectory("u").contains("ifconfig-ipv6-push fd63:7265:7700::1000/64 fd63:7265:7700::1"));
        assertTrue(p.hosts().contains(IpAddress.parse("2600:1f14:abc:de00::10")), p.hosts().toString());
        String f = p.authorizationFilter();
        assertTrue(f.contains("ip6 saddr fd63:7265:7700::1000 ip6 daddr 2600:1f14:abc:de00::/56 counter accept"), f);
        assertTrue(f.contains("ip6 daddr != @routes6"), f);
        assertFalse(LabPlan.of("t4", example("split-tunnel"), List.of(new LabClient("u", Set.of()))).ipv6());
    }

    /** The dual-stack example with its IPv6 network moved to {@code ipv6} (routes, subnets and rules alike). */
    static EndpointDesign dualStackRouting(String ipv6) throws IOException {
        String text = java.nio.file.Files.readString(Path.of(System.getProperty("crew.examples"), "designs", "dual-stack.crew.json"))
                .replace("2600:1f14:abc:de00::/56", ipv6);
        Path file = java.nio.file.Files.createTempFile("crew-dual-stack", ".crew.json");
        try {
            java.nio.file.Files.writeString(file, text);
            return WorkspaceFile.read(file);
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void givenADesignRoutingTheLabsFirstIpv6Pools_whenPlanned_thenTheLabsIpv6AddressesAvoidIt() throws IOException {
        Cidr routed = Cidr.parse("fd63:7265:7700::/48");
        LabPlan p = LabPlan.of("t5", dualStackRouting(routed.toString()), List.of(new LabClient("u", Set.of())));
        assertTrue(p.hosts().contains(IpAddress.parse("fd63:7265:7700::10")), p.hosts().toString());
        assertFalse(p.clientIpv6Pool().overlaps(routed), "client pool " + p.clientIpv6Pool());
        assertFalse(p.coreIpv6().overlaps(routed), "core link " + p.coreIpv6());
        assertFalse(p.clientIpv6Pool().overlaps(p.coreIpv6()));
        assertFalse(routed.contains(p.clients().get("u").ipv6()), p.clients().get("u").toString());
        assertTrue(p.clientIpv6Pool().contains(p.clients().get("u").ipv6()) && p.clientIpv6Pool().contains(p.serverTunnelIpv6()));
        assertTrue(p.serverConfiguration(Path.of("/lab")).contains("ifconfig-ipv6 " + p.serverTunnelIpv6() + "/64"));
        // a design that covers every candidate is told so, as for the IPv4 LAN
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabPlan.of("t6", dualStackRouting("fc00::/7"), List.of(new LabClient("u",
                Set.of())))).getMessage().contains("IPv6 client pool"));
    }

    @Test
    void givenDesignsTheLabCannotRun_whenPlanned_thenTheErrorSaysWhy() throws IOException {
        EndpointDesign d = example("split-tunnel");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabPlan.of("Bad-Id", d, LabPlan.defaultClients(d))).getMessage()
                .contains("lab id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabPlan.of("x", d, List.of())).getMessage().contains("at least one client"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabPlan.of("x", d, List.of(new LabClient("a", Set.of()),
                new LabClient("a", Set.of())))).getMessage().contains("listed twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabClient.parse("a b")).getMessage().contains("may contain only"));
    }
}
