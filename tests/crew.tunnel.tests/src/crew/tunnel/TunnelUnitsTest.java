package crew.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import crew.enforce.EnforcementMode;
import crew.enforce.SessionSpec;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.tunnel.management.ManagementMessage;
import crew.tunnel.management.ManagementReader;

/** The pure parts of the tunnel: the management reader on a captured openvpn 2.6 session, profiles, route planning. */
class TunnelUnitsTest {

    /** Lines openvpn 2.6.14 sent on this machine to a management client (a lab session, trimmed of TLS detail). */
    static final List<String> CAPTURED = List.of(
            ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info",
            ">HOLD:Waiting for hold release:0",
            "SUCCESS: real-time state notification set to ON",
            "SUCCESS: hold release succeeded",
            ">LOG:1795858334,I,UDPv4 link remote: [AF_INET]192.168.77.1:1194",
            ">STATE:1795858334,WAIT,,,,,,",
            ">STATE:1795858334,AUTH,,,,,,",
            ">LOG:1795858334,,MANAGEMENT: >STATE:1795858334,AUTH,,,,,,",
            ">UPDOWN:UP",
            ">UPDOWN:ENV,dev_type=tun",
            ">UPDOWN:ENV,dev=tun0",
            ">UPDOWN:ENV,tun_mtu=1500",
            ">UPDOWN:ENV,route_gateway_1=10.200.0.33",
            ">UPDOWN:ENV,route_netmask_1=255.255.0.0",
            ">UPDOWN:ENV,route_network_1=172.31.0.0",
            ">UPDOWN:ENV,route_vpn_gateway=10.200.0.33",
            ">UPDOWN:ENV,route_net_gateway=192.168.77.1",
            ">UPDOWN:ENV,ifconfig_netmask=255.255.255.224",
            ">UPDOWN:ENV,ifconfig_local=10.200.0.34",
            ">UPDOWN:ENV,OPENVPN_CREW_CRE=1",
            ">UPDOWN:ENV,foreign_option_1=dhcp-option DNS 172.31.0.2",
            ">UPDOWN:ENV,trusted_ip=198.18.0.1",
            ">UPDOWN:ENV,END",
            ">STATE:1795858334,CONNECTED,SUCCESS,10.200.0.34,198.18.0.1,1194,,",
            ">NOTIFY:info,server-pushed-connection-reset,",
            ">STATE:1795858351,RECONNECTING,server-pushed-connection-reset,,,,,",
            ">HOLD:Waiting for hold release:1",
            ">PASSWORD:Need 'Auth' username/password",
            ">PASSWORD:Verification Failed: 'Auth'",
            ">UPDOWN:DOWN",
            ">UPDOWN:ENV,END",
            ">FATAL:Cannot open TUN/TAP dev /dev/net/tun: No such file or directory",
            ">STATE:1795858360,EXITING,init_instance,,,,,",
            "ERROR: unknown command, enter 'help' for more options",
            ">BYTECOUNT:1024,2048");

    @Test
    void givenACapturedSession_whenRead_thenEveryMessageIsTyped() {
        ManagementReader reader = new ManagementReader();
        List<ManagementMessage> messages = new ArrayList<>();
        for (String line : CAPTURED) {
            reader.accept(line).ifPresent(messages::add);
        }
        List<String> kinds = messages.stream().map(m -> m.getClass().getSimpleName()).toList();
        assertEquals(List.of("Info", "Hold", "Response", "Response", "Log", "State", "State", "Log", "UpDown", "State", "Notify", "State", "Hold",
                "PasswordNeeded", "PasswordFailed", "UpDown", "Fatal", "State", "Response", "Other"), kinds);
        ManagementMessage.UpDown up = (ManagementMessage.UpDown) messages.get(8);
        assertTrue(up.up());
        PushedConfiguration c = up.configuration();
        assertEquals("tun0", c.device());
        assertEquals("10.200.0.34/27", c.ipv4Address().orElseThrow().toString());
        assertEquals(List.of(new PushedRoute(Cidr.parse("172.31.0.0/16"), Optional.of(IpAddress.parse("10.200.0.33")))), c.routes());
        assertTrue(c.enforced());
        assertEquals(List.of(IpAddress.parse("172.31.0.2")), c.dnsServers());
        assertEquals(1, ((ManagementMessage.Hold) messages.get(12)).waitSeconds());
        ManagementMessage.PasswordNeeded need = (ManagementMessage.PasswordNeeded) messages.get(13);
        assertEquals("Auth", need.type());
        assertTrue(need.usernameToo());
        assertFalse(((ManagementMessage.UpDown) messages.get(15)).up());
        assertEquals("RECONNECTING", ((ManagementMessage.State) messages.get(11)).report().name());
        assertEquals("server-pushed-connection-reset", ((ManagementMessage.State) messages.get(11)).report().detail());
        assertFalse(((ManagementMessage.Response) messages.get(18)).success());
    }

