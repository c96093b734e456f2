package crew.aws;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;

/**
 * An endpoint design as Terraform configuration in JSON syntax ({@code .tf.json}) for the AWS provider:
 * {@code aws_ec2_client_vpn_endpoint} with every setting the design has ({@code client_route_enforcement_options}
 * included), an {@code aws_ec2_client_vpn_network_association} per associated subnet, an
 * {@code aws_ec2_client_vpn_route} per route added by hand (AWS creates the association's own routes) and an
 * {@code aws_ec2_client_vpn_authorization_rule} per rule. Dependencies as AWS needs them: every resource refers to
 * the endpoint's id, and a route's {@code target_vpc_subnet_id} refers to its association's {@code subnet_id}, so
 * Terraform creates the association first (AWS refuses a route to a subnet not yet associated) and destroys the
 * routes before it. Resource names are stable for a design ({@code endpoint}, {@code association_1..},
 * {@code route_1..}, {@code rule_1..} in the design's order). The values are those {@link PlanExecutor} sends for a
 * new endpoint; the attribute names are the provider's (tests check them against its schema).
 */
public final class TerraformConfiguration {
    /** The endpoint resource's name. */
    public static final String ENDPOINT = "endpoint";

    /** The heading of a refused export, above its blockers. */
    public static final String REFUSED = "No Terraform: AWS would reject this design, or the AWS provider cannot express it"
            + " (crew aws apply can create designs Terraform cannot express):";

    private TerraformConfiguration() {
    }

    /** What of {@code design} the AWS provider's resources cannot express, one line each. */
    public static List<String> unsupported(EndpointDesign design) {
        List<String> out = new ArrayList<>();
        if (design.endpoint().transitGatewayId() != null) {
            out.add("TransitGatewayConfiguration " + design.endpoint().transitGatewayId()
                    + ": aws_ec2_client_vpn_endpoint has no transit gateway attribute in this provider version");
        }
        return out;
    }

    /** Why {@code design} gets no configuration, one line each ({@link DesignExport#blockers}). */
    public static List<String> blockers(EndpointDesign design, List<PreflightCheck> checks) {
        return DesignExport.TERRAFORM.blockers(design, checks);
    }

    /**
     * The configuration for {@code design}.
     *
     * @throws IllegalArgumentException naming what the provider cannot express ({@link #unsupported})
     */
    public static JsonObject of(EndpointDesign design) {
        List<String> unsupported = unsupported(design);
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("Terraform's AWS provider cannot express " + String.join("; ", unsupported));
        }
        String endpointId = "${aws_ec2_client_vpn_endpoint." + ENDPOINT + ".id}";
        JsonObject endpoints = new JsonObject();
        endpoints.add(ENDPOINT, endpoint(design.endpoint()));

        DeclaredResources declared = DeclaredResources.of(design);
        JsonObject associations = new JsonObject();
        for (DeclaredResources.Association t : declared.associations()) {
            JsonObject a = new JsonObject();
            a.addProperty("client_vpn_endpoint_id", endpointId);
            a.addProperty("subnet_id", t.subnetId());
            associations.add(association(t), a);
        }
        JsonObject routes = new JsonObject();
        for (DeclaredResources.Route d : declared.routes()) {
            ClientVpnRoute r = d.route();
            JsonObject o = new JsonObject();
            o.addProperty("client_vpn_endpoint_id", endpointId);
            o.addProperty("destination_cidr_block", r.destinationCidr().toString());
            // through the association's subnet_id: Terraform then creates the association first and deletes it last
            o.addProperty("target_vpc_subnet_id", d.association() == null ? r.targetSubnet()
                    : "${aws_ec2_client_vpn_network_association." + association(d.association()) + ".subnet_id}");
            if (DeclaredResources.notBlank(r.description())) {
                o.addProperty("description", r.description());
            }
            if (d.association() == null && !r.isLocal()) {
                // a subnet the design does not associate: still after every association, as AWS needs one active
                JsonArray deps = new JsonArray();
                declared.associations().forEach(x -> deps.add("aws_ec2_client_vpn_network_association." + association(x)));
                if (!deps.isEmpty()) {
                    o.add("depends_on", deps);
                }
            }
            routes.add("route_" + d.number(), o);
        }
        JsonObject rules = new JsonObject();
        for (DeclaredResources.Rule d : declared.rules()) {
            AuthorizationRule a = d.rule();
            JsonObject o = new JsonObject();
            o.addProperty("client_vpn_endpoint_id", endpointId);
            o.addProperty("target_network_cidr", a.targetNetworkCidr().toString());
            if (a.authorizeAllGroups()) {
                o.addProperty("authorize_all_groups", true);
            } else {
                o.addProperty("access_group_id", a.accessGroupId());
            }
            if (DeclaredResources.notBlank(a.description())) {
                o.addProperty("description", a.description());
            }
            rules.add("rule_" + d.number(), o);
        }

