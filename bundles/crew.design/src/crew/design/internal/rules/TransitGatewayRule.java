package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/** CVPN023 transit-gateway-excludes-vpc: A transit gateway attachment excludes a VPC id and security groups. */
@Component(service = LintRule.class)
public final class TransitGatewayRule extends BaseRule {

    public TransitGatewayRule() {
        super("CVPN023", "transit-gateway-excludes-vpc", Severity.ERROR, "A transit gateway attachment excludes a VPC id and security groups.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        var e = d.endpoint();
        if (e.transitGatewayId() != null && (e.vpcId() != null || !e.securityGroupIds().isEmpty())) {
            out.add(finding("transit gateway " + e.transitGatewayId() + " together with a VPC id or security groups", DesignElements.endpoint("TransitGatewayConfiguration"),
                    List.of("TransitGatewayId", "VpcId", "SecurityGroupIds")));
        }
    }
}