    @Test
    void givenABrokenBlockOrLine_whenRead_thenTheErrorNamesIt() {
        ManagementReader reader = new ManagementReader();
        reader.accept(">UPDOWN:UP");
        ManagementProtocolException e = assertThrows(ManagementProtocolException.class, () -> reader.accept(">STATE:1,CONNECTED,SUCCESS,,,,"));
        assertTrue(e.getMessage().contains(">STATE:1,CONNECTED"), e.getMessage());
        assertTrue(reader.accept(">HOLD:Waiting for hold release:0").isPresent(), "the reader recovers after a broken block");
        assertThrows(ManagementProtocolException.class, () -> reader.accept(">LOG:notatime,I,x"));
        assertThrows(ManagementProtocolException.class, () -> reader.accept(">PASSWORD:Need Auth"));
        assertThrows(ManagementProtocolException.class, () -> reader.accept(">UPDOWN:SIDEWAYS"));
    }

    @Test
    void quotingEscapesAndRefusesLineBreaks() {
        assertEquals("\"a\\\"b\\\\c\"", ManagementReader.quote("a\"b\\c"));
        assertThrows(IllegalArgumentException.class, () -> ManagementReader.quote("a\nhold release"));
    }

    @Test
    void givenAnAwsProfile_whenRead_thenScriptsAndManagementAreTakenOutAndNamed() {
        String text = String.join("\n", "client", "dev tun", "proto udp", "remote cvpn-endpoint-0123.prod.clientvpn.us-east-1.amazonaws.com 443",
                "remote-random-hostname", "nobind", "script-security 2", "up /etc/openvpn/update-resolv-conf", "management 127.0.0.1 7505",
                "auth-user-pass", "verb 3", "route 192.168.1.0 255.255.255.0 net_gateway", "");
        TunnelProfile p = TunnelProfile.parse(Path.of("aws.ovpn"), text);
        String runtime = p.runtimeConfiguration();
        assertFalse(runtime.contains("script-security"), runtime);
        assertFalse(runtime.contains("update-resolv-conf"), runtime);
        assertFalse(runtime.contains("management 127.0.0.1"), runtime);
        assertTrue(runtime.contains("remote-random-hostname") && runtime.contains("net_gateway") && runtime.contains("auth-user-pass"), runtime);
        assertTrue(p.needsCredentials());
        assertTrue(p.notes().stream().anyMatch(n -> n.startsWith("line 8: 'up' ignored")), p.notes().toString());
        assertTrue(p.notes().stream().anyMatch(n -> n.startsWith("line 9: 'management' ignored")), p.notes().toString());
    }

    @Test
    void givenASamlProfile_whenRead_thenItIsRefusedWithTheLine() {
        TunnelException e = assertThrows(TunnelException.class, () -> TunnelProfile.parse(Path.of("saml.ovpn"),
                "client\ndev tun\nremote cvpn-endpoint-1.prod.clientvpn.eu-west-1.amazonaws.com 443\nauth-federate\n"));
        assertEquals(TunnelException.Reason.BAD_PROFILE, e.reason());
        assertTrue(e.getMessage().startsWith("saml.ovpn:4: 'auth-federate' is not supported"), e.getMessage());
        TunnelException bad = assertThrows(TunnelException.class, () -> TunnelProfile.parse(Path.of("bad.ovpn"), "client\ndev tun\n"));
        assertTrue(bad.getMessage().contains("no 'remote' line"), bad.getMessage());
        assertInstanceOf(TunnelException.class, assertThrows(TunnelException.class, () -> TunnelProfile.read(Path.of("/nonexistent/x.ovpn"))));
    }

    @Test
    void givenAMissingBinaryOrUtf16Profile_whenRead_thenTheErrorSaysWhatItIsAndWhere() throws Exception {
        TunnelException missing = assertThrows(TunnelException.class, () -> TunnelProfile.read(Path.of("/nonexistent/x.ovpn")));
        assertTrue(missing.getMessage().endsWith("no such file"), missing.getMessage());
        Path dir = java.nio.file.Files.createTempDirectory("crew-profiles");
        Path binary = dir.resolve("binary.ovpn");
        java.nio.file.Files.write(binary, new byte[] {'c', 'l', 'i', 'e', 'n', 't', '\n', (byte) 0xC3, (byte) 0x28, 0x7F});
        TunnelException b = assertThrows(TunnelException.class, () -> TunnelProfile.read(binary));
        assertEquals(TunnelException.Reason.BAD_PROFILE, b.reason());
        assertTrue(b.getMessage().contains("binary.ovpn") && b.getMessage().contains("byte offset 7"), b.getMessage());
        Path utf16 = dir.resolve("utf16.ovpn");
        java.nio.file.Files.write(utf16, "client\nremote x 443\n".getBytes(java.nio.charset.StandardCharsets.UTF_16));
        TunnelException u = assertThrows(TunnelException.class, () -> TunnelProfile.read(utf16));
        assertTrue(u.getMessage().contains("UTF-16"), u.getMessage());
    }

