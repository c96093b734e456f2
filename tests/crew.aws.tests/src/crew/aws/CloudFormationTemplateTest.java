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
        Path file = Path.of(System.getProperty("crew.examples"), "designs", name + WorkspaceFile.SUFFIX);
        return WorkspaceFile.read(file.toString(), Files.readString(file));
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
    @ValueSource(strings = {"split-tunnel", "full-tunnel", "dual-stack"})
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
    @ValueSource(strings = {"split-tunnel", "full-tunnel", "dual-stack"})
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
}
