package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;

/** CVPN012 client-to-client: Client-to-client access needs a route to the client CIDR with target local and an all-users authorization rule for it; group rules do not apply there. */
@Component(service = LintRule.class)
public final class ClientToClientRule extends BaseRule {

    public ClientToClientRule() {
        super("CVPN012", "client-to-client", Severity.WARNING, "Client-to-client access needs a route to the client CIDR with target local and an all-users authorization rule for it; group rules do not apply there.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        Cidr c = d.endpoint().clientCidrBlock();
        if (c == null) {
            return;
        }
        boolean localRoute = false;
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            if (r.isLocal()) {
                if (!r.destinationCidr().equals(c)) {
                    out.add(finding("a local route must have the client CIDR " + c + " as destination", DesignElements.route(i, r),
                            List.of("ClientCidrBlock")));
                } else {
                    localRoute = true;
                }
            }
        }
        boolean rule = false;
        for (int i = 0; i < d.authorizationRules().size(); i++) {
            AuthorizationRule a = d.authorizationRules().get(i);
            if (a.targetNetworkCidr().equals(c)) {
                rule = true;
                if (!a.authorizeAllGroups()) {
                    out.add(finding("group rules do not apply to client-to-client traffic; authorize all users for " + c, DesignElements.rule(i, a)));
                }
                if (!localRoute) {
                    out.add(finding("a rule for the client CIDR without a local route to it: client-to-client is not enabled", DesignElements.rule(i, a)));
                }
            }
        }
        if (localRoute && !rule) {
            out.add(finding("a local route to " + c + " without an authorization rule: client-to-client traffic is denied", DesignElements.endpoint("ClientCidrBlock")));
        }
    }
}
