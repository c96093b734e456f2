package crew.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

class UpDownEnvironmentTest {

    private static PushedConfiguration read(String... lines) {
        UpDownEnvironment env = new UpDownEnvironment();
        for (int i = 0; i < lines.length; i++) {
            boolean end = env.accept(lines[i]);
            assertEquals(i == lines.length - 1, end, lines[i]);
        }
        return env.toConfiguration();
    }

    @Test
    void splitTunnelBlock() {
        PushedConfiguration c = read(
                ">UPDOWN:ENV,dev=tun0",
                ">UPDOWN:ENV,ifconfig_local=10.200.0.2",
                ">UPDOWN:ENV,ifconfig_netmask=255.255.255.0",
                ">UPDOWN:ENV,route_vpn_gateway=10.200.0.1",
                ">UPDOWN:ENV,route_net_gateway=192.168.7.1",
                ">UPDOWN:ENV,trusted_ip=198.51.100.7",
                ">UPDOWN:ENV,route_network_1=172.31.0.0",
                ">UPDOWN:ENV,route_netmask_1=255.255.0.0",
                ">UPDOWN:ENV,route_gateway_1=10.200.0.1",
                ">UPDOWN:ENV,route_network_2=10.0.0.0",
                ">UPDOWN:ENV,route_netmask_2=255.0.0.0",
                ">UPDOWN:ENV,route_gateway_2=10.200.0.1",
                ">UPDOWN:ENV,route_ipv6_network_1=fd00:1::/64",
                ">UPDOWN:ENV,foreign_option_1=dhcp-option DNS 172.31.0.2",
                ">UPDOWN:ENV,OPENVPN_CREW_CRE=1",
                ">UPDOWN:ENV,END");
        assertEquals("tun0", c.device());
        assertEquals("10.200.0.2/24", c.ipv4Address().orElseThrow().toString());
        assertEquals(Cidr.parse("10.200.0.0/24"), c.ipv4Address().orElseThrow().network());
        IpAddress gw = IpAddress.parse("10.200.0.1");
        assertEquals(List.of(new PushedRoute(Cidr.parse("172.31.0.0/16"), Optional.of(gw)),
                new PushedRoute(Cidr.parse("10.0.0.0/8"), Optional.of(gw))), c.routes());
        assertEquals(List.of(new PushedRoute(Cidr.parse("fd00:1::/64"), Optional.empty())), c.ipv6Routes());
        assertEquals(Optional.of(gw), c.vpnGateway());
        assertEquals(Optional.of(IpAddress.parse("192.168.7.1")), c.netGateway());
        assertEquals(Optional.of(IpAddress.parse("198.51.100.7")), c.trustedIp());
        assertEquals(List.of(IpAddress.parse("172.31.0.2")), c.dnsServers());
        assertFalse(c.redirectGateway());
        assertTrue(c.enforced());
    }

    @Test
    void fullTunnelAndDnsOptionOf26() {
        PushedConfiguration c = read(
                ">UPDOWN:ENV,dev=tun1",
                ">UPDOWN:ENV,ifconfig_ipv6_local=fd00:200::1000",
                ">UPDOWN:ENV,ifconfig_ipv6_netbits=64",
                ">UPDOWN:ENV,route_redirect_gateway_ipv4=1",
                ">UPDOWN:ENV,dns_server_0_address_1=10.200.0.53:53",
                ">UPDOWN:ENV,dns_server_0_address_2=[fd00:200::53]:53",
                ">UPDOWN:ENV,END");
        assertTrue(c.redirectGateway());
        assertFalse(c.enforced());
        assertTrue(c.ipv4Address().isEmpty());
        assertEquals("fd00:200::1000/64", c.ipv6Address().orElseThrow().toString());
        assertEquals(List.of(IpAddress.parse("10.200.0.53"), IpAddress.parse("fd00:200::53")), c.dnsServers());
    }

    @Test
    void badLinesAreNamed() {
        UpDownEnvironment env = new UpDownEnvironment();
        ManagementProtocolException e = assertThrows(ManagementProtocolException.class, () -> env.accept(">STATE:1,WAIT,,,"));
        assertTrue(e.getMessage().contains(">STATE:1,WAIT"), e.getMessage());
        assertThrows(ManagementProtocolException.class, env::toConfiguration);

        UpDownEnvironment mask = new UpDownEnvironment();
        mask.accept(">UPDOWN:ENV,route_network_1=10.0.0.0");
        mask.accept(">UPDOWN:ENV,route_netmask_1=255.0.255.0");
        mask.accept(">UPDOWN:ENV,END");
        e = assertThrows(ManagementProtocolException.class, mask::toConfiguration);
        assertTrue(e.getMessage().contains("route_netmask_1=255.0.255.0") && e.getMessage().contains("contiguous"), e.getMessage());

        UpDownEnvironment addr = new UpDownEnvironment();
        addr.accept(">UPDOWN:ENV,trusted_ip=300.1.1.1");
        addr.accept(">UPDOWN:ENV,END");
        e = assertThrows(ManagementProtocolException.class, addr::toConfiguration);
        assertTrue(e.getMessage().startsWith("trusted_ip=300.1.1.1"), e.getMessage());
    }

    @Test
    void stateLines() {
        StateReport s = StateReport.parse(">STATE:1700000000,CONNECTED,SUCCESS,10.200.0.2,198.51.100.7,1194,,");
        assertEquals("CONNECTED", s.name());
        assertEquals("SUCCESS", s.detail());
        assertEquals("10.200.0.2", s.tunnelAddress());
        assertEquals("198.51.100.7", s.remoteAddress());
        assertEquals(1700000000L, s.time().getEpochSecond());
        assertEquals("tls-error", StateReport.parse(">STATE:1700000001,RECONNECTING,tls-error,,,,,").detail());
        assertThrows(ManagementProtocolException.class, () -> StateReport.parse(">STATE:x,WAIT,,"));
        assertThrows(ManagementProtocolException.class, () -> StateReport.parse(">STATE:1"));
    }
}
