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
import crew.model.net.Cidr;

/** CVPN013 duplicate-route: The same destination and target subnet twice (AWS: InvalidClientVpnDuplicateRoute). */
@Component(service = LintRule.class)
public final class DuplicateRouteRule extends BaseRule {

    public DuplicateRouteRule() {
        super("CVPN013", "duplicate-route", Severity.ERROR, "The same destination and target subnet twice (AWS: InvalidClientVpnDuplicateRoute).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            if (!seen.add(r.destinationCidr() + " " + r.targetSubnet())) {
                out.add(finding("duplicate route " + r.destinationCidr() + " -> " + r.targetSubnet(), DesignElements.route(i, r)));
            }
        }
    }
}
