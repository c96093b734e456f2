package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.io.WorkspaceFile;
import crew.testing.Prerequisites;

/**
 * The CloudFormation export of the three example designs: every design object becomes its resource with the design's
 * values, and the template conforms to AWS's own CloudFormation resource specification (see {@link CloudFormationSpec};
 * .ci/run fetches it from npm).
 */
class CloudFormationTemplateTest {
    static EndpointDesign example(String name) throws Exception {
        Path file = Path.of(System.getProperty("crew.examples"), "designs",
                name.replace("-ipv4-ranges", "") + WorkspaceFile.SUFFIX);
        EndpointDesign d = WorkspaceFile.read(file.toString(), Files.readString(file));
        return name.equals("dual-stack-ipv4-ranges") ? ipv4RangesOnly(example("dual-stack")) : d;
    }

    /** {@code d} without its IPv6 routes and rules (a template cannot express them); the endpoint stays dual stack. */
    static EndpointDesign ipv4RangesOnly(EndpointDesign d) {
        return new EndpointDesign(d.name(), d.endpoint(), d.targetNetworks(),
                d.routes().stream().filter(r -> "associate".equals(r.origin()) || r.destinationCidr().first().isIpv4()).toList(),
                d.authorizationRules().stream().filter(a -> a.targetNetworkCidr().first().isIpv4()).toList());
    }

