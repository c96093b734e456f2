package crew.aws.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import crew.aws.local.LocalAccountState.Association;
import crew.aws.local.LocalAccountState.Authentication;
import crew.aws.local.LocalAccountState.Connection;
import crew.aws.local.LocalAccountState.Endpoint;
import crew.aws.local.LocalAccountState.Route;
import crew.aws.local.LocalAccountState.Rule;
import crew.aws.local.LocalAccountState.Subnet;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;

/**
 * The Client VPN actions of the EC2 Query API on a {@link LocalAccount}: the service model's XML shapes, AWS's
 * validation rules, quotas and error codes.
 */
final class Ec2QueryApi {
    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final int ENDPOINTS_PER_REGION = 5;
    static final int ROUTES_PER_ASSOCIATION = 100;
    static final int RULES_PER_ENDPOINT = 200;
    private static final Set<String> RESETTING = Set.of("DnsServers", "SplitTunnel", "VpnPort");

    private final LocalAccount account;

    Ec2QueryApi(LocalAccount account) {
        this.account = account;
    }

    /** Answers one request with its XML body, or throws the AWS error. */
    String handle(QueryParameters p) {
        String action = p.action();
        if (action == null) {
            throw new LocalApiException("MissingAction", "The request must contain the parameter Action");
        }
        account.enter(action);
        String operationOn = LocalAccount.MUTATIONS.contains(action) ? p.get("ClientVpnEndpointId") : null;
        account.beginOperation(operationOn); // AWS's limit of concurrent operations per endpoint
        try {
            account.latency(); // outside the lock: calls overlap as they do against AWS
            return dispatch(action, p);
        } finally {
            account.endOperation(operationOn);
        }
    }

    private String dispatch(String action, QueryParameters p) {
        synchronized (account.lock) {
            String xml = switch (action) {
            case "DescribeClientVpnEndpoints" -> describeEndpoints(p);
            case "CreateClientVpnEndpoint" -> createEndpoint(p);
            case "ModifyClientVpnEndpoint" -> modifyEndpoint(p);
            case "DeleteClientVpnEndpoint" -> deleteEndpoint(p);
            case "DescribeClientVpnTargetNetworks" -> describeTargetNetworks(p);
            case "AssociateClientVpnTargetNetwork" -> associate(p);
            case "DisassociateClientVpnTargetNetwork" -> disassociate(p);
            case "DescribeClientVpnRoutes" -> describeRoutes(p);
            case "CreateClientVpnRoute" -> createRoute(p);
            case "DeleteClientVpnRoute" -> deleteRoute(p);
            case "DescribeClientVpnAuthorizationRules" -> describeRules(p);
            case "AuthorizeClientVpnIngress" -> authorize(p);
            case "RevokeClientVpnIngress" -> revoke(p);
            case "DescribeClientVpnConnections" -> describeConnections(p);
            case "ExportClientVpnClientConfiguration" -> exportConfiguration(p);
            case "DescribeSubnets" -> describeSubnets(p);
            default -> throw new LocalApiException("InvalidAction", "The action " + action + " is not valid for this web service.");
            };
            return xml;
        }
    }

    // ---- endpoints

    private String describeEndpoints(QueryParameters p) {
        List<String> ids = p.list("ClientVpnEndpointId");
        List<Endpoint> selected = new ArrayList<>();
        for (String id : ids) {
            selected.add(endpoint(id));
        }
        if (ids.isEmpty()) {
            selected.addAll(account.state.endpoints);
        }
        return page(p, "DescribeClientVpnEndpointsResponse", "clientVpnEndpoint", selected, this::writeEndpoint);
    }

