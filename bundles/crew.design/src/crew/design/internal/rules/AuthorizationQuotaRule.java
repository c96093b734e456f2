package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.EndpointDesign;

/** CVPN016 authorization-rule-quota: At most 200 authorization rules per endpoint (warning above 80% of the quota; older endpoints: 50). */
@Component(service = LintRule.class)
public final class AuthorizationQuotaRule extends BaseRule {

    public AuthorizationQuotaRule() {
        super("CVPN016", "authorization-rule-quota", Severity.ERROR, "At most 200 authorization rules per endpoint (warning above 80% of the quota; older endpoints: 50).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        int n = d.authorizationRules().size();
        if (n > 200) {
            out.add(finding(n + " authorization rules; the quota is 200 per endpoint (ClientVpnAuthorizationRuleLimitExceeded)", "authorizationRules"));
        } else if (n > 160) {
            out.add(finding(Severity.WARNING, n + " of 200 authorization rules used: little headroom", "authorizationRules"));
        }
    }
}