        JsonObject resource = new JsonObject();
        resource.add("aws_ec2_client_vpn_endpoint", endpoints);
        if (associations.size() > 0) {
            resource.add("aws_ec2_client_vpn_network_association", associations);
        }
        if (routes.size() > 0) {
            resource.add("aws_ec2_client_vpn_route", routes);
        }
        if (rules.size() > 0) {
            resource.add("aws_ec2_client_vpn_authorization_rule", rules);
        }
        JsonObject root = new JsonObject();
        root.addProperty("//", "AWS Client VPN endpoint '" + design.name() + "', written by CREW from its design");
        JsonObject aws = new JsonObject();
        aws.addProperty("source", "hashicorp/aws");
        aws.addProperty("version", ">= 5.93"); // client_route_enforcement_options
        JsonObject providers = new JsonObject();
        providers.add("aws", aws);
        JsonObject terraform = new JsonObject();
        terraform.add("required_providers", providers);
        root.add("terraform", terraform);
        root.add("resource", resource);
        JsonObject output = new JsonObject();
        JsonObject id = new JsonObject();
        id.addProperty("description", "The Client VPN endpoint's id");
        id.addProperty("value", endpointId);
        output.add("client_vpn_endpoint_id", id);
        root.add("output", output);
        return root;
    }

    /** The configuration as text (two-space indented JSON). */
    public static String text(EndpointDesign design) {
        return AwsJson.GSON.toJson(of(design)) + "\n";
    }

    private static JsonObject endpoint(ClientVpnEndpoint e) {
        JsonObject p = new JsonObject();
        if (DeclaredResources.notBlank(e.description())) {
            p.addProperty("description", e.description());
        }
        if (e.clientCidrBlock() != null) {
            p.addProperty("client_cidr_block", e.clientCidrBlock().toString());
        }
        p.addProperty("server_certificate_arn", e.serverCertificateArn());
        JsonArray auth = new JsonArray();
        for (AuthenticationOption a : e.authenticationOptions()) {
            JsonObject o = new JsonObject();
            o.addProperty("type", a.type());
            if (a.clientRootCertificateChain() != null) {
                o.addProperty("root_certificate_chain_arn", a.clientRootCertificateChain());
            }
            if (a.directoryId() != null) {
                o.addProperty("active_directory_id", a.directoryId());
            }
            if (a.samlProviderArn() != null) {
                o.addProperty("saml_provider_arn", a.samlProviderArn());
            }
            if (a.selfServiceSamlProviderArn() != null) {
                o.addProperty("self_service_saml_provider_arn", a.selfServiceSamlProviderArn());
            }
            auth.add(o);
        }
        p.add("authentication_options", auth);
        JsonObject log = new JsonObject();
        log.addProperty("enabled", e.connectionLogOptions().enabled());
        if (e.connectionLogOptions().cloudwatchLogGroup() != null) {
            log.addProperty("cloudwatch_log_group", e.connectionLogOptions().cloudwatchLogGroup());
        }
        if (e.connectionLogOptions().cloudwatchLogStream() != null) {
            log.addProperty("cloudwatch_log_stream", e.connectionLogOptions().cloudwatchLogStream());
        }
        p.add("connection_log_options", log);
        if (!e.dnsServers().isEmpty()) {
            JsonArray dns = new JsonArray();
            e.dnsServers().forEach(d -> dns.add(d.toString()));
            p.add("dns_servers", dns);
        }
        p.addProperty("transport_protocol", e.transportProtocol().awsValue());
        p.addProperty("vpn_port", e.vpnPort());
        p.addProperty("split_tunnel", e.splitTunnel());
        if (e.vpcId() != null) {
            p.addProperty("vpc_id", e.vpcId());
        }
        if (!e.securityGroupIds().isEmpty()) {
            JsonArray sg = new JsonArray();
            e.securityGroupIds().forEach(sg::add);
            p.add("security_group_ids", sg);
        }
        p.addProperty("self_service_portal", e.selfServicePortal() ? "enabled" : "disabled");
        JsonObject connect = new JsonObject();
        connect.addProperty("enabled", e.clientConnectOptions().enabled());
        if (e.clientConnectOptions().lambdaFunctionArn() != null) {
            connect.addProperty("lambda_function_arn", e.clientConnectOptions().lambdaFunctionArn());
        }
        p.add("client_connect_options", connect);
        p.addProperty("session_timeout_hours", e.sessionTimeoutHours());
        JsonObject banner = new JsonObject();
        banner.addProperty("enabled", e.clientLoginBannerOptions().enabled());
        if (e.clientLoginBannerOptions().bannerText() != null) {
            banner.addProperty("banner_text", e.clientLoginBannerOptions().bannerText());
        }
        p.add("client_login_banner_options", banner);
        JsonObject cre = new JsonObject();
        cre.addProperty("enforced", e.clientRouteEnforcement());
        p.add("client_route_enforcement_options", cre);
        p.addProperty("disconnect_on_session_timeout", e.disconnectOnSessionTimeout());
        p.addProperty("endpoint_ip_address_type", e.endpointIpAddressType().awsValue());
        p.addProperty("traffic_ip_address_type", e.trafficIpAddressType().awsValue());
        if (!e.tags().isEmpty()) {
            JsonObject tags = new JsonObject();
            e.tags().forEach(tags::addProperty);
            p.add("tags", tags);
        }
        return p;
    }

    private static String association(DeclaredResources.Association a) {
        return "association_" + a.number();
    }
}