    static List<Map.Entry<String, JsonObject>> resources(JsonObject template, String type) {
        List<Map.Entry<String, JsonObject>> out = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : template.getAsJsonObject("Resources").entrySet()) {
            if (e.getValue().getAsJsonObject().get("Type").getAsString().equals(type)) {
                out.add(Map.entry(e.getKey(), e.getValue().getAsJsonObject().getAsJsonObject("Properties")));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"split-tunnel", "full-tunnel", "dual-stack-ipv4-ranges"})
    void givenAnExampleDesign_whenExported_thenEachObjectIsItsResourceWithTheDesignsValues(String name) throws Exception {
        EndpointDesign design = example(name);
        JsonObject t = JsonParser.parseString(CloudFormationTemplate.text(design)).getAsJsonObject();
        assertEquals("2010-09-09", t.get("AWSTemplateFormatVersion").getAsString());

        List<Map.Entry<String, JsonObject>> endpoints = resources(t, "AWS::EC2::ClientVpnEndpoint");
        assertEquals(1, endpoints.size());
        JsonObject e = endpoints.get(0).getValue();
        assertEquals(design.endpoint().clientCidrBlock().toString(), e.get("ClientCidrBlock").getAsString());
        assertEquals(design.endpoint().splitTunnel(), e.get("SplitTunnel").getAsBoolean());
        assertEquals(design.endpoint().clientRouteEnforcement(),
                e.getAsJsonObject("ClientRouteEnforcementOptions").get("Enforced").getAsBoolean(), "CRE is exported");
        assertEquals(design.endpoint().serverCertificateArn(), e.get("ServerCertificateArn").getAsString());
        assertEquals(design.endpoint().vpnPort(), e.get("VpnPort").getAsInt());
        assertEquals(design.endpoint().trafficIpAddressType().awsValue(), e.get("TrafficIpAddressType").getAsString());
        assertEquals(design.endpoint().authenticationOptions().size(), e.getAsJsonArray("AuthenticationOptions").size());

        List<Map.Entry<String, JsonObject>> associations = resources(t, "AWS::EC2::ClientVpnTargetNetworkAssociation");
        assertEquals(design.targetNetworks().stream().map(TargetNetwork::subnetId).toList(),
                associations.stream().map(a -> a.getValue().get("SubnetId").getAsString()).toList());

        List<ClientVpnRoute> added = design.routes().stream().filter(r -> !"associate".equals(r.origin())).toList();
        assertTrue(added.size() < design.routes().size() || design.targetNetworks().isEmpty(),
                "the example has association routes, which AWS creates by itself and the template leaves out");
        List<Map.Entry<String, JsonObject>> routes = resources(t, "AWS::EC2::ClientVpnRoute");
        assertEquals(added.stream().map(r -> r.destinationCidr() + " " + r.targetSubnet()).toList(),
                routes.stream().map(r -> r.getValue().get("DestinationCidrBlock").getAsString() + " "
                        + r.getValue().get("TargetVpcSubnetId").getAsString()).toList());
        for (Map.Entry<String, JsonObject> r : routes) {
            JsonObject resource = t.getAsJsonObject("Resources").getAsJsonObject(r.getKey());
            if (ClientVpnRoute.LOCAL.equals(r.getValue().get("TargetVpcSubnetId").getAsString())) {
                assertFalse(resource.has("DependsOn"), r.getKey() + ": a route to the local network has no association to wait for");
                continue;
            }
            String dependsOn = resource.get("DependsOn").getAsString();
            JsonObject association = t.getAsJsonObject("Resources").getAsJsonObject(dependsOn).getAsJsonObject("Properties");
            assertEquals(r.getValue().get("TargetVpcSubnetId").getAsString(), association.get("SubnetId").getAsString(),
                    r.getKey() + " depends on the association of its subnet");
        }

        List<Map.Entry<String, JsonObject>> rules = resources(t, "AWS::EC2::ClientVpnAuthorizationRule");
        assertEquals(design.authorizationRules().size(), rules.size());
        for (int i = 0; i < rules.size(); i++) {
            AuthorizationRule want = design.authorizationRules().get(i);
            JsonObject got = rules.get(i).getValue();
            assertEquals(want.targetNetworkCidr().toString(), got.get("TargetNetworkCidr").getAsString());
            if (want.authorizeAllGroups()) {
                assertTrue(got.get("AuthorizeAllGroups").getAsBoolean());
                assertFalse(got.has("AccessGroupId"));
            } else {
                assertEquals(want.accessGroupId(), got.get("AccessGroupId").getAsString());
            }
        }
        for (Map.Entry<String, JsonElement> r : t.getAsJsonObject("Resources").entrySet()) {
            JsonObject p = r.getValue().getAsJsonObject().getAsJsonObject("Properties");
            if (!r.getKey().equals(CloudFormationTemplate.ENDPOINT)) {
                assertEquals(CloudFormationTemplate.ENDPOINT, p.getAsJsonObject("ClientVpnEndpointId").get("Ref").getAsString());
            }
        }
        assertEquals(CloudFormationTemplate.text(design), CloudFormationTemplate.text(design), "the same design, the same text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"split-tunnel", "full-tunnel", "dual-stack-ipv4-ranges"})
    void givenAnExampleDesign_whenExported_thenTheTemplateConformsToAwssResourceSpecification(String name) throws Exception {
        CloudFormationSpec spec = CloudFormationSpec.fromEnvironment();
        Prerequisites.require(spec != null, "AWS's CloudFormation resource specification: set " + CloudFormationSpec.ENV
                + " to db.json.gz of the npm package @aws-cdk/aws-service-spec (.ci/run does)");
        assertTrue(spec.resourceTypes() > 1000, "a whole specification: " + spec.resourceTypes() + " resource types");
        JsonObject t = CloudFormationTemplate.of(example(name));
        assertEquals(List.of(), spec.check(t));

        // and the check is not blind: a misspelt property, a wrong type and a missing required property are found
        JsonObject broken = CloudFormationTemplate.of(example(name));
        JsonObject e = broken.getAsJsonObject("Resources").getAsJsonObject(CloudFormationTemplate.ENDPOINT).getAsJsonObject("Properties");
        e.addProperty("SplitTunel", true);
        e.addProperty("VpnPort", "443");
        e.remove("ServerCertificateArn");
        e.getAsJsonObject("ClientRouteEnforcementOptions").addProperty("Enforced", "yes");
        List<String> problems = spec.check(broken);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Endpoint.SplitTunel: no such property")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Endpoint.VpnPort: expected an integer")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.equals("Endpoint.ServerCertificateArn: required, missing")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Endpoint.ClientRouteEnforcementOptions.Enforced: expected a boolean")),
                problems.toString());
    }

