package crew.design.internal.rules;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.design.device.FleetNetworks;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.IpFamily;

/**
 * CVPN031 fleet-networks: a route takes over a network that devices commonly have of their own (Docker's bridge,
 * home LANs, hotspots, carrier-grade NAT, virtualisation hosts: {@link FleetNetworks}). A route covering such a
 * network makes the device's own, more specific route to it a conflict that CRE removes (and without CRE, the
 * device's route wins over the VPN's); a route inside one takes that part of the device's network while connected.
 * A warning for the defaults most devices have, information for those some have.
 */
@Component(service = LintRule.class)
public final class FleetNetworksRule extends BaseRule {

    public FleetNetworksRule() {
        super("CVPN031", "fleet-networks", Severity.WARNING,
                "A route takes over a network devices commonly have (Docker's 172.17.0.0/16, home LANs, hotspots, CGNAT 100.64.0.0/10): "
                        + "CRE removes the device's route to it.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        var e = d.endpoint();
        boolean cre = e.clientRouteEnforcement();
        if (!e.trafficIpAddressType().carriesIpv4()) {
            return; // every network of the list is IPv4
        }
        if (!e.splitTunnel()) {
            List<String> common = new ArrayList<>();
            List<String> some = new ArrayList<>();
            for (FleetNetworks.Network n : FleetNetworks.ALL) {
                (n.common() ? common : some).add(n.toString());
            }
            String what = cre ? "CRE removes the device's routes to " : "without CRE the device's own routes win for ";
            out.add(finding(Severity.WARNING, "full tunnel: 0.0.0.0/1 and 128.0.0.0/1 cover every network devices have; " + what + String.join(", ", common)
                    + (some.isEmpty() ? "" : "; and where devices have them, " + String.join(", ", some)), DesignElements.endpoint("SplitTunnel")));
            return;
        }
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            Cidr c = r.destinationCidr();
            if (c.family() != IpFamily.IPV4 || c.isDefault()) {
                continue; // a default route is not pushed in split tunnel (CVPN024 says so)
            }
            FleetNetworks.Takeover inside = null;
            for (FleetNetworks.Takeover t : FleetNetworks.takenBy(c)) {
                if (t.covers()) {
                    String effect = cre ? "CRE removes a device's route to it while connected (" + t.network().what() + " unreachable)"
                            : "a device's own route to it is more specific and wins: that traffic stays off the VPN";
                    out.add(finding(t.network().common() ? Severity.WARNING : Severity.INFO,
                            c + " covers " + t.network().cidr() + ", " + t.network().what() + ": " + effect, DesignElements.route(i, r)));
                } else if (inside == null || t.network().cidr().prefixLength() > inside.network().cidr().prefixLength()) {
                    inside = t;
                }
            }
            if (inside != null) {
                FleetNetworks.Network n = inside.network();
                out.add(finding(n.common() ? Severity.WARNING : Severity.INFO, c + " lies inside " + n.cidr() + ", " + n.what()
                        + ": on a device with that network, " + c + " goes to the VPN instead" + (cre ? " and CRE removes any device route to it" : ""),
                        DesignElements.route(i, r)));
            }
        }
    }
}