    private void writeEndpoint(XmlWriter x, Endpoint e) {
        x.element("clientVpnEndpointId", e.clientVpnEndpointId).element("description", e.description);
        x.open("status").element("code", e.status).close("status");
        x.element("creationTime", e.creationTime).element("dnsName", e.dnsName).element("clientCidrBlock", e.clientCidrBlock);
        if (!e.dnsServers.isEmpty()) {
            x.open("dnsServer");
            e.dnsServers.forEach(d -> x.element("item", d));
            x.close("dnsServer");
        }
        x.element("splitTunnel", e.splitTunnel).element("vpnProtocol", "openvpn").element("transportProtocol", e.transportProtocol)
                .element("vpnPort", e.vpnPort).element("serverCertificateArn", e.serverCertificateArn);
        x.open("authenticationOptions");
        for (Authentication a : e.authentication) {
            x.open("item").element("type", a.type);
            if (a.clientRootCertificateChain != null) {
                x.open("mutualAuthentication").element("clientRootCertificateChain", a.clientRootCertificateChain).close("mutualAuthentication");
            }
            if (a.directoryId != null) {
                x.open("activeDirectory").element("directoryId", a.directoryId).close("activeDirectory");
            }
            if (a.samlProviderArn != null) {
                x.open("federatedAuthentication").element("samlProviderArn", a.samlProviderArn)
                        .element("selfServiceSamlProviderArn", a.selfServiceSamlProviderArn).close("federatedAuthentication");
            }
            x.close("item");
        }
        x.close("authenticationOptions");
        // the service model names these children with capitals (the sample shows it)
        x.open("connectionLogOptions").element("Enabled", e.logEnabled).element("CloudwatchLogGroup", e.logGroup)
                .element("CloudwatchLogStream", e.logStream).close("connectionLogOptions");
        if (!e.tags.isEmpty()) {
            x.open("tagSet");
            e.tags.forEach((k, v) -> x.open("item").element("key", k).element("value", v).close("item"));
            x.close("tagSet");
        }
        if (!e.securityGroupIds.isEmpty()) {
            x.open("securityGroupIdSet");
            e.securityGroupIds.forEach(s -> x.element("item", s));
            x.close("securityGroupIdSet");
        }
        x.element("vpcId", e.vpcId);
        x.elementOrEmpty("selfServicePortalUrl",
                e.selfServicePortal ? "https://self-service.clientvpn.amazonaws.com/endpoints/" + e.clientVpnEndpointId : null);
        x.open("clientConnectOptions").element("enabled", e.clientConnectEnabled).element("lambdaFunctionArn", e.clientConnectLambda)
                .open("status").element("code", "applied").close("status").close("clientConnectOptions");
        x.element("sessionTimeoutHours", e.sessionTimeoutHours);
        x.open("clientLoginBannerOptions").element("enabled", e.bannerEnabled).element("bannerText", e.bannerText).close("clientLoginBannerOptions");
        x.open("clientRouteEnforcementOptions").element("enforced", e.routeEnforcement).close("clientRouteEnforcementOptions");
        x.element("disconnectOnSessionTimeout", e.disconnectOnSessionTimeout);
        x.element("endpointIpAddressType", e.endpointIpAddressType).element("trafficIpAddressType", e.trafficIpAddressType);
    }

