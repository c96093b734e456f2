package crew.aws;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;

/**
 * An endpoint design as an AWS CloudFormation template: one {@code AWS::EC2::ClientVpnEndpoint} with every setting the
 * design has (Client Route Enforcement included), an {@code AWS::EC2::ClientVpnTargetNetworkAssociation} per associated
 * subnet, an {@code AWS::EC2::ClientVpnRoute} per route added by hand (the routes AWS creates for an association are
 * not declared: AWS adds them itself), each depending on the association of its subnet as CloudFormation requires, and an
 * {@code AWS::EC2::ClientVpnAuthorizationRule} per rule. The values are what {@link PlanExecutor} sends to the EC2 API
 * for a new endpoint; the property names are CloudFormation's (tests check them against AWS's resource specification).
 * Logical ids are stable for a design: Endpoint, Association1.., Route1.., AuthorizationRule1.. in the design's order.
 * <p>
 * CloudFormation's route and authorization rule take IPv4 ranges only (AWS's resource specification documents
 * {@code DestinationCidrBlock} and {@code TargetNetworkCidr} as IPv4 ranges, and cfn-lint checks them as such), while
 * the EC2 API takes IPv6 ones for dual-stack endpoints: a design with IPv6 routes or rules gets no template
 * ({@link #unsupported}), rather than one that leaves them out or that CloudFormation rejects.
 */
public final class CloudFormationTemplate {
    /** The logical id of the endpoint resource. */
    public static final String ENDPOINT = "Endpoint";

    /** The heading of a refused export, above its {@link #blockers}. */
    public static final String REFUSED = "No template: AWS would reject this design, or a CloudFormation template cannot express it"
            + " (crew aws apply can create designs a template cannot express):";

    private CloudFormationTemplate() {
    }

    /** What of {@code design} a CloudFormation template cannot express, one line each; empty when it can be exported. */
    public static List<String> unsupported(EndpointDesign design) {
        List<String> out = new ArrayList<>();
        for (ClientVpnRoute r : design.routes()) {
            if (!"associate".equals(r.origin()) && !r.destinationCidr().first().isIpv4()) {
                out.add("route " + r.destinationCidr() + " via " + r.targetSubnet()
                        + ": AWS::EC2::ClientVpnRoute takes an IPv4 DestinationCidrBlock only");
            }
        }
        for (AuthorizationRule a : design.authorizationRules()) {
            if (!a.targetNetworkCidr().first().isIpv4()) {
                out.add("authorization rule " + a.targetNetworkCidr() + " (" + (a.authorizeAllGroups() ? "all users" : "group " + a.accessGroupId())
                        + "): AWS::EC2::ClientVpnAuthorizationRule takes an IPv4 TargetNetworkCidr only");
            }
        }
        return out;
    }

    /** Why {@code design} gets no template, one line each, empty when it can be exported ({@link DesignExport#blockers}). */
    public static List<String> blockers(EndpointDesign design, List<PreflightCheck> checks) {
        return DesignExport.CLOUDFORMATION.blockers(design, checks);
    }

    /**
     * The template for {@code design}.
     *
     * @throws IllegalArgumentException naming what the template cannot express ({@link #unsupported})
     */
    public static JsonObject of(EndpointDesign design) {
        List<String> unsupported = unsupported(design);
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("a CloudFormation template cannot express " + String.join("; ", unsupported)
                    + " (crew aws apply can create this design)");
        }
        ClientVpnEndpoint e = design.endpoint();
        JsonObject resources = new JsonObject();
        resources.add(ENDPOINT, resource("AWS::EC2::ClientVpnEndpoint", endpoint(e)));

        DeclaredResources declared = DeclaredResources.of(design);
        for (DeclaredResources.Association t : declared.associations()) {
            JsonObject p = new JsonObject();
            p.add("ClientVpnEndpointId", ref(ENDPOINT));
            p.addProperty("SubnetId", t.subnetId());
            resources.add(association(t), resource("AWS::EC2::ClientVpnTargetNetworkAssociation", p));
        }
        for (DeclaredResources.Route d : declared.routes()) {
            ClientVpnRoute r = d.route();
            JsonObject p = new JsonObject();
            p.add("ClientVpnEndpointId", ref(ENDPOINT));
            p.addProperty("DestinationCidrBlock", r.destinationCidr().toString());
            p.addProperty("TargetVpcSubnetId", r.targetSubnet());
            if (DeclaredResources.notBlank(r.description())) {
                p.addProperty("Description", r.description());
            }
            JsonObject route = resource("AWS::EC2::ClientVpnRoute", p);
            if (d.association() != null) {
                route.addProperty("DependsOn", association(d.association()));
            }
            resources.add("Route" + d.number(), route);
        }
        for (DeclaredResources.Rule d : declared.rules()) {
            AuthorizationRule a = d.rule();
            JsonObject p = new JsonObject();
            p.add("ClientVpnEndpointId", ref(ENDPOINT));
            p.addProperty("TargetNetworkCidr", a.targetNetworkCidr().toString());
            if (a.authorizeAllGroups()) {
                p.addProperty("AuthorizeAllGroups", true);
            } else {
                p.addProperty("AccessGroupId", a.accessGroupId());
            }
            if (DeclaredResources.notBlank(a.description())) {
                p.addProperty("Description", a.description());
            }
            resources.add("AuthorizationRule" + d.number(), resource("AWS::EC2::ClientVpnAuthorizationRule", p));
        }

