package crew.model.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnEndpoint.ClientConnectOptions;
import crew.model.endpoint.ClientVpnEndpoint.ClientLoginBannerOptions;
import crew.model.endpoint.ClientVpnEndpoint.ConnectionLogOptions;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.IpAddressType;
import crew.model.endpoint.TargetNetwork;
import crew.model.endpoint.TransportProtocol;
import crew.model.net.IpAddress;

/**
 * Reads and writes the JSON that {@code aws ec2 describe-client-vpn-endpoints}, {@code describe-client-vpn-routes},
 * {@code describe-client-vpn-authorization-rules} and {@code describe-client-vpn-target-networks} print, with the
 * CLI's own field names, so users can paste their CLI output. Target networks may carry two CREW additions that AWS
 * does not report but a design needs: {@code SubnetCidr} and {@code AvailabilityZone}.
 */
public final class AwsCliJson {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    static final Set<String> ENDPOINT_FIELDS = Set.of("ClientVpnEndpointId", "Description", "Status", "CreationTime", "DeletionTime",
            "DnsName", "ClientCidrBlock", "DnsServers", "SplitTunnel", "VpnProtocol", "TransportProtocol", "VpnPort",
            "AssociatedTargetNetworks", "ServerCertificateArn", "AuthenticationOptions", "ConnectionLogOptions", "Tags",
            "SecurityGroupIds", "VpcId", "SelfServicePortalUrl", "SelfServicePortal", "ClientConnectOptions", "SessionTimeoutHours",
            "ClientLoginBannerOptions", "ClientRouteEnforcementOptions", "DisconnectOnSessionTimeout", "EndpointIpAddressType",
            "TrafficIpAddressType", "TransitGatewayId", "TransitGatewayConfiguration");
    static final Set<String> ROUTE_FIELDS = Set.of("ClientVpnEndpointId", "DestinationCidr", "TargetSubnet", "Type", "Origin", "Status",
            "Description");
    static final Set<String> RULE_FIELDS = Set.of("ClientVpnEndpointId", "Description", "GroupId", "AccessAll", "DestinationCidr", "Status");
    static final Set<String> TARGET_FIELDS = Set.of("AssociationId", "VpcId", "TargetNetworkId", "ClientVpnEndpointId", "Status",
            "SecurityGroups", "SubnetCidr", "AvailabilityZone", "AvailableIpAddressCount");