    private String createEndpoint(QueryParameters p) {
        String token = p.get("ClientToken");
        if (token != null) {
            for (Endpoint e : account.state.endpoints) {
                if (token.equals(e.clientToken)) {
                    return createdEndpoint(e);
                }
            }
        }
        Endpoint e = new Endpoint();
        e.clientCidrBlock = clientCidr(p.required("ClientCidrBlock"));
        e.serverCertificateArn = certificate(p.required("ServerCertificateArn"), "ServerCertificateArn");
        int auths = p.structures("Authentication");
        if (auths == 0) {
            throw new LocalApiException("MissingParameter", "The request must contain the parameter Authentication");
        }
        for (int i = 1; i <= auths; i++) {
            String prefix = "Authentication." + i + ".";
            Authentication a = new Authentication();
            a.type = p.required(prefix + "Type");
            switch (a.type) {
            case "certificate-authentication" -> a.clientRootCertificateChain = certificate(
                    p.required(prefix + "MutualAuthentication.ClientRootCertificateChainArn"), prefix + "MutualAuthentication.ClientRootCertificateChainArn");
            case "directory-service-authentication" -> a.directoryId = p.required(prefix + "ActiveDirectory.DirectoryId");
            case "federated-authentication" -> {
                a.samlProviderArn = p.required(prefix + "FederatedAuthentication.SAMLProviderArn");
                a.selfServiceSamlProviderArn = p.get(prefix + "FederatedAuthentication.SelfServiceSAMLProviderArn");
            }
            default -> throw new LocalApiException("InvalidParameterValue", "Value (" + a.type + ") for parameter " + prefix + "Type is invalid.");
            }
            e.authentication.add(a);
        }
        e.logEnabled = Boolean.TRUE.equals(p.bool("ConnectionLogOptions.Enabled"));
        e.logGroup = p.get("ConnectionLogOptions.CloudwatchLogGroup");
        e.logStream = p.get("ConnectionLogOptions.CloudwatchLogStream");
        if (e.logEnabled && e.logGroup == null) {
            throw new LocalApiException("InvalidParameterValue", "A CloudWatch log group is required when connection logging is enabled");
        }
        e.dnsServers = dnsServers(p.list("DnsServers"));
        if (p.has("TransportProtocol")) {
            e.transportProtocol = oneOf(p.get("TransportProtocol"), "TransportProtocol", "udp", "tcp");
        }
        if (p.has("VpnPort")) {
            e.vpnPort = vpnPort(p.integer("VpnPort"));
        }
        e.description = p.get("Description");
        e.splitTunnel = Boolean.TRUE.equals(p.bool("SplitTunnel"));
        e.vpcId = p.get("VpcId");
        e.securityGroupIds = securityGroups(p.list("SecurityGroupId"), e.vpcId);
        e.selfServicePortal = "enabled".equalsIgnoreCase(p.get("SelfServicePortal"));
        e.clientConnectEnabled = Boolean.TRUE.equals(p.bool("ClientConnectOptions.Enabled"));
        e.clientConnectLambda = p.get("ClientConnectOptions.LambdaFunctionArn");
        if (p.has("SessionTimeoutHours")) {
            e.sessionTimeoutHours = sessionTimeout(p.integer("SessionTimeoutHours"));
        }
        e.bannerEnabled = Boolean.TRUE.equals(p.bool("ClientLoginBannerOptions.Enabled"));
        e.bannerText = banner(p.get("ClientLoginBannerOptions.BannerText"));
        e.routeEnforcement = Boolean.TRUE.equals(p.bool("ClientRouteEnforcementOptions.Enforced"));
        if (p.has("DisconnectOnSessionTimeout")) {
            e.disconnectOnSessionTimeout = p.bool("DisconnectOnSessionTimeout");
        }
        if (p.has("EndpointIpAddressType")) {
            e.endpointIpAddressType = oneOf(p.get("EndpointIpAddressType"), "EndpointIpAddressType", "ipv4", "ipv6", "dual-stack");
        }
        if (p.has("TrafficIpAddressType")) {
            e.trafficIpAddressType = oneOf(p.get("TrafficIpAddressType"), "TrafficIpAddressType", "ipv4", "ipv6", "dual-stack");
        }
        for (int i = 1; i <= p.structures("TagSpecification"); i++) {
            for (int j = 1; p.has("TagSpecification." + i + ".Tag." + j + ".Key"); j++) {
                e.tags.put(p.get("TagSpecification." + i + ".Tag." + j + ".Key"), Objects.toString(p.get("TagSpecification." + i + ".Tag." + j + ".Value"), ""));
            }
        }
        if (account.state.endpoints.size() >= ENDPOINTS_PER_REGION) {
            throw new LocalApiException("ClientVpnEndpointLimitExceeded",
                    "You have reached the maximum number of Client VPN endpoints (" + ENDPOINTS_PER_REGION + ") for this Region.");
        }
        e.clientToken = token;
        e.clientVpnEndpointId = "cvpn-endpoint-" + LocalAccount.hex(account.nextId(), 17);
        e.status = "pending-associate";
        e.creationTime = LocalAccount.now();
        e.dnsName = "*." + e.clientVpnEndpointId + ".prod.clientvpn." + account.state.region + ".amazonaws.com";
        account.state.endpoints.add(e);
        account.save();
        return createdEndpoint(e);
    }

    private String createdEndpoint(Endpoint e) {
        XmlWriter x = start("CreateClientVpnEndpointResponse");
        x.element("clientVpnEndpointId", e.clientVpnEndpointId).open("status").element("code", e.status).close("status").element("dnsName", e.dnsName);
        return end(x, "CreateClientVpnEndpointResponse");
    }

