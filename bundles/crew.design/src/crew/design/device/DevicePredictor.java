package crew.design.device;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import crew.model.device.DeviceRoute;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.io.OvpnProfile;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/**
 * Predicts a device's routing table after it connects to an endpoint (aws-client-vpn.md, seed 001): the client's
 * host route and its /27 on the tunnel; split tunnel: each endpoint route CIDR via the first host of that /27 and no
 * 0.0.0.0/0; full tunnel: 0.0.0.0/1 and 128.0.0.0/1 via the tunnel (::/1 and 8000::/1 when IPv6 traffic is
 * tunnelled) and the endpoint's public address via the device's own default gateway. Then CRE's conflicts.
 */
public final class DevicePredictor {

    private DevicePredictor() {
    }

    public static DevicePrediction predict(PredictionRequest req) {
        ClientVpnEndpoint e = req.design().endpoint();
        IpAddress client = req.clientAddress();
        if (client == null || !client.isIpv4()) {
            throw new IllegalArgumentException("the client address must be an IPv4 address");
        }
        if (e.clientCidrBlock() != null && !e.clientCidrBlock().contains(client)) {
            throw new IllegalArgumentException("client address " + client + " is outside the client CIDR " + e.clientCidrBlock());
        }
        String tun = req.tunnelInterface();
        Cidr slash27 = Cidr.of(client, 27);
        IpAddress gw = slash27.first().next();
        boolean v6 = e.trafficIpAddressType().carriesIpv6() && req.clientIpv6() != null;
        boolean v4 = e.trafficIpAddressType().carriesIpv4();

        List<DeviceRoute> added = new ArrayList<>();
        List<ProtectedRoute> prot = new ArrayList<>();
        List<Cidr> exempt = new ArrayList<>();
        added.add(DeviceRoute.of(Cidr.host(client), client, tun, 0));
        added.add(DeviceRoute.of(slash27, client, tun, 0));
        if (v6) {
            added.add(DeviceRoute.of(Cidr.host(req.clientIpv6()), null, tun, 0));
        }
        if (e.splitTunnel()) {
            Set<Cidr> dests = new LinkedHashSet<>();
            for (ClientVpnRoute r : req.design().routes()) {
                Cidr c = r.destinationCidr();
                if (c.isDefault()) {
                    continue; // split tunnel never installs the default route
                }
                if ((c.family() == IpFamily.IPV4 && v4) || (c.family() == IpFamily.IPV6 && v6)) {
                    dests.add(c);
                }
            }
            for (Cidr c : dests) {
                IpAddress hop = c.family() == IpFamily.IPV4 ? gw : null;
                added.add(DeviceRoute.of(c, hop, tun, 0));
                prot.add(new ProtectedRoute(c, hop, tun, "endpoint route"));
            }
        } else {
            List<Cidr> halves = new ArrayList<>();
            if (v4) {
                halves.add(Cidr.parse("0.0.0.0/1"));
                halves.add(Cidr.parse("128.0.0.0/1"));
            }
            if (v6) {
                halves.add(Cidr.parse("::/1"));
                halves.add(Cidr.parse("8000::/1"));
            }
            for (Cidr c : halves) {
                IpAddress hop = c.family() == IpFamily.IPV4 ? gw : null;
                added.add(DeviceRoute.of(c, hop, tun, 0));
                prot.add(new ProtectedRoute(c, hop, tun, "full tunnel"));
            }
            // the tunnel's own packets must still reach the server through the LAN
            if (req.endpointAddress() != null) {
                Optional<DeviceRoute> dflt = defaultRoute(req.deviceTable(), req.endpointAddress().family());
                if (dflt.isPresent()) {
                    DeviceRoute d = dflt.get();
                    added.add(new DeviceRoute(Cidr.host(req.endpointAddress()), d.gateway(), d.interfaceName(), d.interfaceIndex(), 0,
                            DeviceRoute.MAIN_TABLE, null, null, crew.model.device.RouteType.UNICAST, null, Set.of()));
                    exempt.add(Cidr.host(req.endpointAddress()));
                    if (d.gateway() != null) {
                        // CRE removes the LAN's connected route (it is more specific than the halves): an on-link host
                        // route keeps the gateway, and so the server, reachable
                        if (!hasRoute(req.deviceTable(), Cidr.host(d.gateway()), d.interfaceName())) {
                            // a device that has one already (macOS: 192.168.1.1/32 link#6) keeps it, exempt: no second copy
                            added.add(new DeviceRoute(Cidr.host(d.gateway()), null, d.interfaceName(), d.interfaceIndex(), 0, DeviceRoute.MAIN_TABLE,
                                    null, null, crew.model.device.RouteType.UNICAST, null, Set.of()));
                        }
                        exempt.add(Cidr.host(d.gateway()));
                    }
                }
            }
        }
        if (req.profile() != null) {
            for (OvpnProfile.ProfileRoute pr : req.profile().routes()) {
                if (pr.isProtected()) {
                    IpAddress hop = pr.gateway() == OvpnProfile.RouteGateway.ADDRESS ? pr.address() : pr.destination().family() == IpFamily.IPV4 ? gw : null;
                    added.add(DeviceRoute.of(pr.destination(), hop, tun, pr.metric()));
                    prot.add(new ProtectedRoute(pr.destination(), hop, tun, "profile route line " + pr.line()));
                } else {
                    exempt.add(pr.destination()); // net_gateway: conflicts allowed
                    Optional<DeviceRoute> dflt = defaultRoute(req.deviceTable(), pr.destination().family());
                    dflt.ifPresent(d -> added.add(new DeviceRoute(pr.destination(), d.gateway(), d.interfaceName(), d.interfaceIndex(),
                            pr.metric(), DeviceRoute.MAIN_TABLE, null, null, crew.model.device.RouteType.UNICAST, null, Set.of("net_gateway"))));
                }
            }
        }
        ConflictDetector detector = new ConflictDetector(prot, exempt, tun);
        List<Conflict> conflicts = detector.detect(req.deviceTable());
        List<DevicePrediction.Leak> leaks = new ArrayList<>();
        for (Conflict c : conflicts) {
            leaks.add(new DevicePrediction.Leak(c.route().destination(), c.protectedRoute().destination(), c.route()));
        }
        Set<DeviceRoute> removed = new java.util.HashSet<>();
        if (e.clientRouteEnforcement()) {
            conflicts.forEach(c -> removed.add(c.route()));
        }
        List<DeviceRoute> after = new ArrayList<>();
        for (DeviceRoute r : req.deviceTable()) {
            if (!removed.contains(r)) {
                after.add(r);
            }
        }
        after.addAll(added);
        after.sort(Comparator.comparing(DeviceRoute::destination));
        return new DevicePrediction(gw, added, prot, exempt, conflicts, leaks, after, e.clientRouteEnforcement());
    }

    /** Whether the table has a main-table route to exactly {@code destination} on {@code interfaceName}. */
    private static boolean hasRoute(List<DeviceRoute> table, Cidr destination, String interfaceName) {
        return table.stream().anyMatch(r -> r.inMainTable() && r.destination().equals(destination)
                && java.util.Objects.equals(r.interfaceName(), interfaceName) && r.type() == crew.model.device.RouteType.UNICAST);
    }

    /** The main-table default route of a family with the lowest metric. */
    public static Optional<DeviceRoute> defaultRoute(List<DeviceRoute> table, IpFamily family) {
        return table.stream().filter(r -> r.inMainTable() && r.destination().isDefault() && r.destination().family() == family)
                .min(Comparator.comparingInt(DeviceRoute::metric));
    }
}
