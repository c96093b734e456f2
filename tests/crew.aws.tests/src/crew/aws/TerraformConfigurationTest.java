package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.testing.Prerequisites;

/**
 * The Terraform export of the example designs: every design object becomes its resource with the design's values and
 * the dependencies AWS needs, and the configuration conforms to the AWS provider's schema as the CDK for Terraform
 * publishes it on npm ({@link TerraformProviderSchema}; .ci/run fetches it). The check is shown to catch a misspelt
 * attribute, a wrong type and a missing required one.
 */
class TerraformConfigurationTest {
    private static TerraformProviderSchema schema;

    private static TerraformProviderSchema schema() throws Exception {
        if (schema == null) {
            schema = TerraformProviderSchema.fromEnvironment();
        }
        Prerequisites.require(schema != null, "the AWS provider's schema: set " + TerraformProviderSchema.ENV
                + " to package/.jsii of the npm package @cdktf/provider-aws (.ci/run does)");
        return schema;
    }

    private static JsonObject resources(JsonObject tf, String type) {
        JsonObject r = tf.getAsJsonObject("resource");
        return r.has(type) ? r.getAsJsonObject(type) : new JsonObject();
    }

    @ParameterizedTest
    @ValueSource(strings = {"split-tunnel", "full-tunnel", "dual-stack"})
    void givenAnExampleDesign_whenExported_thenEachObjectIsItsResourceWithTheDependenciesAwsNeeds(String name) throws Exception {
        EndpointDesign d = CloudFormationTemplateTest.example(name);
        JsonObject tf = TerraformConfiguration.of(d);
        JsonObject ep = resources(tf, "aws_ec2_client_vpn_endpoint").getAsJsonObject(TerraformConfiguration.ENDPOINT);
        assertEquals(d.endpoint().clientRouteEnforcement(), ep.getAsJsonObject("client_route_enforcement_options").get("enforced").getAsBoolean());
        assertEquals(d.endpoint().splitTunnel(), ep.get("split_tunnel").getAsBoolean());
        assertEquals(d.endpoint().serverCertificateArn(), ep.get("server_certificate_arn").getAsString());
        assertEquals(d.targetNetworks().size(), resources(tf, "aws_ec2_client_vpn_network_association").size());
        List<ClientVpnRoute> byHand = d.routes().stream().filter(r -> !"associate".equals(r.origin())).toList();
        JsonObject routes = resources(tf, "aws_ec2_client_vpn_route");
        assertEquals(byHand.size(), routes.size());
        int i = 0;
        for (Map.Entry<String, JsonElement> r : routes.entrySet()) {
            JsonObject o = r.getValue().getAsJsonObject();
            assertEquals(byHand.get(i).destinationCidr().toString(), o.get("destination_cidr_block").getAsString());
            String target = o.get("target_vpc_subnet_id").getAsString();
            // the association's subnet_id: Terraform creates the association before the route, deletes it after
            assertTrue(target.matches("\\$\\{aws_ec2_client_vpn_network_association\\.association_\\d+\\.subnet_id\\}") || target.equals("local")
                    || o.has("depends_on"), r.getKey() + ": " + o);
            i++;
        }
        JsonObject rules = resources(tf, "aws_ec2_client_vpn_authorization_rule");
        assertEquals(d.authorizationRules().size(), rules.size());
        i = 0;
        for (Map.Entry<String, JsonElement> r : rules.entrySet()) {
            AuthorizationRule want = d.authorizationRules().get(i++);
            JsonObject o = r.getValue().getAsJsonObject();
            assertEquals(want.targetNetworkCidr().toString(), o.get("target_network_cidr").getAsString());
            assertEquals(want.authorizeAllGroups(), o.has("authorize_all_groups"));
            assertEquals("${aws_ec2_client_vpn_endpoint.endpoint.id}", o.get("client_vpn_endpoint_id").getAsString());
        }
        assertEquals(TerraformConfiguration.text(d), TerraformConfiguration.text(d), "the same design, the same text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"split-tunnel", "full-tunnel", "dual-stack"})
    void givenAnExampleDesign_whenExported_thenItConformsToTheAwsProvidersSchema(String name) throws Exception {
        TerraformProviderSchema s = schema();
        assertEquals(4, s.resourceTypes(), "the four Client VPN resources");
        assertEquals(List.of(), s.check(TerraformConfiguration.of(CloudFormationTemplateTest.example(name))));
    }

    @Test
    void givenAMisspeltAttributeAWrongTypeAndAMissingRequiredOne_whenChecked_thenEachIsFound() throws Exception {
        TerraformProviderSchema s = schema();
        JsonObject broken = TerraformConfiguration.of(CloudFormationTemplateTest.example("split-tunnel"));
        JsonObject ep = resources(broken, "aws_ec2_client_vpn_endpoint").getAsJsonObject(TerraformConfiguration.ENDPOINT);
        ep.add("split_tunel", ep.remove("split_tunnel"));
        ep.addProperty("vpn_port", "443");
        ep.remove("server_certificate_arn");
        ep.getAsJsonObject("client_route_enforcement_options").addProperty("enforced", "yes");
        JsonObject route = resources(broken, "aws_ec2_client_vpn_route").entrySet().iterator().next().getValue().getAsJsonObject();
        route.remove("destination_cidr_block");
        route.addProperty("target_vpc_subnet_id", "${aws_ec2_client_vpn_network_association.association_9.subnet_id}");
        List<String> problems = s.check(broken);
        String all = problems.toString();
        assertTrue(problems.contains("aws_ec2_client_vpn_endpoint.endpoint.split_tunel: no such attribute"), all);
        assertTrue(problems.contains("aws_ec2_client_vpn_endpoint.endpoint.vpn_port: expected a number, found \"443\""), all);
        assertTrue(problems.contains("aws_ec2_client_vpn_endpoint.endpoint.server_certificate_arn: required, missing"), all);
        assertTrue(problems.contains("aws_ec2_client_vpn_endpoint.endpoint.client_route_enforcement_options.enforced: expected a boolean, found \"yes\""), all);
        assertTrue(problems.contains("aws_ec2_client_vpn_route.route_1.destination_cidr_block: required, missing"), all);
        assertTrue(problems.stream().anyMatch(p -> p.contains("association_9.subnet_id}: refers to a resource that is not declared")), all);
        JsonObject unknownType = new JsonObject();
        JsonObject res = new JsonObject();
        res.add("aws_ec2_client_vpn_endpont", new JsonObject());
        unknownType.add("resource", res);
        assertEquals(List.of("aws_ec2_client_vpn_endpont: no such resource type in the provider's schema"), s.check(unknownType));
    }

    @Test
    void givenATransitGateway_whenExported_thenItIsNamedAsWhatTheProviderCannotExpress() throws Exception {
        EndpointDesign d = CloudFormationTemplateTest.example("split-tunnel");
        var e = d.endpoint();
        var tgw = new crew.model.endpoint.ClientVpnEndpoint(e.endpointId(), e.description(), e.status(), e.creationTime(), e.dnsName(), e.clientCidrBlock(),
                e.serverCertificateArn(), e.authenticationOptions(), e.connectionLogOptions(), e.dnsServers(), e.transportProtocol(), e.vpnPort(),
                e.splitTunnel(), List.of(), null, e.selfServicePortal(), e.clientConnectOptions(), e.sessionTimeoutHours(), e.clientLoginBannerOptions(),
                e.clientRouteEnforcement(), e.disconnectOnSessionTimeout(), e.endpointIpAddressType(), e.trafficIpAddressType(), "tgw-0123456789abcdef0",
                e.tags());
        List<String> u = TerraformConfiguration.unsupported(d.withEndpoint(tgw));
        assertEquals(1, u.size(), u.toString());
        assertTrue(u.get(0).startsWith("TransitGatewayConfiguration tgw-0123456789abcdef0"), u.toString());
        assertFalse(TerraformConfiguration.unsupported(d).iterator().hasNext());
    }
}