    private String modifyEndpoint(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        boolean resets = false;
        if (p.has("ServerCertificateArn")) {
            e.serverCertificateArn = certificate(p.get("ServerCertificateArn"), "ServerCertificateArn");
        }
        if (p.has("ConnectionLogOptions.Enabled")) {
            e.logEnabled = p.bool("ConnectionLogOptions.Enabled");
            e.logGroup = p.get("ConnectionLogOptions.CloudwatchLogGroup");
            e.logStream = p.get("ConnectionLogOptions.CloudwatchLogStream");
        }
        if (p.has("DnsServers.Enabled")) {
            List<String> dns = Boolean.TRUE.equals(p.bool("DnsServers.Enabled")) ? dnsServers(p.list("DnsServers.CustomDnsServers")) : List.of();
            resets |= !dns.equals(e.dnsServers);
            e.dnsServers = new ArrayList<>(dns);
        }
        if (p.has("VpnPort")) {
            int port = vpnPort(p.integer("VpnPort"));
            resets |= port != e.vpnPort;
            e.vpnPort = port;
        }
        if (p.has("Description")) {
            e.description = p.get("Description");
        }
        if (p.has("SplitTunnel")) {
            boolean split = p.bool("SplitTunnel");
            resets |= split != e.splitTunnel;
            e.splitTunnel = split;
        }
        if (p.has("VpcId")) {
            e.vpcId = p.get("VpcId");
        }
        List<String> groups = p.list("SecurityGroupId");
        if (!groups.isEmpty()) {
            e.securityGroupIds = securityGroups(groups, e.vpcId);
        }
        if (p.has("SelfServicePortal")) {
            e.selfServicePortal = "enabled".equalsIgnoreCase(p.get("SelfServicePortal"));
        }
        if (p.has("ClientConnectOptions.Enabled")) {
            e.clientConnectEnabled = p.bool("ClientConnectOptions.Enabled");
            e.clientConnectLambda = p.get("ClientConnectOptions.LambdaFunctionArn");
        }
        if (p.has("SessionTimeoutHours")) {
            e.sessionTimeoutHours = sessionTimeout(p.integer("SessionTimeoutHours"));
        }
        if (p.has("ClientLoginBannerOptions.Enabled")) {
            e.bannerEnabled = p.bool("ClientLoginBannerOptions.Enabled");
            e.bannerText = banner(p.get("ClientLoginBannerOptions.BannerText"));
        }
        if (p.has("ClientRouteEnforcementOptions.Enforced")) {
            e.routeEnforcement = p.bool("ClientRouteEnforcementOptions.Enforced");
        }
        if (p.has("DisconnectOnSessionTimeout")) {
            e.disconnectOnSessionTimeout = p.bool("DisconnectOnSessionTimeout");
        }
        if (resets) {
            resetConnections(e);
        }
        account.save();
        XmlWriter x = start("ModifyClientVpnEndpointResponse").element("return", true);
        return end(x, "ModifyClientVpnEndpointResponse");
    }

    private String deleteEndpoint(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        if (!e.associations.isEmpty()) {
            throw new LocalApiException("InvalidClientVpnEndpoint.InvalidState",
                    "Cannot delete Client VPN endpoint " + e.clientVpnEndpointId + " while it has target network associations.");
        }
        account.state.endpoints.remove(e);
        account.save();
        XmlWriter x = start("DeleteClientVpnEndpointResponse").open("status").element("code", "deleting").close("status");
        return end(x, "DeleteClientVpnEndpointResponse");
    }

    // ---- target networks

    private String describeTargetNetworks(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        for (Association a : e.associations) {
            if (a.describesUntilSettled > 0 && --a.describesUntilSettled == 0) {
                a.status = "associated";
            }
        }
        account.save();
        return page(p, "DescribeClientVpnTargetNetworksResponse", "clientVpnTargetNetworks", e.associations, (x, a) -> {
            x.element("associationId", a.associationId).element("vpcId", a.vpcId).element("targetNetworkId", a.subnetId)
                    .element("clientVpnEndpointId", e.clientVpnEndpointId).open("status").element("code", a.status).close("status");
            if (!e.securityGroupIds.isEmpty()) {
                x.open("securityGroups");
                e.securityGroupIds.forEach(s -> x.element("item", s));
                x.close("securityGroups");
            }
        });
    }

