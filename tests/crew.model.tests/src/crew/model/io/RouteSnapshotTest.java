package crew.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;

class RouteSnapshotTest {

    private static DeviceRoute find(List<DeviceRoute> routes, String cidr) {
        return routes.stream().filter(r -> r.destination().equals(Cidr.parse(cidr))).findFirst()
                .orElseThrow(() -> new AssertionError(cidr + " not in " + routes));
    }

    @Test
    void givenLinuxIpRoute_whenParsed_thenEveryLineIsARoute() throws Exception {
        List<DeviceRoute> r = RouteSnapshot.parse("linux", Examples.text("devices/linux-ip-route.txt"));
        assertEquals(10, r.size());
        DeviceRoute dflt = find(r, "0.0.0.0/0");
        assertEquals("192.168.1.1", dflt.gateway().toString());
        assertEquals("wlp2s0", dflt.interfaceName());
        assertEquals(600, dflt.metric());
        assertEquals("dhcp", dflt.protocol());
        assertEquals("fe80::1", find(r, "::/0").gateway().toString());
        assertTrue(find(r, "172.17.0.0/16").flags().contains("linkdown"));
        assertEquals("::1/128", find(r, "::1/128").destination().toString());
    }

    @Test
    void givenIpRouteTableAll_whenParsed_thenTablesAndTypesKept() throws Exception {
        List<DeviceRoute> r = LinuxRouteText.parse("all", Examples.text("devices/linux-ip-route-table-all.txt"));
        assertEquals(100, find(r, "172.31.5.0/24").table());
        DeviceRoute local = find(r, "127.0.0.1/32");
        assertEquals(RouteType.LOCAL, local.type());
        assertEquals(DeviceRoute.LOCAL_TABLE, local.table());
        assertEquals(RouteType.UNREACHABLE, find(r, "10.66.0.0/16").type());
    }

    @Test
    void givenMacosNetstat_whenParsed_thenAbbreviationsLinksAndZonesUnderstood() throws Exception {
        String text = Examples.text("devices/macos-netstat-rn.txt");
        assertEquals(RouteSnapshot.Format.BSD_NETSTAT, RouteSnapshot.detect(text));
        List<DeviceRoute> r = RouteSnapshot.parse("mac", text);
        assertEquals("192.168.1.254", find(r, "10.63.0.0/16").gateway().toString());
        assertEquals("bridge100", find(r, "172.16.8.0/24").interfaceName());
        DeviceRoute link = find(r, "172.31.0.0/16");
        assertNull(link.gateway());
        assertEquals(21, link.interfaceIndex());
        find(r, "127.0.0.0/8");
        find(r, "169.254.0.0/16");
        find(r, "192.168.1.0/24");
        assertNull(find(r, "192.168.1.1/32").gateway()); // the on-link host route; the gateway's ARP entry (MAC, flags LW) is no route
        find(r, "224.0.0.0/4");
        assertEquals("fe80::1", find(r, "::/0").gateway().toString());
        find(r, "fe80::/64");
        assertEquals(19, r.size());
    }

    @Test
    void givenWindowsRoutePrint_whenParsed_thenBothTablesAndWrappedRows() throws Exception {
        String text = Examples.text("devices/windows-route-print.txt");
        assertEquals(RouteSnapshot.Format.WINDOWS_ROUTE_PRINT, RouteSnapshot.detect(text));
        List<DeviceRoute> r = RouteSnapshot.parse("win", text);
        assertEquals(17, r.size());
        DeviceRoute wsl = find(r, "172.31.0.0/20");
        assertNull(wsl.gateway());
        assertEquals(5256, wsl.metric());
        assertEquals("192.168.1.1", find(r, "0.0.0.0/0").gateway().toString());
        assertEquals(12, find(r, "2001:db8:1:0:1c2d:3e4f:5a6b:7c8d/128").interfaceIndex());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "default via 192.168.1.1 dev eth0 bogus 1|1|unknown word 'bogus'",
        "10.0.0.0/33 dev eth0|1|prefix length 33",
        "default via 192.168.1.300 dev eth0|1|more than 255",
        "10.0.0.0/8 dev eth0 metric x|1|metric must be a whole number",
        "10.0.0.0/8 dev|1|'dev' needs a value",
    })
    void givenMalformedIpRoute_whenParsed_thenLocatedError(String line, int lineNo, String reason) {
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> LinuxRouteText.parse("t.txt", "10.1.0.0/16 dev eth0\n".repeat(0) + line));
        assertEquals(lineNo, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.txt:" + lineNo + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void givenMalformedNetstatAndRoutePrint_whenParsed_thenLocatedErrors() {
        SourceFormatException noHeader = assertThrows(SourceFormatException.class, () -> NetstatRouteText.parse("n", "Internet:\n10/8 link#1 UC en0\n"));
        assertEquals(2, noHeader.line());
        SourceFormatException mixed = assertThrows(SourceFormatException.class,
                () -> NetstatRouteText.parse("n", "Internet:\nDestination Gateway Flags Netif Expire\n10/8 fe80::1 UGS en0\n"));
        assertTrue(mixed.getMessage().contains("mixed families"), mixed.getMessage());
        SourceFormatException holes = assertThrows(SourceFormatException.class,
                () -> WindowsRouteText.parse("w", "IPv4 Route Table\nActive Routes:\n10.0.0.0 255.0.255.0 On-link 10.0.0.1 5\n"));
        assertEquals(3, holes.line());
        assertTrue(holes.getMessage().contains("not contiguous"), holes.getMessage());
        assertThrows(SourceFormatException.class, () -> WindowsRouteText.parse("w", "hello\n"));
    }
}