    private static PushedConfiguration config(boolean redirect, String... routes) {
        UpDownEnvironment env = new UpDownEnvironment();
        List<String> lines = new ArrayList<>(List.of("dev=tun0", "ifconfig_local=10.200.0.34", "ifconfig_netmask=255.255.255.224",
                "route_vpn_gateway=10.200.0.33", "route_net_gateway=192.168.77.1", "trusted_ip=198.18.0.1"));
        if (redirect) {
            lines.add("redirect_gateway=1");
        }
        for (int i = 0; i < routes.length; i++) {
            String[] r = routes[i].split(" ");
            lines.add("route_network_" + (i + 1) + "=" + r[0]);
            lines.add("route_netmask_" + (i + 1) + "=" + r[1]);
            lines.add("route_gateway_" + (i + 1) + "=" + r[2]);
        }
        lines.forEach(l -> env.accept(">UPDOWN:ENV," + l));
        env.accept(">UPDOWN:ENV,END");
        return env.toConfiguration();
    }

    private static final List<DeviceRoute> LAN = List.of(DeviceRoute.of(Cidr.parse("0.0.0.0/0"), IpAddress.parse("192.168.77.1"), "lan0", 0),
            DeviceRoute.of(Cidr.parse("192.168.77.0/24"), null, "lan0", 0));

    @Test
    void givenSplitTunnelRoutes_whenPlanned_thenTunnelRoutesAreProtectedAndNetGatewayRoutesExempt() {
        SessionSpec s = TunnelNetwork.sessionSpec("s", config(false, "172.31.0.0 255.255.0.0 10.200.0.33", "192.168.1.0 255.255.255.0 192.168.77.1"),
                LAN, EnforcementMode.AWS, Duration.ofSeconds(5));
        assertEquals(List.of(Cidr.parse("172.31.0.0/16")), s.protectedDestinations());
        assertEquals(List.of(Cidr.parse("192.168.1.0/24")), s.exemptDestinations());
        assertEquals(List.of(DeviceRoute.of(Cidr.parse("192.168.1.0/24"), IpAddress.parse("192.168.77.1"), "lan0", 0)), s.bypassRoutes());
        assertEquals(IpAddress.parse("10.200.0.33"), s.tunnelGateway());
        assertEquals("tun0", s.tunnelInterface());
    }

    @Test
    void givenFullTunnel_whenPlanned_thenHalvesAreProtectedAndTheServerStaysOnTheLan() {
        SessionSpec s = TunnelNetwork.sessionSpec("s", config(true), LAN, EnforcementMode.AWS, Duration.ofSeconds(5));
        assertEquals(List.of(Cidr.parse("0.0.0.0/1"), Cidr.parse("128.0.0.0/1")), s.protectedDestinations());
        assertEquals(List.of(DeviceRoute.of(Cidr.parse("192.168.77.1/32"), null, "lan0", 0),
                DeviceRoute.of(Cidr.parse("198.18.0.1/32"), IpAddress.parse("192.168.77.1"), "lan0", 0)), s.bypassRoutes());
        assertTrue(s.exemptDestinations().containsAll(List.of(Cidr.parse("198.18.0.1/32"), Cidr.parse("192.168.77.1/32"))));
        TunnelException noLan = assertThrows(TunnelException.class, () -> TunnelNetwork.sessionSpec("s", config(true), List.of(), EnforcementMode.AWS,
                null));
        assertTrue(noLan.getMessage().contains("default route"), noLan.getMessage());
    }

    @Test
    void givenAPushReplyLogLine_whenRead_thenRedirectGatewayIsTakenFromIt() {
        String line = "PUSH: Received control message: 'PUSH_REPLY,redirect-gateway def1,dhcp-option DNS 172.31.0.2,route-gateway 10.200.0.33,"
                + "topology subnet,ping 2,ping-restart 10,ifconfig 10.200.0.34 255.255.255.224,peer-id 0,cipher AES-256-GCM'";
        PushReply r = PushReply.fromLog(line).orElseThrow();
        assertEquals(List.of("def1"), r.redirectGateway().orElseThrow());
        PushedConfiguration c = r.applyTo(config(false));
        assertTrue(c.redirectGateway());
        SessionSpec s = TunnelNetwork.sessionSpec("s", c, LAN, EnforcementMode.AWS, null);
        assertEquals(List.of(Cidr.parse("0.0.0.0/1"), Cidr.parse("128.0.0.0/1")), s.protectedDestinations());
        PushReply v6only = PushReply.fromLog("PUSH: Received control message: 'PUSH_REPLY,redirect-gateway ipv6 !ipv4,route 10.0.0.0 255.0.0.0'")
                .orElseThrow();
        SessionSpec s6 = TunnelNetwork.sessionSpec("s", v6only.applyTo(config(false, "10.0.0.0 255.0.0.0 10.200.0.33")), LAN, EnforcementMode.AWS, null);
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::/1"), Cidr.parse("8000::/1")), s6.protectedDestinations());
        assertTrue(PushReply.fromLog("TLS: Initial packet from [AF_INET]192.168.77.1:1194").isEmpty());
    }
}
