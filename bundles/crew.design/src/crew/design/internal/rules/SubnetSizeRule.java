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
import crew.model.net.IpFamily;

/** CVPN004 subnet-too-small: Each associated subnet needs at least a /27 (and 20 free addresses) for the endpoint's network interfaces. */
@Component(service = LintRule.class)
public final class SubnetSizeRule extends BaseRule {

    public SubnetSizeRule() {
        super("CVPN004", "subnet-too-small", Severity.ERROR, "Each associated subnet needs at least a /27 (and 20 free addresses) for the endpoint's network interfaces.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        for (int i = 0; i < d.targetNetworks().size(); i++) {
            TargetNetwork t = d.targetNetworks().get(i);
            if (t.subnetCidr() != null && t.subnetCidr().family() == IpFamily.IPV4 && t.subnetCidr().prefixLength() > 27) {
                out.add(finding("subnet " + t.subnetCidr() + " is smaller than /27", DesignElements.target(i, t)));
            }
            if (t.availableIpAddressCount() >= 0 && t.availableIpAddressCount() < 20) {
                out.add(finding("subnet has " + t.availableIpAddressCount() + " free addresses; AWS needs 20", DesignElements.target(i, t)));
            }
        }
    }
}
