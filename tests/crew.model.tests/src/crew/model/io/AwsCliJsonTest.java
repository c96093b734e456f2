package crew.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;

class AwsCliJsonTest {

    static final String ENDPOINTS = """
            {
                "ClientVpnEndpoints": [
                    {
                        "ClientVpnEndpointId": "cvpn-endpoint-0123456789abcdef0",
                        "Description": "corp",
                        "Status": {"Code": "available"},
                        "CreationTime": "2025-05-01T10:00:00",
                        "DnsName": "*.cvpn-endpoint-0123456789abcdef0.prod.clientvpn.us-east-1.amazonaws.com",
                        "ClientCidrBlock": "10.200.0.0/22",
                        "DnsServers": ["10.0.0.2"],
                        "SplitTunnel": true,
                        "VpnProtocol": "openvpn",
                        "TransportProtocol": "udp",
                        "VpnPort": 443,
                        "ServerCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/srv",
                        "AuthenticationOptions": [{"Type": "certificate-authentication",
                            "MutualAuthentication": {"ClientRootCertificateChain": "arn:aws:acm:us-east-1:111122223333:certificate/ca"}}],
                        "ConnectionLogOptions": {"Enabled": false},
                        "Tags": [{"Key": "Name", "Value": "corp"}],
                        "SecurityGroupIds": ["sg-0abc"],
                        "VpcId": "vpc-0abc",
                        "SelfServicePortalUrl": "",
                        "ClientConnectOptions": {"Enabled": false, "Status": {"Code": "applied"}},
                        "SessionTimeoutHours": 24,
                        "ClientLoginBannerOptions": {"Enabled": false},
                        "ClientRouteEnforcementOptions": {"Enforced": true},
                        "DisconnectOnSessionTimeout": true,
                        "EndpointIpAddressType": "ipv4",
                        "TrafficIpAddressType": "ipv4"
                    }
                ]
            }
            """;

    @Test
    void givenDescribeEndpointsOutput_whenRead_thenEveryFieldArrivesAndRoundTrips() {
        ClientVpnEndpoint e = AwsCliJson.readEndpoints("endpoints.json", ENDPOINTS).get(0);
        assertEquals("10.200.0.0/22", e.clientCidrBlock().toString());
        assertTrue(e.clientRouteEnforcement());
        assertTrue(e.splitTunnel());
        assertEquals(443, e.vpnPort());
        assertEquals("available", e.status());
        assertEquals("corp", e.tags().get("Name"));
        assertEquals(List.of("sg-0abc"), e.securityGroupIds());
        assertTrue(e.authenticationOptions().get(0).isCertificate());
        assertTrue(e.disconnectOnSessionTimeout());
        List<ClientVpnEndpoint> again = AwsCliJson.readEndpoints("w", AwsCliJson.writeEndpoints(List.of(e)));
        assertEquals(e, again.get(0));
    }

    @Test
    void givenRoutesRulesTargets_whenRead_thenParsedAndRoundTrip() {
        String routes = """
                {"Routes": [
                  {"ClientVpnEndpointId": "cvpn-endpoint-1", "DestinationCidr": "10.0.0.0/16", "TargetSubnet": "subnet-a",
                   "Type": "Nat", "Origin": "associate", "Status": {"Code": "active"}, "Description": "Default Route"},
                  {"ClientVpnEndpointId": "cvpn-endpoint-1", "DestinationCidr": "10.200.0.0/22", "TargetSubnet": "local",
                   "Type": "Local", "Origin": "add-route", "Status": {"Code": "active"}}
                ]}
                """;
        List<ClientVpnRoute> r = AwsCliJson.readRoutes("routes.json", routes);
        assertEquals(2, r.size());
        assertTrue(r.get(1).isLocal());
        assertEquals(r, AwsCliJson.readRoutes("w", AwsCliJson.writeRoutes("cvpn-endpoint-1", r)));

        String rules = """
                {"AuthorizationRules": [
                  {"ClientVpnEndpointId": "cvpn-endpoint-1", "Description": "all", "GroupId": "", "AccessAll": true,
                   "DestinationCidr": "10.0.0.0/16", "Status": {"Code": "active"}},
                  {"ClientVpnEndpointId": "cvpn-endpoint-1", "GroupId": "S-1-5-21-eng", "AccessAll": false,
                   "DestinationCidr": "10.0.1.0/24", "Status": {"Code": "active"}}
                ]}
                """;
        List<AuthorizationRule> a = AwsCliJson.readAuthorizationRules("rules.json", rules);
        assertTrue(a.get(0).authorizeAllGroups());
        assertEquals("S-1-5-21-eng", a.get(1).accessGroupId());
        assertEquals(a, AwsCliJson.readAuthorizationRules("w", AwsCliJson.writeAuthorizationRules("cvpn-endpoint-1", a)));

        String targets = """
                {"ClientVpnTargetNetworks": [
                  {"AssociationId": "cvpn-assoc-1", "VpcId": "vpc-1", "TargetNetworkId": "subnet-a",
                   "ClientVpnEndpointId": "cvpn-endpoint-1", "Status": {"Code": "associated"}, "SecurityGroups": ["sg-1"]}
                ]}
                """;
        List<TargetNetwork> t = AwsCliJson.readTargetNetworks("targets.json", targets);
        assertEquals("subnet-a", t.get(0).subnetId());
        assertEquals("associated", t.get(0).status());
    }

