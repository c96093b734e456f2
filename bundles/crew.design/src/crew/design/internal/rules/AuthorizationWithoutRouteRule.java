package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.PrefixTrie;

/** CVPN011 authorization-without-route: An authorization rule whose range no route reaches grants nothing. */
@Component(service = LintRule.class)
public final class AuthorizationWithoutRouteRule extends BaseRule {

    public AuthorizationWithoutRouteRule() {
        super("CVPN011", "authorization-without-route", Severity.WARNING, "An authorization rule whose range no route reaches grants nothing.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        PrefixTrie<Boolean> routes = new PrefixTrie<>();
        d.routes().forEach(r -> routes.put(r.destinationCidr(), true));
        for (int i = 0; i < d.authorizationRules().size(); i++) {
            AuthorizationRule a = d.authorizationRules().get(i);
            if (!routes.overlapsAny(a.targetNetworkCidr())) {
                out.add(finding("no route reaches " + a.targetNetworkCidr() + ": the rule grants nothing", DesignElements.rule(i, a)));
            }
        }
    }
}
