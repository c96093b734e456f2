package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;

/** CVPN006 subnets-same-vpc: All associated subnets must be in one VPC, the endpoint's VPC when it names one. */
@Component(service = LintRule.class)
public final class SubnetSameVpcRule extends BaseRule {

    public SubnetSameVpcRule() {
        super("CVPN006", "subnets-same-vpc", Severity.ERROR, "All associated subnets must be in one VPC, the endpoint's VPC when it names one.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        String vpc = d.endpoint().vpcId();
        for (int i = 0; i < d.targetNetworks().size(); i++) {
            TargetNetwork t = d.targetNetworks().get(i);
            if (t.vpcId() == null) {
                continue;
            }
            if (vpc == null) {
                vpc = t.vpcId();
            } else if (!vpc.equals(t.vpcId())) {
                out.add(finding("subnet " + t.subnetId() + " is in " + t.vpcId() + ", not " + vpc, DesignElements.target(i, t)));
            }
        }
    }
}
