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
import crew.model.endpoint.IpAddressType;
import crew.model.net.Cidr;
import crew.model.net.IpFamily;

/** CVPN028 traffic-family: Routes and rules must match the traffic IP address type: IPv6 destinations need ipv6 or dual-stack traffic, IPv4 ones ipv4 or dual-stack. */
@Component(service = LintRule.class)
public final class TrafficFamilyRule extends BaseRule {

    public TrafficFamilyRule() {
        super("CVPN028", "traffic-family", Severity.ERROR, "Routes and rules must match the traffic IP address type: IPv6 destinations need ipv6 or dual-stack traffic, IPv4 ones ipv4 or dual-stack.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        var t = d.endpoint().trafficIpAddressType();
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            if (!carries(t, r.destinationCidr())) {
                out.add(finding(r.destinationCidr().family() + " route on an endpoint with " + t.awsValue() + " traffic", DesignElements.route(i, r), List.of("TrafficIpAddressType")));
            }
        }
        for (int i = 0; i < d.authorizationRules().size(); i++) {
            AuthorizationRule a = d.authorizationRules().get(i);
            if (!carries(t, a.targetNetworkCidr())) {
                out.add(finding(a.targetNetworkCidr().family() + " rule on an endpoint with " + t.awsValue() + " traffic", DesignElements.rule(i, a), List.of("TrafficIpAddressType")));
            }
        }
    }

    private static boolean carries(IpAddressType t, Cidr c) {
        return c.family() == IpFamily.IPV4 ? t.carriesIpv4() : t.carriesIpv6();
    }
}
