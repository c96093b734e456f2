package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/** CVPN022 security-groups-need-vpc: Security groups need the endpoint's VPC id, and at most 5 apply. */
@Component(service = LintRule.class)
public final class SecurityGroupRule extends BaseRule {

    public SecurityGroupRule() {
        super("CVPN022", "security-groups-need-vpc", Severity.ERROR, "Security groups need the endpoint's VPC id, and at most 5 apply.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        var e = d.endpoint();
        if (!e.securityGroupIds().isEmpty() && e.vpcId() == null) {
            out.add(finding("security groups without a VPC id", DesignElements.endpoint("SecurityGroupIds")));
        }
        if (e.securityGroupIds().size() > 5) {
            out.add(finding(e.securityGroupIds().size() + " security groups; at most 5", DesignElements.endpoint("SecurityGroupIds")));
        }
    }
}