    private String associate(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        String subnetId = p.required("SubnetId");
        String token = p.get("ClientToken");
        if (token != null) {
            for (Association a : e.associations) {
                if (token.equals(a.clientToken)) {
                    return associated(a);
                }
            }
        }
        Subnet subnet = account.state.subnets.stream().filter(s -> s.subnetId.equals(subnetId)).findFirst()
                .orElseThrow(() -> new LocalApiException("InvalidClientVpnSubnetId.NotFound", "The subnet ID '" + subnetId + "' does not exist"));
        if (subnet.ownerId != null && !subnet.ownerId.equals(account.state.accountId)) {
            throw new LocalApiException("InvalidClientVpnSubnetId.DifferentAccount", "Subnet " + subnetId + " belongs to account " + subnet.ownerId
                    + ", not to " + account.state.accountId + "; Client VPN can only associate the account's own subnets");
        }
        for (Association a : e.associations) {
            Subnet other = subnet(a.subnetId);
            if (a.subnetId.equals(subnetId) || other.availabilityZone.equals(subnet.availabilityZone)) {
                throw new LocalApiException("InvalidClientVpnSubnetId.DuplicateAz", "Subnet " + subnetId + " is in availability zone "
                        + subnet.availabilityZone + ", which already has an associated subnet (" + a.subnetId + ")");
            }
            if (!other.vpcId.equals(subnet.vpcId)) {
                throw new LocalApiException("InvalidParameterValue",
                        "All target networks must be in the same VPC: " + subnetId + " is in " + subnet.vpcId + ", not " + other.vpcId);
            }
        }
        if (e.vpcId != null && !e.vpcId.equals(subnet.vpcId)) {
            throw new LocalApiException("InvalidParameterValue", "Subnet " + subnetId + " is not in the endpoint's VPC " + e.vpcId);
        }
        if (Cidr.parse(subnet.cidrBlock).overlaps(Cidr.parse(e.clientCidrBlock))) {
            throw new LocalApiException("InvalidClientVpnSubnetId.OverlappingCidr", "The CIDR of subnet " + subnetId + " ("
                    + subnet.cidrBlock + ") overlaps the client CIDR block " + e.clientCidrBlock);
        }
        Association a = new Association();
        a.associationId = "cvpn-assoc-" + LocalAccount.hex(account.nextId(), 17);
        a.clientToken = token;
        a.subnetId = subnetId;
        a.vpcId = subnet.vpcId;
        a.describesUntilSettled = account.describesUntilSettled;
        a.status = a.describesUntilSettled > 0 ? "associating" : "associated";
        e.associations.add(a);
        if (e.vpcId == null) {
            e.vpcId = subnet.vpcId;
        }
        String vpcCidr = account.state.vpcs.stream().filter(v -> v.vpcId.equals(subnet.vpcId)).map(v -> v.cidrBlock).findFirst().orElse(subnet.cidrBlock);
        Route r = new Route();
        r.destinationCidr = vpcCidr;
        r.targetSubnet = subnetId;
        r.origin = "associate";
        r.type = "Nat";
        r.description = "Default Route";
        r.status = "active";
        e.routes.add(r);
        e.status = "available";
        account.save();
        return associated(a);
    }

    private String associated(Association a) {
        XmlWriter x = start("AssociateClientVpnTargetNetworkResponse").element("associationId", a.associationId).open("status")
                .element("code", a.status).close("status");
        return end(x, "AssociateClientVpnTargetNetworkResponse");
    }

    private String disassociate(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        String id = p.required("AssociationId");
        Association a = e.associations.stream().filter(x -> x.associationId.equals(id)).findFirst()
                .orElseThrow(() -> new LocalApiException("InvalidClientVpnActiveAssociationNotFound",
                        "The association " + id + " does not exist on Client VPN endpoint " + e.clientVpnEndpointId));
        e.associations.remove(a);
        // AWS removes the routes that the association carried
        e.routes.removeIf(r -> r.targetSubnet.equals(a.subnetId));
        if (e.associations.isEmpty()) {
            e.status = "pending-associate";
            resetConnections(e);
        }
        account.save();
        XmlWriter x = start("DisassociateClientVpnTargetNetworkResponse").element("associationId", a.associationId).open("status")
                .element("code", "disassociating").close("status");
        return end(x, "DisassociateClientVpnTargetNetworkResponse");
    }

    // ---- routes

    private String describeRoutes(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        for (Route r : e.routes) {
            if (r.describesUntilSettled > 0 && --r.describesUntilSettled == 0) {
                r.status = "active";
            }
        }
        account.save();
        return page(p, "DescribeClientVpnRoutesResponse", "routes", e.routes, (x, r) -> x.element("clientVpnEndpointId", e.clientVpnEndpointId)
                .element("destinationCidr", r.destinationCidr).element("targetSubnet", r.targetSubnet).element("type", r.type)
                .element("origin", r.origin).open("status").element("code", r.status).close("status").element("description", r.description));
    }

