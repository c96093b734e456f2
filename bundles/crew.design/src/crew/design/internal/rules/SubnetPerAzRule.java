package crew.design.internal.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;

/** CVPN005 one-subnet-per-az: At most one associated subnet per Availability Zone (AWS: InvalidClientVpnSubnetId.DuplicateAz). */
@Component(service = LintRule.class)
public final class SubnetPerAzRule extends BaseRule {

    public SubnetPerAzRule() {
        super("CVPN005", "one-subnet-per-az", Severity.ERROR, "At most one associated subnet per Availability Zone (AWS: InvalidClientVpnSubnetId.DuplicateAz).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < d.targetNetworks().size(); i++) {
            TargetNetwork t = d.targetNetworks().get(i);
            if (t.availabilityZone() == null) {
                continue;
            }
            String other = seen.putIfAbsent(t.availabilityZone(), t.subnetId());
            if (other != null) {
                out.add(finding("subnet " + t.subnetId() + " is in " + t.availabilityZone() + " like " + other + "; one subnet per AZ",
                        DesignElements.target(i, t)));
            }
        }
    }
}
