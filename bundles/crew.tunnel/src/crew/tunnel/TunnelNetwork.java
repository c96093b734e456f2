package crew.tunnel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import crew.enforce.EnforcementMode;
import crew.enforce.SessionSpec;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;
import crew.routing.api.InterfaceControl;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingException;

/**
 * What CREW does with a pushed configuration, in place of openvpn's own ifconfig and route calls: the TUN device's
 * address, MTU and link state through {@link InterfaceControl}, and the session's routes as a {@link SessionSpec}
 * for the CRE engine, which installs, protects and later removes them.
 *
 * <p>The routes follow openvpn's meaning, as the AWS client applies them: every pushed or profile route through the
 * tunnel gateway is protected; a route through {@code net_gateway} stays outside the tunnel and CRE allows
 * conflicts inside it; redirect-gateway installs the halves 0.0.0.0/1 and 128.0.0.0/1 (and ::/1, 8000::/1 for IPv6)
 * plus the server's address via the LAN gateway, so the tunnel's own packets still leave through the LAN.
 */
public final class TunnelNetwork {
    private static final List<Cidr> IPV4_HALVES = List.of(Cidr.parse("0.0.0.0/1"), Cidr.parse("128.0.0.0/1"));
    private static final List<Cidr> IPV6_HALVES = List.of(Cidr.parse("::/1"), Cidr.parse("8000::/1"));

    private TunnelNetwork() {
    }

    /**
     * The enforcement session for a pushed configuration.
     *
     * @param table the device's routing table now (for the LAN interface of the net gateway)
     */
    public static SessionSpec sessionSpec(String sessionId, PushedConfiguration c, List<DeviceRoute> table, EnforcementMode mode,
            Duration reconcileInterval) {
        if (c.device().isEmpty()) {
            throw new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "openvpn reported no tunnel device ('dev' is missing)");
        }
        Optional<IpAddress> netGateway = c.netGateway().filter(g -> g.high() != 0 || g.low() != 0);
        Optional<DeviceRoute> lan = netGateway.flatMap(g -> lanRoute(table, g));
        Set<Cidr> protect = new LinkedHashSet<>();
        Set<Cidr> exempt = new LinkedHashSet<>();
        List<DeviceRoute> bypass = new ArrayList<>();
        for (PushedRoute r : c.routes()) {
            boolean viaLan = netGateway.isPresent() && r.gateway().equals(netGateway) && !r.gateway().equals(c.vpnGateway());
            if (viaLan) {
                exempt.add(r.destination());
                lan.ifPresent(l -> bypass.add(DeviceRoute.of(r.destination(), netGateway.get(), l.interfaceName(), 0)));
            } else {
                protect.add(r.destination());
            }
        }
        protect.addAll(c.ipv6Routes().stream().map(PushedRoute::destination).toList());
        if (c.redirectGateway()) {
            boolean flagged = c.environment().containsKey("route_redirect_gateway_ipv4") || c.environment().containsKey("route_redirect_gateway_ipv6");
            if (c.environment().containsKey("route_redirect_gateway_ipv4") || (!flagged && c.ipv4Address().isPresent())) {
                protect.addAll(IPV4_HALVES);
            }
            if (c.environment().containsKey("route_redirect_gateway_ipv6")) {
                protect.addAll(IPV6_HALVES);
            }
            // the tunnel's own packets must still reach the server through the LAN
            IpAddress server = c.trustedIp().orElseThrow(() -> new TunnelException(TunnelException.Reason.OPENVPN_FAILED,
                    "full tunnel without the server's address (trusted_ip): cannot keep the tunnel's own traffic outside it"));
            if (lan.isEmpty()) {
                throw new TunnelException(TunnelException.Reason.DEVICE, "full tunnel needs a default route to reach the server " + server
                        + " outside the tunnel, and the device has none" + netGateway.map(g -> " through " + g).orElse(""));
            }
            if (server.family() == IpFamily.IPV4) {
                // first an on-link route to the gateway: CRE removes the LAN's connected route, which is more specific
                // than the halves, and the server route needs its gateway reachable
                bypass.add(DeviceRoute.of(Cidr.host(netGateway.get()), null, lan.get().interfaceName(), 0));
                bypass.add(DeviceRoute.of(Cidr.host(server), netGateway.get(), lan.get().interfaceName(), 0));
                exempt.add(Cidr.host(server));
                exempt.add(Cidr.host(netGateway.get()));
            }
        }
        if (protect.isEmpty()) {
            throw new TunnelException(TunnelException.Reason.DEVICE, "the server pushed no route through the tunnel: nothing to install or protect");
        }
        return new SessionSpec(sessionId, c.device(), c.vpnGateway().orElse(null), List.copyOf(protect), List.copyOf(exempt), bypass, mode, null,
                reconcileInterval);
    }

    /** The route the device uses to reach its LAN gateway: the main-table default through it, else any route containing it. */
    static Optional<DeviceRoute> lanRoute(List<DeviceRoute> table, IpAddress gateway) {
        Optional<DeviceRoute> viaDefault = table.stream()
                .filter(r -> r.inMainTable() && r.destination().isDefault() && gateway.equals(r.gateway()))
                .min(java.util.Comparator.comparingInt(DeviceRoute::metric));
        if (viaDefault.isPresent()) {
            return viaDefault;
        }
        return table.stream().filter(r -> r.inMainTable() && r.interfaceName() != null && r.destination().contains(gateway))
                .max(java.util.Comparator.comparingInt(r -> r.destination().prefixLength()));
    }

    /** Brings the TUN device up with the pushed MTU and addresses (openvpn ran with --ifconfig-noexec). */
    public static void configureInterface(RoutingBackend backend, PushedConfiguration c) throws RoutingException {
        InterfaceControl links = control(backend);
        String mtu = c.environment().get("tun_mtu");
        if (mtu != null) {
            try {
                links.setMtu(c.device(), Integer.parseInt(mtu));
            } catch (NumberFormatException e) {
                throw new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "tun_mtu '" + mtu + "' is not a number");
            }
        }
        for (InterfaceAddress a : addresses(c)) {
            try {
                links.addAddress(c.device(), new InterfaceControl.InterfaceAddress(a.address(), a.prefixLength()));
            } catch (RoutingException e) {
                if (!e.isAlreadyExists()) {
                    throw e;
                }
            }
        }
        links.setUp(c.device(), true);
    }

    /** Takes the pushed addresses off the TUN device again (a reconnect that assigns other addresses). */
    public static void deconfigureInterface(RoutingBackend backend, PushedConfiguration c) throws RoutingException {
        InterfaceControl links = control(backend);
        for (InterfaceAddress a : addresses(c)) {
            links.deleteAddress(c.device(), new InterfaceControl.InterfaceAddress(a.address(), a.prefixLength()));
        }
    }

    private static List<InterfaceAddress> addresses(PushedConfiguration c) {
        List<InterfaceAddress> list = new ArrayList<>();
        c.ipv4Address().ifPresent(list::add);
        c.ipv6Address().ifPresent(list::add);
        return list;
    }

    private static InterfaceControl control(RoutingBackend backend) {
        if (backend instanceof InterfaceControl links) {
            return links;
        }
        throw new TunnelException(TunnelException.Reason.DEVICE, "the " + backend.platform()
                + " routing backend cannot configure network interfaces, so CREW cannot own the tunnel device here");
    }
}