    private String createRoute(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        String destination = cidr(p.required("DestinationCidrBlock"), "DestinationCidrBlock");
        String target = p.required("TargetVpcSubnetId");
        String token = p.get("ClientToken");
        for (Route r : e.routes) {
            if (token != null && token.equals(r.clientToken)) {
                return status("CreateClientVpnRouteResponse", r.status);
            }
        }
        if (!"local".equals(target) && e.associations.stream().noneMatch(a -> a.subnetId.equals(target))) {
            throw new LocalApiException("InvalidClientVpnActiveAssociationNotFound",
                    "Subnet " + target + " is not associated with Client VPN endpoint " + e.clientVpnEndpointId);
        }
        if (e.routes.stream().anyMatch(r -> r.destinationCidr.equals(destination) && r.targetSubnet.equals(target))) {
            throw new LocalApiException("InvalidClientVpnDuplicateRoute",
                    "Route " + destination + " via " + target + " already exists on Client VPN endpoint " + e.clientVpnEndpointId);
        }
        long perTarget = e.routes.stream().filter(r -> r.targetSubnet.equals(target)).count();
        if (perTarget >= ROUTES_PER_ASSOCIATION) {
            throw new LocalApiException("ClientVpnRouteLimitExceeded",
                    "The maximum number of routes (" + ROUTES_PER_ASSOCIATION + ") for target " + target + " has been reached.");
        }
        Route r = new Route();
        r.destinationCidr = destination;
        r.targetSubnet = target;
        r.origin = "add-route";
        r.type = "local".equals(target) ? "Local" : "Nat";
        r.description = p.get("Description");
        r.clientToken = token;
        r.describesUntilSettled = account.describesUntilSettled;
        r.status = r.describesUntilSettled > 0 ? "creating" : "active";
        e.routes.add(r);
        resetConnections(e);
        account.save();
        return status("CreateClientVpnRouteResponse", r.status);
    }

    private String deleteRoute(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        String destination = cidr(p.required("DestinationCidrBlock"), "DestinationCidrBlock");
        String target = p.get("TargetVpcSubnetId");
        Route found = e.routes.stream().filter(r -> r.destinationCidr.equals(destination) && (target == null || r.targetSubnet.equals(target)))
                .findFirst().orElseThrow(() -> new LocalApiException("InvalidClientVpnRouteNotFound",
                        "Route " + destination + (target == null ? "" : " via " + target) + " does not exist on Client VPN endpoint " + e.clientVpnEndpointId));
        if ("associate".equals(found.origin)) {
            throw new LocalApiException("InvalidParameterValue", "Route " + destination + " was created by an association; disassociate the subnet instead.");
        }
        e.routes.remove(found);
        resetConnections(e);
        account.save();
        return status("DeleteClientVpnRouteResponse", "deleting");
    }

    // ---- authorization rules

    private String describeRules(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        return page(p, "DescribeClientVpnAuthorizationRulesResponse", "authorizationRule", e.rules, (x, r) -> x
                .element("clientVpnEndpointId", e.clientVpnEndpointId).element("description", r.description).element("groupId", r.groupId)
                .element("accessAll", r.accessAll).element("destinationCidr", r.destinationCidr).open("status").element("code", r.status).close("status"));
    }

    private String authorize(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        String destination = cidr(p.required("TargetNetworkCidr"), "TargetNetworkCidr");
        String group = p.get("AccessGroupId");
        boolean all = Boolean.TRUE.equals(p.bool("AuthorizeAllGroups"));
        String token = p.get("ClientToken");
        for (Rule r : e.rules) {
            if (token != null && token.equals(r.clientToken)) {
                return status("AuthorizeClientVpnIngressResponse", r.status);
            }
        }
        if (all == (group != null && !group.isEmpty())) {
            throw new LocalApiException("InvalidParameterCombination", "Specify either AccessGroupId or AuthorizeAllGroups, not both and not neither.");
        }
        if (e.rules.stream().anyMatch(r -> r.destinationCidr.equals(destination) && r.accessAll == all && Objects.equals(r.groupId, all ? null : group))) {
            throw new LocalApiException("InvalidClientVpnDuplicateAuthorizationRule", "An authorization rule for " + destination
                    + (all ? " (all groups)" : " and group " + group) + " already exists on Client VPN endpoint " + e.clientVpnEndpointId);
        }
        if (e.rules.size() >= RULES_PER_ENDPOINT) {
            throw new LocalApiException("ClientVpnAuthorizationRuleLimitExceeded",
                    "The maximum number of authorization rules (" + RULES_PER_ENDPOINT + ") for Client VPN endpoint " + e.clientVpnEndpointId + " has been reached.");
        }
        Rule r = new Rule();
        r.destinationCidr = destination;
        r.groupId = all ? null : group;
        r.accessAll = all;
        r.description = p.get("Description");
        r.clientToken = token;
        r.status = "active";
        e.rules.add(r);
        resetConnections(e);
        account.save();
        return status("AuthorizeClientVpnIngressResponse", r.status);
    }

