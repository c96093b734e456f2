package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.PrefixTrie;

/** CVPN010 route-without-authorization: A route that no authorization rule covers carries nothing: default deny. */
@Component(service = LintRule.class)
public final class RouteWithoutAuthorizationRule extends BaseRule {

    public RouteWithoutAuthorizationRule() {
        super("CVPN010", "route-without-authorization", Severity.WARNING, "A route that no authorization rule covers carries nothing: default deny.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        PrefixTrie<Boolean> rules = new PrefixTrie<>();
        d.authorizationRules().forEach(a -> rules.put(a.targetNetworkCidr(), true));
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            if (!rules.overlapsAny(r.destinationCidr())) {
                out.add(finding("no authorization rule covers " + r.destinationCidr() + ": nobody can use this route", DesignElements.route(i, r)));
            }
        }
    }
}
