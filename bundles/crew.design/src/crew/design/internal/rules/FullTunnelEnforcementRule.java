package crew.design.internal.rules;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;

/** CVPN024 full-tunnel-no-lan: Full tunnel with Client Routes Enforcement removes every LAN route: users lose LAN access (printers, local DNS). */
@Component(service = LintRule.class)
public final class FullTunnelEnforcementRule extends BaseRule {

    public FullTunnelEnforcementRule() {
        super("CVPN024", "full-tunnel-no-lan", Severity.INFO, "Full tunnel with Client Routes Enforcement removes every LAN route: users lose LAN access (printers, local DNS).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        var e = d.endpoint();
        if (!e.splitTunnel() && e.clientRouteEnforcement()) {
            // the routes the client installs in place of a default route, for the families the endpoint carries
            List<String> halves = new ArrayList<>();
            if (e.trafficIpAddressType().carriesIpv4()) {
                halves.add("0.0.0.0/1 and 128.0.0.0/1");
            }
            if (e.trafficIpAddressType().carriesIpv6()) {
                halves.add("::/1 and 8000::/1");
            }
            out.add(finding("full tunnel + Client Routes Enforcement: LAN routes conflict with " + String.join(" and with ", halves) + " and are removed",
                    DesignElements.endpoint("ClientRouteEnforcementOptions.Enforced"),
                    List.of("ClientRouteEnforcementOptions.Enforced", "SplitTunnel")));
        }
        if (e.splitTunnel()) {
            for (int i = 0; i < d.routes().size(); i++) {
                Cidr c = d.routes().get(i).destinationCidr();
                if (c.isDefault()) {
                    out.add(finding("split tunnel with a default route: " + c + " (routes[" + i + "]) is not pushed to clients in split-tunnel mode",
                            DesignElements.endpoint("SplitTunnel")));
                }
            }
        }
    }
}