    private String revoke(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        String destination = cidr(p.required("TargetNetworkCidr"), "TargetNetworkCidr");
        String group = p.get("AccessGroupId");
        boolean all = Boolean.TRUE.equals(p.bool("RevokeAllGroups"));
        Rule found = e.rules.stream().filter(r -> r.destinationCidr.equals(destination) && (all ? r.accessAll : Objects.equals(r.groupId, group)))
                .findFirst().orElseThrow(() -> new LocalApiException("InvalidClientVpnEndpointAuthorizationRuleNotFound", "No authorization rule for "
                        + destination + (all ? " (all groups)" : " and group " + group) + " exists on Client VPN endpoint " + e.clientVpnEndpointId));
        e.rules.remove(found);
        resetConnections(e);
        account.save();
        return status("RevokeClientVpnIngressResponse", "revoking");
    }

    // ---- connections, configuration, subnets

    private String describeConnections(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        return page(p, "DescribeClientVpnConnectionsResponse", "connections", e.connections, (x, c) -> x
                .element("clientVpnEndpointId", e.clientVpnEndpointId).element("timestamp", c.establishedTime).element("connectionId", c.connectionId)
                .element("username", c.username).element("connectionEstablishedTime", c.establishedTime).element("clientIp", c.clientIp)
                .element("commonName", c.commonName).open("status").element("code", c.status).close("status"));
    }

    private String exportConfiguration(QueryParameters p) {
        Endpoint e = endpoint(p.required("ClientVpnEndpointId"));
        String host = e.dnsName.replace("*.", "");
        StringBuilder ovpn = new StringBuilder();
        ovpn.append("client\ndev tun\nproto ").append(e.transportProtocol).append('\n');
        ovpn.append("remote ").append(host).append(' ').append(e.vpnPort).append('\n');
        ovpn.append("remote-random-hostname\nresolv-retry infinite\nnobind\nremote-cert-tls server\ncipher AES-256-GCM\nverb 3\n");
        ovpn.append("<ca>\n").append("# CA chain of ").append(e.serverCertificateArn).append('\n').append("</ca>\n\n");
        ovpn.append("reneg-sec 0\n");
        if (e.authentication.stream().anyMatch(a -> a.samlProviderArn != null)) {
            ovpn.append("auth-user-pass\nauth-federate\n");
        }
        XmlWriter x = start("ExportClientVpnClientConfigurationResponse").element("clientConfiguration", ovpn.toString());
        return end(x, "ExportClientVpnClientConfigurationResponse");
    }

    private String describeSubnets(QueryParameters p) {
        List<String> ids = p.list("SubnetId");
        List<Subnet> selected = new ArrayList<>();
        for (String id : ids) {
            selected.add(account.state.subnets.stream().filter(s -> s.subnetId.equals(id)).findFirst()
                    .orElseThrow(() -> new LocalApiException("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist")));
        }
        if (ids.isEmpty()) {
            selected.addAll(account.state.subnets);
        }
        return page(p, "DescribeSubnetsResponse", "subnetSet", selected, (x, s) -> x.element("subnetId", s.subnetId).element("state", "available")
                .element("vpcId", s.vpcId).element("cidrBlock", s.cidrBlock).element("availableIpAddressCount", s.availableIpAddressCount)
                .element("availabilityZone", s.availabilityZone).element("ownerId", s.ownerId != null ? s.ownerId : account.state.accountId));
    }

    // ---- shared validation and output

    private Endpoint endpoint(String id) {
        return account.state.endpoints.stream().filter(e -> e.clientVpnEndpointId.equals(id)).findFirst()
                .orElseThrow(() -> new LocalApiException("InvalidClientVpnEndpointId.NotFound", "The Client VPN endpoint ID '" + id + "' does not exist"));
    }

    private Subnet subnet(String id) {
        return account.state.subnets.stream().filter(s -> s.subnetId.equals(id)).findFirst().orElseThrow();
    }

    private static void resetConnections(Endpoint e) {
        for (Connection c : e.connections) {
            if ("active".equals(c.status)) {
                c.status = "terminated";
            }
        }
    }

