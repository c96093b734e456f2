package crew.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ClientVpnConnection;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Reads an account's Client VPN endpoints with paginators (1000 items a page: a pull of an endpoint with 200 routes
 * and 200 rules costs a handful of calls, not one per item).
 */
public final class AccountReader {
    static final int PAGE = 1000;

    private final Ec2Client ec2;

    public AccountReader(AwsSession session) {
        this.ec2 = session.ec2();
    }

    public List<ClientVpnEndpoint> endpoints() {
        List<ClientVpnEndpoint> out = new ArrayList<>();
        ec2.describeClientVpnEndpointsPaginator(r -> r.maxResults(PAGE)).clientVpnEndpoints().forEach(e -> out.add(SdkTranslation.endpoint(e)));
        return out;
    }

    public ClientVpnEndpoint endpoint(String endpointId) {
        return SdkTranslation.endpoint(ec2.describeClientVpnEndpoints(r -> r.clientVpnEndpointIds(endpointId)).clientVpnEndpoints().get(0));
    }

    /** The endpoint as a design: settings, target networks (with their subnets' AZ and CIDR), routes and rules. */
    public EndpointDesign design(String endpointId) {
        ClientVpnEndpoint endpoint = endpoint(endpointId);
        List<software.amazon.awssdk.services.ec2.model.TargetNetwork> associations = new ArrayList<>();
        ec2.describeClientVpnTargetNetworksPaginator(r -> r.clientVpnEndpointId(endpointId).maxResults(PAGE)).clientVpnTargetNetworks()
                .forEach(associations::add);
        Map<String, Subnet> subnets = new HashMap<>();
        if (!associations.isEmpty()) {
            List<String> ids = associations.stream().map(software.amazon.awssdk.services.ec2.model.TargetNetwork::targetNetworkId).distinct().toList();
            ec2.describeSubnetsPaginator(r -> r.subnetIds(ids)).subnets().forEach(s -> subnets.put(s.subnetId(), s));
        }
        List<TargetNetwork> targets = associations.stream().map(t -> SdkTranslation.targetNetwork(t, subnets.get(t.targetNetworkId()))).toList();
        List<ClientVpnRoute> routes = routes(endpointId);
        List<AuthorizationRule> rules = new ArrayList<>();
        ec2.describeClientVpnAuthorizationRulesPaginator(r -> r.clientVpnEndpointId(endpointId).maxResults(PAGE)).authorizationRules()
                .forEach(r -> rules.add(SdkTranslation.rule(r)));
        String name = endpoint.tags().getOrDefault("Name", endpoint.description() == null ? endpointId : endpoint.description());
        return new EndpointDesign(name, endpoint, targets, routes, rules);
    }

    public List<ClientVpnRoute> routes(String endpointId) {
        List<ClientVpnRoute> routes = new ArrayList<>();
        ec2.describeClientVpnRoutesPaginator(r -> r.clientVpnEndpointId(endpointId).maxResults(PAGE)).routes().forEach(r -> routes.add(SdkTranslation.route(r)));
        return routes;
    }

    public List<TargetNetwork> targetNetworks(String endpointId) {
        List<TargetNetwork> out = new ArrayList<>();
        ec2.describeClientVpnTargetNetworksPaginator(r -> r.clientVpnEndpointId(endpointId).maxResults(PAGE)).clientVpnTargetNetworks()
                .forEach(t -> out.add(SdkTranslation.targetNetwork(t, null)));
        return out;
    }

    public List<ActiveConnection> connections(String endpointId) {
        List<ActiveConnection> out = new ArrayList<>();
        for (ClientVpnConnection c : ec2.describeClientVpnConnectionsPaginator(r -> r.clientVpnEndpointId(endpointId).maxResults(PAGE)).connections()) {
            out.add(new ActiveConnection(c.connectionId(), c.commonName(), c.username(), c.clientIp(), c.connectionEstablishedTime(),
                    c.status() == null ? null : c.status().codeAsString()));
        }
        return out;
    }

    public String clientConfiguration(String endpointId) {
        return ec2.exportClientVpnClientConfiguration(r -> r.clientVpnEndpointId(endpointId)).clientConfiguration();
    }

    public PulledEndpoint pull(String endpointId) {
        return new PulledEndpoint(design(endpointId), connections(endpointId), clientConfiguration(endpointId));
    }
}
