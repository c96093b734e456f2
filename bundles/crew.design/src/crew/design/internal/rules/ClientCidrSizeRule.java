package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.IpAddressType;
import crew.model.net.Cidr;
import crew.model.net.IpFamily;

/** CVPN001 client-cidr-size: The client CIDR must be an IPv4 block from /12 to /22 (AWS: create fails otherwise; size it about twice the expected connections). */
@Component(service = LintRule.class)
public final class ClientCidrSizeRule extends BaseRule {

    public ClientCidrSizeRule() {
        super("CVPN001", "client-cidr-size", Severity.ERROR, "The client CIDR must be an IPv4 block from /12 to /22 (AWS: create fails otherwise; size it about twice the expected connections).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        var e = d.endpoint();
        if (e.clientCidrBlock() == null) {
            if (e.trafficIpAddressType().carriesIpv4()) {
                out.add(finding("no client CIDR: an endpoint carrying IPv4 needs one (/12../22)", DesignElements.endpoint("ClientCidrBlock")));
            }
            return;
        }
        Cidr c = e.clientCidrBlock();
        if (c.family() != IpFamily.IPV4) {
            out.add(finding("the client CIDR " + c + " must be IPv4", DesignElements.endpoint("ClientCidrBlock")));
        } else if (c.prefixLength() < 12 || c.prefixLength() > 22) {
            out.add(finding("the client CIDR " + c + " is /" + c.prefixLength() + "; AWS accepts /12 to /22", DesignElements.endpoint("ClientCidrBlock")));
        }
    }
}
