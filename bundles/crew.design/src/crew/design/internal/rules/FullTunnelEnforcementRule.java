package crew.design.internal.rules;

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
            out.add(finding("full tunnel + Client Routes Enforcement: LAN routes conflict with 0.0.0.0/1 and 128.0.0.0/1 and are removed",
                    DesignElements.endpoint("ClientRouteEnforcementOptions.Enforced"),
                    List.of("ClientRouteEnforcementOptions.Enforced", "SplitTunnel")));
        }
        if (e.splitTunnel() && d.routes().stream().anyMatch(r -> r.destinationCidr().isDefault())) {
            out.add(finding("split tunnel with a default route: 0.0.0.0/0 is not pushed to clients in split-tunnel mode",
                    DesignElements.endpoint("SplitTunnel")));
        }
    }
}