        JsonObject template = new JsonObject();
        template.addProperty("AWSTemplateFormatVersion", "2010-09-09");
        template.addProperty("Description", "AWS Client VPN endpoint '" + design.name() + "', written by CREW from its design");
        template.add("Resources", resources);
        JsonObject outputs = new JsonObject();
        JsonObject id = new JsonObject();
        id.addProperty("Description", "The Client VPN endpoint's id");
        id.add("Value", ref(ENDPOINT));
        outputs.add("ClientVpnEndpointId", id);
        template.add("Outputs", outputs);
        return template;
    }

    /** The template as text (two-space indented JSON, the way `aws cloudformation` users write it). */
    public static String text(EndpointDesign design) {
        return AwsJson.GSON.toJson(of(design)) + "\n";
    }

    private static JsonObject endpoint(ClientVpnEndpoint e) {
        JsonObject p = new JsonObject();
        if (DeclaredResources.notBlank(e.description())) {
            p.addProperty("Description", e.description());
        }
        if (e.clientCidrBlock() != null) {
            p.addProperty("ClientCidrBlock", e.clientCidrBlock().toString());
        }
        p.addProperty("ServerCertificateArn", e.serverCertificateArn());
        JsonArray auth = new JsonArray();
        for (AuthenticationOption a : e.authenticationOptions()) {
            JsonObject o = new JsonObject();
            o.addProperty("Type", a.type());
            if (a.clientRootCertificateChain() != null) {
                o.add("MutualAuthentication", object("ClientRootCertificateChainArn", a.clientRootCertificateChain()));
            }
            if (a.directoryId() != null) {
                o.add("ActiveDirectory", object("DirectoryId", a.directoryId()));
            }
            if (a.samlProviderArn() != null) {
                JsonObject f = object("SAMLProviderArn", a.samlProviderArn());
                if (a.selfServiceSamlProviderArn() != null) {
                    f.addProperty("SelfServiceSAMLProviderArn", a.selfServiceSamlProviderArn());
                }
                o.add("FederatedAuthentication", f);
            }
            auth.add(o);
        }
        p.add("AuthenticationOptions", auth);
        JsonObject log = new JsonObject();
        log.addProperty("Enabled", e.connectionLogOptions().enabled());
        if (e.connectionLogOptions().cloudwatchLogGroup() != null) {
            log.addProperty("CloudwatchLogGroup", e.connectionLogOptions().cloudwatchLogGroup());
        }
        if (e.connectionLogOptions().cloudwatchLogStream() != null) {
            log.addProperty("CloudwatchLogStream", e.connectionLogOptions().cloudwatchLogStream());
        }
        p.add("ConnectionLogOptions", log);
        if (!e.dnsServers().isEmpty()) {
            p.add("DnsServers", strings(e.dnsServers().stream().map(Object::toString).toList()));
        }
        p.addProperty("TransportProtocol", e.transportProtocol().awsValue());
        p.addProperty("VpnPort", e.vpnPort());
        p.addProperty("SplitTunnel", e.splitTunnel());
        if (e.vpcId() != null) {
            p.addProperty("VpcId", e.vpcId());
        }
        if (!e.securityGroupIds().isEmpty()) {
            p.add("SecurityGroupIds", strings(e.securityGroupIds()));
        }
        p.addProperty("SelfServicePortal", e.selfServicePortal() ? "enabled" : "disabled");
        JsonObject connect = new JsonObject();
        connect.addProperty("Enabled", e.clientConnectOptions().enabled());
        if (e.clientConnectOptions().lambdaFunctionArn() != null) {
            connect.addProperty("LambdaFunctionArn", e.clientConnectOptions().lambdaFunctionArn());
        }
        p.add("ClientConnectOptions", connect);
        p.addProperty("SessionTimeoutHours", e.sessionTimeoutHours());
        JsonObject banner = new JsonObject();
        banner.addProperty("Enabled", e.clientLoginBannerOptions().enabled());
        if (e.clientLoginBannerOptions().bannerText() != null) {
            banner.addProperty("BannerText", e.clientLoginBannerOptions().bannerText());
        }
        p.add("ClientLoginBannerOptions", banner);
        JsonObject cre = new JsonObject();
        cre.addProperty("Enforced", e.clientRouteEnforcement());
        p.add("ClientRouteEnforcementOptions", cre);
        p.addProperty("DisconnectOnSessionTimeout", e.disconnectOnSessionTimeout());
        p.addProperty("EndpointIpAddressType", e.endpointIpAddressType().awsValue());
        p.addProperty("TrafficIpAddressType", e.trafficIpAddressType().awsValue());
        if (e.transitGatewayId() != null) {
            p.add("TransitGatewayConfiguration", object("TransitGatewayId", e.transitGatewayId()));
        }
        if (!e.tags().isEmpty()) {
            JsonArray tags = new JsonArray();
            e.tags().forEach((k, v) -> {
                JsonObject t = object("Key", k);
                t.addProperty("Value", v);
                tags.add(t);
            });
            JsonObject spec = object("ResourceType", "client-vpn-endpoint");
            spec.add("Tags", tags);
            JsonArray specs = new JsonArray();
            specs.add(spec);
            p.add("TagSpecifications", specs);
        }
        return p;
    }

    private static String association(DeclaredResources.Association a) {
        return "Association" + a.number();
    }

    private static JsonObject resource(String type, JsonObject properties) {
        JsonObject r = new JsonObject();
        r.addProperty("Type", type);
        r.add("Properties", properties);
        return r;
    }

    private static JsonObject ref(String logicalId) {
        return object("Ref", logicalId);
    }

    private static JsonObject object(String key, String value) {
        JsonObject o = new JsonObject();
        o.addProperty(key, value);
        return o;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        new ArrayList<>(values).forEach(v -> a.add(new JsonPrimitive(v)));
        return a;
    }

}
