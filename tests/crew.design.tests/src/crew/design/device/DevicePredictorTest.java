package crew.design.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import crew.design.Designs;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.OvpnProfileText;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** Split and full tunnel push behaviour (aws-client-vpn.md seed 001) and CRE on top of it. */
class DevicePredictorTest {

    private static DevicePrediction predict(EndpointDesign d, String client, String deviceFile) {
        return DevicePredictor.predict(new PredictionRequest(d, IpAddress.parse(client), null, IpAddress.parse("203.0.113.10"), "tun0",
                Designs.device(deviceFile), null));
    }

    private static boolean has(List<DeviceRoute> routes, String cidr, String gw, String dev) {
        return routes.stream().anyMatch(r -> r.destination().equals(Cidr.parse(cidr))
                && (gw == null ? r.gateway() == null : IpAddress.parse(gw).equals(r.gateway())) && dev.equals(r.interfaceName()));
    }

    @Test
    void givenSplitTunnel_whenPredicted_thenEachRouteViaFirstHostOfTheClientSlash27AndNoDefault() {
        DevicePrediction p = predict(Designs.example("split-tunnel"), "10.200.0.98", "cre-example-ip-route.txt");
        assertEquals(IpAddress.parse("10.200.0.97"), p.tunnelGateway());
        assertTrue(has(p.added(), "10.200.0.98/32", "10.200.0.98", "tun0"));
        assertTrue(has(p.added(), "10.200.0.96/27", "10.200.0.98", "tun0"));
        assertTrue(has(p.added(), "172.31.0.0/16", "10.200.0.97", "tun0"));
        assertTrue(has(p.added(), "10.50.0.0/16", "10.200.0.97", "tun0"));
        assertFalse(p.added().stream().anyMatch(r -> r.destination().isDefault()));
        // the CRE example: 172.31.1.0/24 removed, 10.0.0.0/8 and 192.168.1.0/24 kept
        assertEquals(1, p.conflicts().size(), p.conflicts().toString());
        assertEquals(Cidr.parse("172.31.1.0/24"), p.conflicts().get(0).route().destination());
        assertFalse(p.after().contains(p.conflicts().get(0).route()));
        assertTrue(has(p.after(), "10.0.0.0/8", "192.168.1.254", "eth0"));
        assertTrue(has(p.after(), "192.168.1.0/24", null, "eth0"));
        assertEquals(1, p.leaks().size());
    }

    @Test
    void givenFullTunnel_whenPredicted_thenHalvesViaTunnelAndEndpointViaLanGateway() {
        DevicePrediction p = predict(Designs.example("full-tunnel"), "10.250.0.2", "cre-example-ip-route.txt");
        assertTrue(has(p.added(), "0.0.0.0/1", "10.250.0.1", "tun0"));
        assertTrue(has(p.added(), "128.0.0.0/1", "10.250.0.1", "tun0"));
        assertTrue(has(p.added(), "203.0.113.10/32", "192.168.1.1", "eth0"));
        assertFalse(p.added().stream().anyMatch(r -> r.destination().isDefault()));
        // full tunnel + CRE: every LAN route conflicts, the server route does not
        assertEquals(3, p.conflicts().size(), p.conflicts().toString());
        assertTrue(p.conflicts().stream().noneMatch(c -> c.route().destination().isDefault()));
    }

