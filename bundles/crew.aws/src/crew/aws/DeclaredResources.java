package crew.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;

/**
 * The resources an export declares besides the endpoint, in the design's order and numbered from 1 per kind, as
 * {@link CloudFormationTemplate} and {@link TerraformConfiguration} both name them: an association per target network,
 * a route per route added by hand (AWS creates an association's own routes itself), with the association of its
 * subnet where the design has one, and a rule per authorization rule.
 */
record DeclaredResources(List<Association> associations, List<Route> routes, List<Rule> rules) {
    record Association(int number, String subnetId) {
    }

    /** {@code association} is null when the design associates no network with the route's subnet. */
    record Route(int number, ClientVpnRoute route, Association association) {
    }

    record Rule(int number, AuthorizationRule rule) {
    }

    static DeclaredResources of(EndpointDesign design) {
        List<Association> associations = new ArrayList<>();
        Map<String, Association> bySubnet = new HashMap<>();
        for (TargetNetwork t : design.targetNetworks()) {
            Association a = new Association(associations.size() + 1, t.subnetId());
            associations.add(a);
            bySubnet.put(t.subnetId(), a);
        }
        List<Route> routes = new ArrayList<>();
        for (ClientVpnRoute r : design.routes()) {
            if (!"associate".equals(r.origin())) {
                routes.add(new Route(routes.size() + 1, r, bySubnet.get(r.targetSubnet())));
            }
        }
        List<Rule> rules = new ArrayList<>();
        for (AuthorizationRule a : design.authorizationRules()) {
            rules.add(new Rule(rules.size() + 1, a));
        }
        return new DeclaredResources(List.copyOf(associations), List.copyOf(routes), List.copyOf(rules));
    }

    static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
