package crew.design.internal.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;

/** CVPN009 route-target-not-associated: A route's target subnet must be an associated subnet (or local for client-to-client). */
@Component(service = LintRule.class)
public final class RouteTargetAssociatedRule extends BaseRule {

    public RouteTargetAssociatedRule() {
        super("CVPN009", "route-target-not-associated", Severity.ERROR, "A route's target subnet must be an associated subnet (or local for client-to-client).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Set<String> subnets = new HashSet<>();
        d.targetNetworks().forEach(t -> subnets.add(t.subnetId()));
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            if (!r.isLocal() && !subnets.contains(r.targetSubnet())) {
                out.add(finding("target subnet " + r.targetSubnet() + " is not associated with the endpoint", DesignElements.route(i, r)));
            }
        }
    }
}
