package crew.design.internal.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;

/** CVPN007 subnet-associated-twice: A subnet can be associated once. */
@Component(service = LintRule.class)
public final class SubnetDuplicateRule extends BaseRule {

    public SubnetDuplicateRule() {
        super("CVPN007", "subnet-associated-twice", Severity.ERROR, "A subnet can be associated once.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < d.targetNetworks().size(); i++) {
            TargetNetwork t = d.targetNetworks().get(i);
            if (!seen.add(t.subnetId())) {
                out.add(finding("subnet " + t.subnetId() + " is associated twice", DesignElements.target(i, t)));
            }
        }
    }
}
