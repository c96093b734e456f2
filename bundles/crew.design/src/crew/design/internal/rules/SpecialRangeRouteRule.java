package crew.design.internal.rules;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.device.ClientRouteEnforcement;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;

/** CVPN030 route-to-special-range: A route must not lead into a loopback, link-local, multicast or broadcast range, IPv4 or IPv6: that traffic belongs to the device or its link, and Client Routes Enforcement ignores those ranges. */
@Component(service = LintRule.class)
public final class SpecialRangeRouteRule extends BaseRule {

    /** What each range Client Routes Enforcement ignores is, in words; the ranges themselves are CRE's own list. */
    private static final Map<Cidr, String> KINDS = Map.of(Cidr.parse("127.0.0.0/8"), "IPv4 loopback", Cidr.parse("169.254.0.0/16"), "IPv4 link-local",
            Cidr.parse("224.0.0.0/4"), "IPv4 multicast", Cidr.parse("255.255.255.255/32"), "the IPv4 limited broadcast address",
            Cidr.parse("::1/128"), "the IPv6 loopback address", Cidr.parse("fe80::/10"), "IPv6 link-local", Cidr.parse("ff00::/8"), "IPv6 multicast");

    public SpecialRangeRouteRule() {
        super("CVPN030", "route-to-special-range", Severity.ERROR, "A route must not lead into a loopback, link-local, multicast or broadcast range, IPv4 or IPv6: that traffic belongs to the device or its link, and Client Routes Enforcement ignores those ranges.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            Cidr c = r.destinationCidr();
            for (Cidr special : ClientRouteEnforcement.IGNORED_RANGES) {
                if (special.contains(c)) {
                    String what = (c.equals(special) ? c + " is " : c + " lies in " + special + ", ") + KINDS.getOrDefault(special, "a special-purpose range");
                    out.add(finding(what + ": its traffic belongs to the device or its own link, not to a network behind the endpoint, and Client Routes "
                            + "Enforcement does not protect it; remove the route",
                            DesignElements.route(i, r)));
                    break;
                }
            }
        }
    }
}