    private AwsCliJson() {
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** {@code describe-client-vpn-endpoints} output: {@code {"ClientVpnEndpoints": [...]}}. */
    public static List<ClientVpnEndpoint> readEndpoints(String source, String text) {
        JsonFields top = top(source, text, "ClientVpnEndpoints");
        return top.list("ClientVpnEndpoints", (p, e) -> endpoint(new JsonFields(top.doc, p, e)));
    }

    /** {@code describe-client-vpn-routes} output: {@code {"Routes": [...]}}. */
    public static List<ClientVpnRoute> readRoutes(String source, String text) {
        JsonFields top = top(source, text, "Routes");
        return top.list("Routes", (p, e) -> route(new JsonFields(top.doc, p, e)));
    }

    /** {@code describe-client-vpn-authorization-rules} output: {@code {"AuthorizationRules": [...]}}. */
    public static List<AuthorizationRule> readAuthorizationRules(String source, String text) {
        JsonFields top = top(source, text, "AuthorizationRules");
        return top.list("AuthorizationRules", (p, e) -> rule(new JsonFields(top.doc, p, e)));
    }

    /** {@code describe-client-vpn-target-networks} output: {@code {"ClientVpnTargetNetworks": [...]}}. */
    public static List<TargetNetwork> readTargetNetworks(String source, String text) {
        JsonFields top = top(source, text, "ClientVpnTargetNetworks");
        return top.list("ClientVpnTargetNetworks", (p, e) -> target(new JsonFields(top.doc, p, e)));
    }

    private static JsonFields top(String source, String text, String listField) {
        LocatedJson doc = LocatedJson.parse(source, text);
        JsonFields top = new JsonFields(doc, "$", doc.root).allow(Set.of(listField, "NextToken"));
        if (!top.has(listField)) {
            throw doc.error("$", "missing field '" + listField + "' (is this the output of the right describe command?)");
        }
        return top;
    }

    static ClientVpnEndpoint endpoint(JsonFields f) {
        f.allow(ENDPOINT_FIELDS);
        List<AuthenticationOption> auth = f.list("AuthenticationOptions", (p, e) -> {
            JsonFields a = new JsonFields(f.doc, p, e).allow(Set.of("Type", "ActiveDirectory", "MutualAuthentication",
                    "FederatedAuthentication"));
            String type = a.requiredString("Type");
            if (!Set.of(AuthenticationOption.CERTIFICATE, AuthenticationOption.DIRECTORY, AuthenticationOption.FEDERATED).contains(type)) {
                throw f.doc.error(p + ".Type", "unknown authentication type '" + type + "'");
            }
            JsonFields m = a.object("MutualAuthentication");
            JsonFields d = a.object("ActiveDirectory");
            JsonFields s = a.object("FederatedAuthentication");
            if (m != null) {
                m.allow(Set.of("ClientRootCertificateChain", "ClientRootCertificateChainArn"));
            }
            if (d != null) {
                d.allow(Set.of("DirectoryId"));
            }
            if (s != null) {
                s.allow(Set.of("SamlProviderArn", "SelfServiceSamlProviderArn"));
            }
            String chain = m == null ? null : m.has("ClientRootCertificateChain") ? m.string("ClientRootCertificateChain")
                    : m.string("ClientRootCertificateChainArn");
            return new AuthenticationOption(type, chain, d == null ? null : d.string("DirectoryId"),
                    s == null ? null : s.string("SamlProviderArn"), s == null ? null : s.string("SelfServiceSamlProviderArn"));
        });
        JsonFields log = f.object("ConnectionLogOptions");
        ConnectionLogOptions logOptions = log == null ? null
                : new ConnectionLogOptions(log.allow(Set.of("Enabled", "CloudwatchLogGroup", "CloudwatchLogStream")).bool("Enabled", false),
                        log.string("CloudwatchLogGroup"), log.string("CloudwatchLogStream"));
        JsonFields cc = f.object("ClientConnectOptions");
        ClientConnectOptions connect = cc == null ? null
                : new ClientConnectOptions(cc.allow(Set.of("Enabled", "LambdaFunctionArn", "Status")).bool("Enabled", false),
                        cc.string("LambdaFunctionArn"));
        JsonFields banner = f.object("ClientLoginBannerOptions");
        ClientLoginBannerOptions bannerOptions = banner == null ? null
                : new ClientLoginBannerOptions(banner.allow(Set.of("Enabled", "BannerText")).bool("Enabled", false), banner.string("BannerText"));
        JsonFields cre = f.object("ClientRouteEnforcementOptions");
        boolean enforced = cre != null && cre.allow(Set.of("Enforced")).bool("Enforced", false);
        List<IpAddress> dns = new ArrayList<>();
        List<String> dnsText = f.strings("DnsServers");
        for (int i = 0; i < dnsText.size(); i++) {
            dns.add(f.address(f.path + ".DnsServers[" + i + "]", dnsText.get(i)));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        f.list("Tags", (p, e) -> {
            JsonFields t = new JsonFields(f.doc, p, e).allow(Set.of("Key", "Value"));
            tags.put(t.requiredString("Key"), t.string("Value") == null ? "" : t.string("Value"));
            return null;
        });
        String transitGateway = f.string("TransitGatewayId");
        JsonFields tgw = f.object("TransitGatewayConfiguration");
        if (tgw != null) {
            transitGateway = tgw.allow(Set.of("TransitGatewayId")).string("TransitGatewayId");
        }
        boolean portal = f.has("SelfServicePortal") ? "enabled".equalsIgnoreCase(f.string("SelfServicePortal"))
                : f.string("SelfServicePortalUrl") != null && !f.string("SelfServicePortalUrl").isEmpty();
        return new ClientVpnEndpoint(f.string("ClientVpnEndpointId"), f.string("Description"), f.statusCode("Status"),
                f.string("CreationTime"), f.string("DnsName"), f.cidr("ClientCidrBlock", false), f.string("ServerCertificateArn"), auth,
                logOptions, dns, enumValue(f, "TransportProtocol", TransportProtocol::fromAws), f.integer("VpnPort", 443),
                f.bool("SplitTunnel", false), f.strings("SecurityGroupIds"), f.string("VpcId"), portal, connect,
                f.integer("SessionTimeoutHours", 24), bannerOptions, enforced, f.bool("DisconnectOnSessionTimeout", false),
                enumValue(f, "EndpointIpAddressType", IpAddressType::fromAws), enumValue(f, "TrafficIpAddressType", IpAddressType::fromAws),
                transitGateway, tags);
    }

    private static <T> T enumValue(JsonFields f, String name, java.util.function.Function<String, T> parse) {
        String s = f.string(name);
        if (s == null) {
            return null;
        }
        try {
            return parse.apply(s);
        } catch (IllegalArgumentException e) {
            throw f.doc.error(f.path + "." + name, e.getMessage());
        }
    }

    static ClientVpnRoute route(JsonFields f) {
        f.allow(ROUTE_FIELDS);
        String target = f.requiredString("TargetSubnet");
        return new ClientVpnRoute(f.cidr("DestinationCidr", true), target, f.string("Origin"), f.string("Type"), f.string("Description"),
                f.statusCode("Status"));
    }

    static AuthorizationRule rule(JsonFields f) {
        f.allow(RULE_FIELDS);
        boolean all = f.bool("AccessAll", false);
        String group = f.string("GroupId");
        if (group != null && group.isEmpty()) {
            group = null; // the CLI prints "GroupId": "" for all-users rules
        }
        if (!all && group == null) {
            throw f.doc.error(f.path, "a rule needs \"AccessAll\": true or a \"GroupId\"");
        }
        if (all && group != null) {
            throw f.doc.error(f.path, "a rule cannot have both \"AccessAll\": true and \"GroupId\" " + group);
        }
        return new AuthorizationRule(f.cidr("DestinationCidr", true), group, all, f.string("Description"), f.statusCode("Status"));
    }

    static TargetNetwork target(JsonFields f) {
        f.allow(TARGET_FIELDS);
        return new TargetNetwork(f.string("AssociationId"), f.requiredString("TargetNetworkId"), f.string("VpcId"), f.string("AvailabilityZone"),
                f.cidr("SubnetCidr", false), f.statusCode("Status"), f.integer("AvailableIpAddressCount", -1));
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    public static String writeEndpoints(List<ClientVpnEndpoint> endpoints) {
        JsonArray a = new JsonArray();
        endpoints.forEach(e -> a.add(endpoint(e)));
        return wrap("ClientVpnEndpoints", a);
    }

    public static String writeRoutes(String endpointId, List<ClientVpnRoute> routes) {
        JsonArray a = new JsonArray();
        routes.forEach(r -> a.add(route(endpointId, r)));
        return wrap("Routes", a);
    }

    public static String writeAuthorizationRules(String endpointId, List<AuthorizationRule> rules) {
        JsonArray a = new JsonArray();
        rules.forEach(r -> a.add(rule(endpointId, r)));
        return wrap("AuthorizationRules", a);
    }

    public static String writeTargetNetworks(String endpointId, List<TargetNetwork> targets) {
        JsonArray a = new JsonArray();
        targets.forEach(t -> a.add(target(endpointId, t)));
        return wrap("ClientVpnTargetNetworks", a);
    }

    private static String wrap(String name, JsonElement list) {
        JsonObject o = new JsonObject();
        o.add(name, list);
        return GSON.toJson(o) + "\n";
    }

    private static JsonObject status(String code) {
        JsonObject s = new JsonObject();
        s.addProperty("Code", code);
        return s;
    }

    static JsonObject endpoint(ClientVpnEndpoint e) {
        JsonObject o = new JsonObject();
        put(o, "ClientVpnEndpointId", e.endpointId());
        put(o, "Description", e.description());
        if (e.status() != null) {
            o.add("Status", status(e.status()));
        }
        put(o, "CreationTime", e.creationTime());
        put(o, "DnsName", e.dnsName());
        put(o, "ClientCidrBlock", e.clientCidrBlock() == null ? null : e.clientCidrBlock().toString());
        JsonArray dns = new JsonArray();
        e.dnsServers().forEach(d -> dns.add(d.toString()));
        o.add("DnsServers", dns);
        o.addProperty("SplitTunnel", e.splitTunnel());
        o.addProperty("VpnProtocol", "openvpn");
        o.addProperty("TransportProtocol", e.transportProtocol().awsValue());
        o.addProperty("VpnPort", e.vpnPort());
        put(o, "ServerCertificateArn", e.serverCertificateArn());
        JsonArray auth = new JsonArray();
        for (AuthenticationOption a : e.authenticationOptions()) {
            JsonObject ao = new JsonObject();
            ao.addProperty("Type", a.type());
            if (a.clientRootCertificateChain() != null) {
                JsonObject m = new JsonObject();
                m.addProperty("ClientRootCertificateChain", a.clientRootCertificateChain());
                ao.add("MutualAuthentication", m);
            }
            if (a.directoryId() != null) {
                JsonObject d = new JsonObject();
                d.addProperty("DirectoryId", a.directoryId());
                ao.add("ActiveDirectory", d);
            }
            if (a.samlProviderArn() != null || a.selfServiceSamlProviderArn() != null) {
                JsonObject s = new JsonObject();
                put(s, "SamlProviderArn", a.samlProviderArn());
                put(s, "SelfServiceSamlProviderArn", a.selfServiceSamlProviderArn());
                ao.add("FederatedAuthentication", s);
            }
            auth.add(ao);
        }
        o.add("AuthenticationOptions", auth);
        JsonObject log = new JsonObject();
        log.addProperty("Enabled", e.connectionLogOptions().enabled());
        put(log, "CloudwatchLogGroup", e.connectionLogOptions().cloudwatchLogGroup());
        put(log, "CloudwatchLogStream", e.connectionLogOptions().cloudwatchLogStream());
        o.add("ConnectionLogOptions", log);
        JsonArray tags = new JsonArray();
        e.tags().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(t -> {
            JsonObject to = new JsonObject();
            to.addProperty("Key", t.getKey());
            to.addProperty("Value", t.getValue());
            tags.add(to);
        });
        o.add("Tags", tags);
        JsonArray sgs = new JsonArray();
        e.securityGroupIds().forEach(sgs::add);
        o.add("SecurityGroupIds", sgs);
        put(o, "VpcId", e.vpcId());
        o.addProperty("SelfServicePortal", e.selfServicePortal() ? "enabled" : "disabled");
        JsonObject cc = new JsonObject();
        cc.addProperty("Enabled", e.clientConnectOptions().enabled());
        put(cc, "LambdaFunctionArn", e.clientConnectOptions().lambdaFunctionArn());
        o.add("ClientConnectOptions", cc);
        o.addProperty("SessionTimeoutHours", e.sessionTimeoutHours());
        JsonObject banner = new JsonObject();
        banner.addProperty("Enabled", e.clientLoginBannerOptions().enabled());
        put(banner, "BannerText", e.clientLoginBannerOptions().bannerText());
        o.add("ClientLoginBannerOptions", banner);
        JsonObject cre = new JsonObject();
        cre.addProperty("Enforced", e.clientRouteEnforcement());
        o.add("ClientRouteEnforcementOptions", cre);
        o.addProperty("DisconnectOnSessionTimeout", e.disconnectOnSessionTimeout());
        o.addProperty("EndpointIpAddressType", e.endpointIpAddressType().awsValue());
        o.addProperty("TrafficIpAddressType", e.trafficIpAddressType().awsValue());
        put(o, "TransitGatewayId", e.transitGatewayId());
        return o;
    }

    static JsonObject route(String endpointId, ClientVpnRoute r) {
        JsonObject o = new JsonObject();
        put(o, "ClientVpnEndpointId", endpointId);
        o.addProperty("DestinationCidr", r.destinationCidr().toString());
        o.addProperty("TargetSubnet", r.targetSubnet());
        put(o, "Type", r.type());
        put(o, "Origin", r.origin());
        if (r.status() != null) {
            o.add("Status", status(r.status()));
        }
        put(o, "Description", r.description());
        return o;
    }

    static JsonObject rule(String endpointId, AuthorizationRule r) {
        JsonObject o = new JsonObject();
        put(o, "ClientVpnEndpointId", endpointId);
        put(o, "Description", r.description());
        o.addProperty("GroupId", r.accessGroupId() == null ? "" : r.accessGroupId());
        o.addProperty("AccessAll", r.authorizeAllGroups());
        o.addProperty("DestinationCidr", r.targetNetworkCidr().toString());
        if (r.status() != null) {
            o.add("Status", status(r.status()));
        }
        return o;
    }

    static JsonObject target(String endpointId, TargetNetwork t) {
        JsonObject o = new JsonObject();
        put(o, "AssociationId", t.associationId());
        put(o, "VpcId", t.vpcId());
        o.addProperty("TargetNetworkId", t.subnetId());
        put(o, "ClientVpnEndpointId", endpointId);
        if (t.status() != null) {
            o.add("Status", status(t.status()));
        }
        put(o, "SubnetCidr", t.subnetCidr() == null ? null : t.subnetCidr().toString());
        put(o, "AvailabilityZone", t.availabilityZone());
        if (t.availableIpAddressCount() >= 0) {
            o.addProperty("AvailableIpAddressCount", t.availableIpAddressCount());
        }
        return o;
    }

    private static void put(JsonObject o, String name, String value) {
        if (value != null) {
            o.addProperty(name, value);
        }
    }
}