    @org.junit.jupiter.api.Test
    void givenTheDualStackExample_whenExported_thenItsIpv6RoutesAndRulesAreNamedAsWhatATemplateCannotExpress() throws Exception {
        EndpointDesign design = example("dual-stack");
        List<String> unsupported = CloudFormationTemplate.unsupported(design);
        List<String> ipv6 = new ArrayList<>();
        design.routes().stream().filter(r -> !"associate".equals(r.origin()) && !r.destinationCidr().first().isIpv4())
                .forEach(r -> ipv6.add("route " + r.destinationCidr() + " via " + r.targetSubnet()));
        design.authorizationRules().stream().filter(a -> !a.targetNetworkCidr().first().isIpv4())
                .forEach(a -> ipv6.add("authorization rule " + a.targetNetworkCidr()));
        assertFalse(ipv6.isEmpty(), "the example has IPv6 routes and rules");
        assertEquals(ipv6.size(), unsupported.size(), unsupported.toString());
        for (int i = 0; i < ipv6.size(); i++) {
            assertTrue(unsupported.get(i).startsWith(ipv6.get(i)), unsupported.get(i));
            assertTrue(unsupported.get(i).contains("takes an IPv4"), unsupported.get(i));
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CloudFormationTemplate.of(design));
        assertTrue(e.getMessage().contains("2600:1f14:abc:de00::/56") && e.getMessage().contains("crew aws apply"), e.getMessage());
        // the endpoint itself is dual stack in the template of its IPv4 ranges
        JsonObject t = CloudFormationTemplate.of(ipv4RangesOnly(design));
        JsonObject e2 = t.getAsJsonObject("Resources").getAsJsonObject(CloudFormationTemplate.ENDPOINT).getAsJsonObject("Properties");
        assertEquals("dual-stack", e2.get("TrafficIpAddressType").getAsString());
        assertEquals("dual-stack", e2.get("EndpointIpAddressType").getAsString());
    }

    @org.junit.jupiter.api.Test
    void givenDirectoryAndFederatedAuthenticationAndATransitGateway_whenExported_thenEachBlockConformsToTheSpecification()
            throws Exception {
        CloudFormationSpec spec = CloudFormationSpec.fromEnvironment();
        Prerequisites.require(spec != null, "AWS's CloudFormation resource specification: set " + CloudFormationSpec.ENV
                + " to db.json.gz of the npm package @aws-cdk/aws-service-spec (.ci/run does)");
        EndpointDesign d = example("split-tunnel");
        crew.model.endpoint.ClientVpnEndpoint e = d.endpoint();
        List<crew.model.endpoint.AuthenticationOption> auth = List.of(
                new crew.model.endpoint.AuthenticationOption(crew.model.endpoint.AuthenticationOption.DIRECTORY, null, "d-1234567890", null, null),
                new crew.model.endpoint.AuthenticationOption(crew.model.endpoint.AuthenticationOption.FEDERATED, null, null,
                        "arn:aws:iam::111122223333:saml-provider/corp", "arn:aws:iam::111122223333:saml-provider/corp-portal"));
        crew.model.endpoint.ClientVpnEndpoint changed = new crew.model.endpoint.ClientVpnEndpoint(e.endpointId(), e.description(), e.status(),
                e.creationTime(), e.dnsName(), e.clientCidrBlock(), e.serverCertificateArn(), auth, e.connectionLogOptions(), e.dnsServers(),
                e.transportProtocol(), e.vpnPort(), e.splitTunnel(), List.of(), null, true, e.clientConnectOptions(), e.sessionTimeoutHours(),
                e.clientLoginBannerOptions(), e.clientRouteEnforcement(), e.disconnectOnSessionTimeout(), e.endpointIpAddressType(),
                e.trafficIpAddressType(), "tgw-0123456789abcdef0", e.tags());
        JsonObject t = CloudFormationTemplate.of(new EndpointDesign(d.name(), changed, d.targetNetworks(), d.routes(), d.authorizationRules()));
        assertEquals(List.of(), spec.check(t));
        JsonObject p = t.getAsJsonObject("Resources").getAsJsonObject(CloudFormationTemplate.ENDPOINT).getAsJsonObject("Properties");
        assertEquals("d-1234567890", p.getAsJsonArray("AuthenticationOptions").get(0).getAsJsonObject()
                .getAsJsonObject("ActiveDirectory").get("DirectoryId").getAsString());
        assertEquals("arn:aws:iam::111122223333:saml-provider/corp-portal", p.getAsJsonArray("AuthenticationOptions").get(1).getAsJsonObject()
                .getAsJsonObject("FederatedAuthentication").get("SelfServiceSAMLProviderArn").getAsString());
        assertEquals("enabled", p.get("SelfServicePortal").getAsString());
        assertEquals("tgw-0123456789abcdef0", p.getAsJsonObject("TransitGatewayConfiguration").get("TransitGatewayId").getAsString());
        assertFalse(p.has("VpcId") || p.has("SecurityGroupIds"), "a transit gateway endpoint has no VPC or security groups here");
    }
}
