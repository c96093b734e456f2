package crew.design.internal.rules;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;

/** CVPN008 route-missing-for-subnet: Every route must exist for every associated subnet: clients are spread over the subnets by DNS round robin, so a missing one gives intermittent access. */
@Component(service = LintRule.class)
public final class RouteMissingForSubnetRule extends BaseRule {

    public RouteMissingForSubnetRule() {
        super("CVPN008", "route-missing-for-subnet", Severity.WARNING, "Every route must exist for every associated subnet: clients are spread over the subnets by DNS round robin, so a missing one gives intermittent access.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Set<String> subnets = new LinkedHashSet<>();
        d.targetNetworks().forEach(t -> subnets.add(t.subnetId()));
        if (subnets.size() < 2) {
            return;
        }
        Map<Cidr, Set<String>> bySubnet = new LinkedHashMap<>();
        Map<Cidr, Integer> first = new HashMap<>();
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            if (r.isLocal()) {
                continue;
            }
            bySubnet.computeIfAbsent(r.destinationCidr(), k -> new HashSet<>()).add(r.targetSubnet());
            first.putIfAbsent(r.destinationCidr(), i);
        }
        bySubnet.forEach((cidr, have) -> {
            for (String s : subnets) {
                if (!have.contains(s)) {
                    int i = first.get(cidr);
                    out.add(finding("no route to " + cidr + " through associated subnet " + s + ": clients on that subnet's "
                            + "endpoint interface cannot reach it (intermittent access)", DesignElements.route(i, d.routes().get(i))));
                }
            }
        });
    }
}