    @Test
    void givenBadCidr_whenRead_thenFileLineAndPathNamed() {
        String routes = "{\"Routes\": [\n {\"DestinationCidr\": \"10.0.0.0/16\", \"TargetSubnet\": \"s\"},\n"
                + " {\"DestinationCidr\":\n   \"10.0.0.1/16\", \"TargetSubnet\": \"s\"}\n]}";
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("routes.json", routes));
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("routes.json:4:4: $.Routes[1].DestinationCidr"), e.getMessage());
        assertTrue(e.getMessage().contains("host bits set"), e.getMessage());
    }

    @Test
    void givenUnknownFieldOrSyntaxError_whenRead_thenLocatedError() {
        SourceFormatException unknown = assertThrows(SourceFormatException.class,
                () -> AwsCliJson.readRoutes("r.json", "{\"Routes\": [\n{\"DestinationCidr\": \"10.0.0.0/8\", \"TargetSubnet\": \"s\",\n \"Bogus\": 1}]}"));
        assertEquals(3, unknown.line(), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("unknown field 'Bogus'"));
        SourceFormatException syntax = assertThrows(SourceFormatException.class,
                () -> AwsCliJson.readRoutes("r.json", "{\"Routes\": [\n{\"DestinationCidr\" \"10.0.0.0/8\"}]}"));
        assertEquals(2, syntax.line(), syntax.getMessage());
        SourceFormatException wrong = assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("r.json", "{\"Rules\": []}"));
        assertTrue(wrong.getMessage().contains("r.json:1"), wrong.getMessage());
        assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("r.json", "{\"Routes\": [] } x"));
        assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("r.json", ""));
    }

    @Test
    void givenDesign_whenWrittenAndRead_thenSame() {
        ClientVpnEndpoint e = AwsCliJson.readEndpoints("e", ENDPOINTS).get(0);
        EndpointDesign d = new EndpointDesign("corp", e,
                AwsCliJson.readTargetNetworks("t", "{\"ClientVpnTargetNetworks\": [{\"TargetNetworkId\": \"subnet-a\", \"VpcId\": \"vpc-0abc\","
                        + "\"SubnetCidr\": \"10.0.1.0/24\", \"AvailabilityZone\": \"us-east-1a\"}]}"),
                AwsCliJson.readRoutes("r", "{\"Routes\": [{\"DestinationCidr\": \"10.0.0.0/16\", \"TargetSubnet\": \"subnet-a\"}]}"),
                List.of(AuthorizationRule.allUsers(crew.model.net.Cidr.parse("10.0.0.0/16"), "all")));
        String text = WorkspaceFile.write(d);
        assertEquals(d, WorkspaceFile.read("d.crew.json", text));
        SourceFormatException bad = assertThrows(SourceFormatException.class,
                () -> WorkspaceFile.read("d.crew.json", text.replace("crew-design/1", "crew-design/9")));
        assertTrue(bad.getMessage().contains("unsupported format"));
        assertFalse(text.contains("null"));
    }
}
