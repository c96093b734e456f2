package crew.design.internal.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;

/** CVPN015 duplicate-authorization-rule: The same CIDR and group twice (AWS: InvalidClientVpnDuplicateAuthorizationRule). */
@Component(service = LintRule.class)
public final class DuplicateAuthorizationRule extends BaseRule {

    public DuplicateAuthorizationRule() {
        super("CVPN015", "duplicate-authorization-rule", Severity.ERROR, "The same CIDR and group twice (AWS: InvalidClientVpnDuplicateAuthorizationRule).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < d.authorizationRules().size(); i++) {
            AuthorizationRule a = d.authorizationRules().get(i);
            if (!seen.add(a.targetNetworkCidr() + " " + DesignElements.who(a))) {
                out.add(finding("duplicate rule for " + a.targetNetworkCidr() + " and " + DesignElements.who(a), DesignElements.rule(i, a)));
            }
        }
    }
}
