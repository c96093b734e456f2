package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.net.Cidr;

/** CVPN002 client-cidr-overlaps-subnet: The client CIDR must not overlap an associated subnet (AWS: InvalidClientVpnSubnetId.OverlappingCidr). */
@Component(service = LintRule.class)
public final class ClientCidrSubnetOverlapRule extends BaseRule {

    public ClientCidrSubnetOverlapRule() {
        super("CVPN002", "client-cidr-overlaps-subnet", Severity.ERROR, "The client CIDR must not overlap an associated subnet (AWS: InvalidClientVpnSubnetId.OverlappingCidr).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Cidr c = d.endpoint().clientCidrBlock();
        if (c == null) {
            return;
        }
        for (int i = 0; i < d.targetNetworks().size(); i++) {
            TargetNetwork t = d.targetNetworks().get(i);
            if (t.subnetCidr() != null && t.subnetCidr().overlaps(c)) {
                out.add(finding("subnet " + t.subnetCidr() + " overlaps the client CIDR " + c, DesignElements.target(i, t), List.of("ClientCidrBlock")));
            }
        }
    }
}
