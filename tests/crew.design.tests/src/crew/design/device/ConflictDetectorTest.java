package crew.design.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import crew.design.Designs;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

class ConflictDetectorTest {

    private static ProtectedRoute vpn(String cidr) {
        return new ProtectedRoute(Cidr.parse(cidr), IpAddress.parse("10.200.0.1"), "tun0", "test");
    }

    private static DeviceRoute route(String cidr, String gw, String dev) {
        return DeviceRoute.of(Cidr.parse(cidr), gw == null ? null : IpAddress.parse(gw), dev, 100);
    }

    @Test
    void givenTheAwsCreExample_whenDetected_thenOnlyTheLocal172_31_1RouteConflicts() {
        // aws-client-vpn.md: VPN 172.31.0.0/16, local 172.31.1.0/24 -> removed; 10.0.0.0/8 and 192.168.1.0/24 stay
        ConflictDetector d = new ConflictDetector(List.of(vpn("172.31.0.0/16")));
        List<Conflict> c = d.detect(Designs.device("cre-example-ip-route.txt"));
        assertEquals(1, c.size(), c.toString());
        assertEquals(Cidr.parse("172.31.1.0/24"), c.get(0).route().destination());
        assertTrue(c.get(0).reason().contains("more specific"));
    }

    @Test
    void givenSamePrefix_whenGatewayOrInterfaceDiffers_thenConflict_elseNot() {
        ConflictDetector d = new ConflictDetector(List.of(vpn("172.31.0.0/16")));
        assertTrue(d.check(route("172.31.0.0/16", "192.168.1.254", "eth0")).isPresent());
        assertTrue(d.check(route("172.31.0.0/16", null, "docker0")).isPresent());
        assertTrue(d.check(route("172.31.0.0/16", "10.200.0.1", "tun0")).isEmpty());
        assertTrue(d.check(route("172.0.0.0/8", "192.168.1.254", "eth0")).isEmpty()); // less specific loses anyway
    }

    @Test
    void givenIgnoredRanges_whenInsideProtected_thenNoConflict() {
        ConflictDetector d = new ConflictDetector(List.of(vpn("0.0.0.0/1"), vpn("128.0.0.0/1"),
                new ProtectedRoute(Cidr.parse("::/1"), null, "tun0", "t"), new ProtectedRoute(Cidr.parse("8000::/1"), null, "tun0", "t")));
        for (String ignored : List.of("127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "255.255.255.255/32", "::1/128", "fe80::/64", "ff02::/16")) {
            assertTrue(d.check(route(ignored, null, "eth0")).isEmpty(), ignored);
        }
        assertTrue(d.check(route("192.168.1.0/24", null, "eth0")).isPresent());
        assertTrue(d.check(route("2001:db8::/64", null, "eth0")).isPresent());
    }

    @Test
    void givenExemptNetGatewayRange_whenInside_thenNoConflict() {
        ConflictDetector d = new ConflictDetector(List.of(vpn("0.0.0.0/1"), vpn("128.0.0.0/1")), List.of(Cidr.parse("192.168.1.0/24")));
        assertTrue(d.check(route("192.168.1.0/24", null, "eth0")).isEmpty());
        assertTrue(d.check(route("192.168.2.0/24", null, "eth0")).isPresent());
    }

    @Test
    void givenOtherTablesOrLocalTypes_whenChecked_thenIgnoredLikeAws() {
        ConflictDetector d = new ConflictDetector(List.of(vpn("172.31.0.0/16")));
        assertTrue(d.check(route("172.31.5.0/24", "192.168.1.254", "eth0").withTable(100)).isEmpty());
        List<DeviceRoute> all = Designs.device("linux-ip-route-table-all.txt");
        assertEquals(1, d.detect(all).size()); // only the main-table 172.31.1.0/24
    }
}