    @Test
    void givenDualStack_whenClientHasIpv6_thenIpv6RoutesToo() {
        EndpointDesign d = Designs.example("dual-stack");
        DevicePrediction p = DevicePredictor.predict(new PredictionRequest(d, IpAddress.parse("10.210.0.2"), IpAddress.parse("2600:1f14:abc:ff00::2"),
                null, "tun0", Designs.device("linux-ip-route.txt"), null));
        assertTrue(has(p.added(), "2600:1f14:abc:de00::/56", null, "tun0"));
        EndpointDesign full = new EndpointDesign("x", withSplit(d.endpoint(), false), d.targetNetworks(), d.routes(), d.authorizationRules());
        DevicePrediction pf = DevicePredictor.predict(new PredictionRequest(full, IpAddress.parse("10.210.0.2"), IpAddress.parse("2600:1f14:abc:ff00::2"),
                null, "tun0", Designs.device("linux-ip-route.txt"), null));
        assertTrue(has(pf.added(), "::/1", null, "tun0"));
        assertTrue(has(pf.added(), "8000::/1", null, "tun0"));
        assertTrue(pf.conflicts().stream().anyMatch(c -> c.route().destination().equals(Cidr.parse("2001:db8:1::/64"))));
        assertTrue(pf.conflicts().stream().noneMatch(c -> c.route().destination().equals(Cidr.parse("fe80::/64"))));
    }

    @Test
    void givenProfileNetGatewayRoute_whenPredicted_thenItIsNotProtected() throws Exception {
        EndpointDesign d = Designs.example("full-tunnel");
        var profile = OvpnProfileText.parse("p", java.nio.file.Files.readString(Designs.root().resolve("profiles/split-tunnel.ovpn")));
        DevicePrediction p = DevicePredictor.predict(new PredictionRequest(d, IpAddress.parse("10.250.0.2"), null, IpAddress.parse("203.0.113.10"),
                "tun0", Designs.device("cre-example-ip-route.txt"), profile));
        assertTrue(p.conflicts().stream().noneMatch(c -> c.route().destination().equals(Cidr.parse("192.168.1.0/24"))), p.conflicts().toString());
        assertTrue(p.exemptRanges().contains(Cidr.parse("192.168.1.0/24")));
    }

    @Test
    void givenClientOutsideClientCidr_whenPredicted_thenRejected() {
        assertThrows(IllegalArgumentException.class, () -> predict(Designs.example("split-tunnel"), "10.9.0.2", "cre-example-ip-route.txt"));
    }

    @Test
    void givenCreOff_whenPredicted_thenConflictsStayAndLeak() {
        EndpointDesign d = Designs.example("split-tunnel");
        ClientVpnEndpoint e = d.endpoint();
        ClientVpnEndpoint off = new ClientVpnEndpoint(e.endpointId(), e.description(), e.status(), e.creationTime(), e.dnsName(), e.clientCidrBlock(),
                e.serverCertificateArn(), e.authenticationOptions(), e.connectionLogOptions(), e.dnsServers(), e.transportProtocol(), e.vpnPort(),
                e.splitTunnel(), e.securityGroupIds(), e.vpcId(), e.selfServicePortal(), e.clientConnectOptions(), e.sessionTimeoutHours(),
                e.clientLoginBannerOptions(), false, e.disconnectOnSessionTimeout(), e.endpointIpAddressType(), e.trafficIpAddressType(),
                e.transitGatewayId(), e.tags());
        DevicePrediction p = predict(new EndpointDesign("off", off, d.targetNetworks(), d.routes(), d.authorizationRules()), "10.200.0.2",
                "cre-example-ip-route.txt");
        assertEquals(1, p.conflicts().size());
        assertTrue(p.after().contains(p.conflicts().get(0).route()));
    }

    static ClientVpnEndpoint withSplit(ClientVpnEndpoint e, boolean split) {
        return new ClientVpnEndpoint(e.endpointId(), e.description(), e.status(), e.creationTime(), e.dnsName(), e.clientCidrBlock(),
                e.serverCertificateArn(), e.authenticationOptions(), e.connectionLogOptions(), e.dnsServers(), e.transportProtocol(), e.vpnPort(),
                split, e.securityGroupIds(), e.vpcId(), e.selfServicePortal(), e.clientConnectOptions(), e.sessionTimeoutHours(),
                e.clientLoginBannerOptions(), e.clientRouteEnforcement(), e.disconnectOnSessionTimeout(), e.endpointIpAddressType(),
                e.trafficIpAddressType(), e.transitGatewayId(), e.tags());
    }
}
