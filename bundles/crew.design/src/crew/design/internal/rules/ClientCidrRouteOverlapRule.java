package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;

/** CVPN003 client-cidr-overlaps-route: The client CIDR must not overlap a route's destination (only the client-to-client route to the client CIDR itself, target local, may). */
@Component(service = LintRule.class)
public final class ClientCidrRouteOverlapRule extends BaseRule {

    public ClientCidrRouteOverlapRule() {
        super("CVPN003", "client-cidr-overlaps-route", Severity.ERROR, "The client CIDR must not overlap a route's destination (only the client-to-client route to the client CIDR itself, target local, may).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Cidr c = d.endpoint().clientCidrBlock();
        if (c == null) {
            return;
        }
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            if (r.destinationCidr().isDefault() || (r.isLocal() && r.destinationCidr().equals(c))) {
                continue; // a default route overlaps everything by design; local is client-to-client
            }
            if (r.destinationCidr().overlaps(c)) {
                out.add(finding("route " + r.destinationCidr() + " overlaps the client CIDR " + c + ": replies to clients would be misrouted",
                        DesignElements.route(i, r), List.of("ClientCidrBlock")));
            }
        }
    }
}