    private static String cidr(String text, String parameter) {
        try {
            return Cidr.parse(text).toString();
        } catch (IllegalArgumentException ex) {
            throw new LocalApiException("InvalidParameterValue", "Value (" + text + ") for parameter " + parameter + " is invalid. " + ex.getMessage());
        }
    }

    private static String clientCidr(String text) {
        String c = cidr(text, "ClientCidrBlock");
        Cidr parsed = Cidr.parse(c);
        if (!parsed.network().isIpv4() || parsed.prefixLength() < 12 || parsed.prefixLength() > 22) {
            throw new LocalApiException("InvalidParameterValue", "The client CIDR block " + text + " must be an IPv4 block between /12 and /22.");
        }
        return c;
    }

    private String certificate(String arn, String parameter) {
        if (account.state.certificates.stream().noneMatch(c -> c.arn.equals(arn))) {
            throw new LocalApiException("InvalidParameterValue", "Certificate " + arn + " (" + parameter + ") does not exist in ACM.");
        }
        return arn;
    }

    private static List<String> dnsServers(List<String> servers) {
        if (servers.size() > 2) {
            throw new LocalApiException("InvalidParameterValue", "At most 2 DNS servers may be given, not " + servers.size());
        }
        for (String s : servers) {
            try {
                crew.model.net.IpAddress.parse(s);
            } catch (IllegalArgumentException ex) {
                throw new LocalApiException("InvalidParameterValue", "DNS server '" + s + "' is not an IP address");
            }
        }
        return new ArrayList<>(servers);
    }

    private static int vpnPort(Integer port) {
        if (port == null || (port != 443 && port != 1194)) {
            throw new LocalApiException("InvalidParameterValue", "The VPN port must be 443 or 1194, not " + port);
        }
        return port;
    }

    private static int sessionTimeout(Integer hours) {
        if (hours == null || !Set.of(8, 10, 12, 24).contains(hours)) {
            throw new LocalApiException("InvalidParameterValue", "The session timeout must be 8, 10, 12 or 24 hours, not " + hours);
        }
        return hours;
    }

    private static String banner(String text) {
        if (text != null && text.length() > 1400) {
            throw new LocalApiException("InvalidParameterValue", "The login banner has " + text.length() + " characters; at most 1400 are allowed.");
        }
        return text;
    }

    private static List<String> securityGroups(List<String> groups, String vpcId) {
        if (groups.size() > 5) {
            throw new LocalApiException("InvalidParameterValue", "At most 5 security groups may be applied, not " + groups.size());
        }
        if (!groups.isEmpty() && vpcId == null) {
            throw new LocalApiException("InvalidParameterCombination", "Security groups need a VPC ID.");
        }
        return new ArrayList<>(groups);
    }

    private static String oneOf(String value, String parameter, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new LocalApiException("InvalidParameterValue", "Value (" + value + ") for parameter " + parameter + " is invalid. Allowed: " + String.join(", ", allowed));
    }

    private static XmlWriter start(String response) {
        return new XmlWriter().openNs(response, NAMESPACE).element("requestId", UUID.randomUUID());
    }

    private static String end(XmlWriter x, String response) {
        return x.close(response).toString();
    }

    private static String status(String response, String code) {
        return end(start(response).open("status").element("code", code).close("status"), response);
    }

    /** A Describe answer for one page: MaxResults 5..1000 (default 50 here, so that paging is exercised), NextToken an offset. */
    private static <T> String page(QueryParameters p, String response, String listName, List<T> items, java.util.function.BiConsumer<XmlWriter, T> item) {
        Integer max = p.integer("MaxResults");
        if (max != null && (max < 5 || max > 1000)) {
            throw new LocalApiException("InvalidParameterValue", "MaxResults must be between 5 and 1000, not " + max);
        }
        int size = max == null ? 50 : max;
        int from = 0;
        String token = p.get("NextToken");
        if (token != null && !token.isEmpty()) {
            try {
                from = Integer.parseInt(token);
            } catch (NumberFormatException ex) {
                throw new LocalApiException("InvalidNextToken", "The token '" + token + "' is invalid");
            }
        }
        XmlWriter x = start(response).open(listName);
        int to = Math.min(items.size(), from + size);
        for (int i = from; i < to; i++) {
            x.open("item");
            item.accept(x, items.get(i));
            x.close("item");
        }
        x.close(listName);
        if (to < items.size()) {
            x.element("nextToken", Integer.toString(to));
        }
        return end(x, response);
    }
}
