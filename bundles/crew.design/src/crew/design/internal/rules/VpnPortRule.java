package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/** CVPN021 vpn-port: The VPN port is 443 or 1194. */
@Component(service = LintRule.class)
public final class VpnPortRule extends BaseRule {

    public VpnPortRule() {
        super("CVPN021", "vpn-port", Severity.ERROR, "The VPN port is 443 or 1194.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        int p = d.endpoint().vpnPort();
        if (p != 443 && p != 1194) {
            out.add(finding("port " + p + "; AWS accepts 443 or 1194", DesignElements.endpoint("VpnPort")));
        }
    }
}
