package crew.model.endpoint;

import java.util.List;

/**
 * One endpoint design: the endpoint's settings, its associated target networks, its routes and its authorization
 * rules. What a workspace file holds, what the designer analyses, what crew.aws pulls and pushes.
 */
public record EndpointDesign(String name, ClientVpnEndpoint endpoint, List<TargetNetwork> targetNetworks,
        List<ClientVpnRoute> routes, List<AuthorizationRule> authorizationRules) {

    public EndpointDesign {
        targetNetworks = targetNetworks == null ? List.of() : List.copyOf(targetNetworks);
        routes = routes == null ? List.of() : List.copyOf(routes);
        authorizationRules = authorizationRules == null ? List.of() : List.copyOf(authorizationRules);
    }

    /** This design with another endpoint, its subnets, routes and rules the same. */
    public EndpointDesign withEndpoint(ClientVpnEndpoint e) {
        return new EndpointDesign(name, e, targetNetworks, routes, authorizationRules);
    }
}
