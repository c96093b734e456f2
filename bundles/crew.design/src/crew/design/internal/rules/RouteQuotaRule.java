package crew.design.internal.rules;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Component;

import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;

/** CVPN017 route-quota: At most 100 routes per target-network association (warning above 80%; older endpoints: 10). */
@Component(service = LintRule.class)
public final class RouteQuotaRule extends BaseRule {

    public RouteQuotaRule() {
        super("CVPN017", "route-quota", Severity.ERROR, "At most 100 routes per target-network association (warning above 80%; older endpoints: 10).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Map<String, Integer> count = new TreeMap<>();
        d.routes().forEach(r -> count.merge(r.targetSubnet(), 1, Integer::sum));
        count.forEach((subnet, n) -> {
            if (n > 100) {
                out.add(finding(n + " routes through " + subnet + "; the quota is 100 per association (ClientVpnRouteLimitExceeded)", "routes"));
            } else if (n > 80) {
                out.add(finding(Severity.WARNING, n + " of 100 routes through " + subnet + ": little headroom", "routes"));
            }
        });
    }
}
