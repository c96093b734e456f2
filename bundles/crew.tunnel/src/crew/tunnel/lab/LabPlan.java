package crew.tunnel.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import crew.design.authz.AccessMatrix;
import crew.design.authz.AuthorizationEvaluator;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.endpoint.TransportProtocol;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/**
 * Everything the lab will create for one endpoint design, computed before anything is touched (pure, so it is
 * checked in plain unit tests and shown by {@code crew lab up --dry-run}).
 *
 * <pre>
 *   device namespace            server namespace ("the endpoint")             VPC namespace
 *   lan0 LAN.2/24  ---- veth ----  lan LAN.1/24, PUBLIC/32 on lo                 hosts on the design's
 *   default via LAN.1              openvpn server on PUBLIC:port, tun            networks (addresses on lo),
 *   openvpn client + CREW          authorization filter (nftables)  -- veth --  TCP echo on port 7
 *                                  core CORE.1/30, default via CORE.2           core0 CORE.2/30, default via CORE.1
 * </pre>
 * The LAN, core and public addresses are picked from a few candidates so that none overlaps the design's networks.
 */
public record LabPlan(String id, String deviceNamespace, String serverNamespace, String vpcNamespace, Cidr lan, IpAddress deviceLanAddress,
        IpAddress serverLanAddress, IpAddress publicAddress, Cidr core, IpAddress serverCoreAddress, IpAddress vpcCoreAddress,
        Cidr clientCidr, IpAddress serverTunnelAddress, Map<String, ClientAddress> clients, List<Cidr> pushedRoutes, boolean splitTunnel,
        List<IpAddress> dnsServers, boolean enforced, TransportProtocol protocol, int port, List<IpAddress> hosts, List<Cidr> routeDestinations,
        AccessMatrix access, List<LabClient> labClients, boolean ipv6, List<Cidr> pushedIpv6Routes, List<Cidr> routeDestinationsIpv6,
        Cidr clientIpv6Pool, Cidr coreIpv6) {

    /** The server's tunnel address: the first of the clients' IPv6 pool. */
    public IpAddress serverTunnelIpv6() {
        return IpAddress.ofIpv6(clientIpv6Pool.first().high(), clientIpv6Pool.first().low() + 1);
    }

    /** The endpoint's address on the endpoint-VPC link. */
    public IpAddress serverCoreIpv6() {
        return IpAddress.ofIpv6(coreIpv6.first().high(), coreIpv6.first().low() + 1);
    }

    /** The VPC's address on the endpoint-VPC link. */
    public IpAddress vpcCoreIpv6() {
        return IpAddress.ofIpv6(coreIpv6.first().high(), coreIpv6.first().low() + 2);
    }

    /** The TCP port of the echo service on every VPC host. */
    public static final int ECHO_PORT = 7;
    /**
     * The lab's private DNS zone, served by dnsmasq on the design's DNS server addresses in the VPC namespace (as a
     * Route 53 private hosted zone answers through the VPC resolver) and pushed as the tunnel's DNS domain.
     */
    public static final String PRIVATE_ZONE = "crew.internal";

    /** The private zone's names: host-N.crew.internal for the N-th VPC host (in {@link #hosts()} order). */
    public Map<String, IpAddress> dnsRecords() {
        Map<String, IpAddress> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            m.put("host-" + (i + 1) + "." + PRIVATE_ZONE, hosts.get(i));
        }
        return m;
    }

    /**
     * dnsmasq's arguments for the VPC namespace's DNS server: the private zone only (nothing forwarded, no
     * /etc/hosts, no configuration file), in the foreground, logging queries to standard error.
     */
    public List<String> dnsmasqArguments(String dnsmasq) {
        List<String> a = new ArrayList<>(List.of(dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--bind-interfaces", "--port=53", "--pid-file=", "--user=nobody", "--group=nogroup", "--log-facility=-", "--log-queries",
                "--local=/" + PRIVATE_ZONE + "/"));
        for (IpAddress d : dnsServers) {
            a.add("--listen-address=" + d);
        }
        dnsRecords().forEach((name, address) -> a.add("--host-record=" + name + "," + address));
        return a;
    }
    /** Interface names inside the namespaces. */
    public static final String DEVICE_LAN = "lan0";
    public static final String SERVER_LAN = "lan";
    public static final String SERVER_CORE = "core";
    public static final String VPC_CORE = "core0";

    /**
     * One client's tunnel addresses: its own /27 of the client CIDR, as AWS gives each connection, and, when the design
     * carries IPv6, an address in {@link #clientIpv6Pool} (or null), on-link as a /64: openvpn takes interface
     * prefixes of /64 to /124 only.
     */
    public record ClientAddress(IpAddress address, IpAddress gateway, int prefixLength, IpAddress ipv6) {
    }

    private static final List<Cidr> LAN_CANDIDATES = List.of(Cidr.parse("192.168.77.0/24"), Cidr.parse("172.29.77.0/24"),
            Cidr.parse("10.254.77.0/24"), Cidr.parse("100.126.77.0/24"));
    private static final List<Cidr> CORE_CANDIDATES = List.of(Cidr.parse("192.168.78.0/30"), Cidr.parse("172.29.78.0/30"),
            Cidr.parse("10.254.78.0/30"), Cidr.parse("100.126.78.0/30"));
    /**
     * The lab's IPv6 addressing (unique local addresses), each pool /64 taken from candidates in different /48s so
     * that a design routing one of them still gets a lab whose clients and links lie outside its networks.
     */
    private static final List<Cidr> CLIENT_IPV6_CANDIDATES = List.of(Cidr.parse("fd63:7265:7700::/64"), Cidr.parse("fd72:6577:7700::/64"),
            Cidr.parse("fdc3:7265:7700::/64"));
    private static final List<Cidr> CORE_IPV6_CANDIDATES = List.of(Cidr.parse("fd63:7265:7701::/64"), Cidr.parse("fd72:6577:7701::/64"),
            Cidr.parse("fdc3:7265:7701::/64"));
    private static final List<IpAddress> PUBLIC_CANDIDATES = List.of(IpAddress.parse("198.18.0.1"), IpAddress.parse("203.0.113.1"),
            IpAddress.parse("192.0.2.1"));

    /** Plans a lab; a design the lab cannot run is an {@link IllegalArgumentException} that says why. */
    public static LabPlan of(String id, EndpointDesign design, List<LabClient> clients) {
        if (!id.matches("[a-z0-9]{1,8}")) {
            throw new IllegalArgumentException("lab id '" + id + "' must be 1-8 lower-case letters or digits");
        }
        ClientVpnEndpoint e = design.endpoint();
        if (e == null || e.clientCidrBlock() == null) {
            throw new IllegalArgumentException("the design has no client CIDR: the lab needs one to give clients their addresses");
        }
        Cidr clientCidr = e.clientCidrBlock();
        if (clientCidr.family() != IpFamily.IPV4 || clientCidr.prefixLength() > 27) {
            throw new IllegalArgumentException("client CIDR " + clientCidr + " must be an IPv4 block of /27 or larger");
        }
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("the lab needs at least one client");
        }
        long blocks = 1L << (27 - clientCidr.prefixLength());
        if (clients.size() > blocks - 1) {
            throw new IllegalArgumentException(clients.size() + " clients do not fit in " + clientCidr + " (" + (blocks - 1) + " at most, one /27 each)");
        }
        Set<String> names = new java.util.HashSet<>();
        for (LabClient c : clients) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("lab client '" + c.name() + "' is listed twice");
            }
        }
        List<Cidr> designNetworks = new ArrayList<>();
        designNetworks.add(clientCidr);
        design.routes().forEach(r -> designNetworks.add(r.destinationCidr()));
        design.targetNetworks().forEach(t -> {
            if (t.subnetCidr() != null) {
                designNetworks.add(t.subnetCidr());
            }
        });
        design.authorizationRules().forEach(r -> designNetworks.add(r.targetNetworkCidr()));
        designNetworks.removeIf(Cidr::isDefault);
        Cidr lan = pick(LAN_CANDIDATES, designNetworks, "LAN");
        Cidr core = pick(CORE_CANDIDATES, designNetworks, "core link");
        IpAddress pub = PUBLIC_CANDIDATES.stream().filter(a -> designNetworks.stream().noneMatch(d -> d.contains(a))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the design covers every public address the lab could use for its server"));

        boolean carriesV6 = e.trafficIpAddressType() != null && e.trafficIpAddressType().carriesIpv6();
        // an IPv4 design gets no IPv6 in the lab: its pools are not used, nothing to avoid
        Cidr clientPool6 = carriesV6 ? pick(CLIENT_IPV6_CANDIDATES, designNetworks, "IPv6 client pool") : CLIENT_IPV6_CANDIDATES.get(0);
        Cidr core6 = carriesV6 ? pick(CORE_IPV6_CANDIDATES, designNetworks, "IPv6 core link") : CORE_IPV6_CANDIDATES.get(0);
        Map<String, ClientAddress> addresses = new LinkedHashMap<>();
        long base = clientCidr.first().low();
        for (int k = 0; k < clients.size(); k++) {
            long block = base + 32L * (k + 1); // block 0 holds the server's own address
            IpAddress v6 = IpAddress.ofIpv6(clientPool6.first().high(), clientPool6.first().low() + 0x1000 + k);
            addresses.put(clients.get(k).name(), new ClientAddress(IpAddress.ofIpv4((int) (block + 2)), IpAddress.ofIpv4((int) (block + 1)), 27,
                    carriesV6 ? v6 : null));
        }

        boolean carriesV4 = e.trafficIpAddressType() == null || e.trafficIpAddressType().carriesIpv4();
        List<Cidr> destinations = new ArrayList<>(new LinkedHashSet<>(design.routes().stream().map(ClientVpnRoute::destinationCidr)
                .filter(c -> c.family() == IpFamily.IPV4).toList()));
        List<Cidr> pushed = e.splitTunnel() && carriesV4 ? destinations.stream().filter(c -> !c.isDefault()).toList() : List.of();
        List<Cidr> destinations6 = carriesV6 ? new ArrayList<>(new LinkedHashSet<>(design.routes().stream().map(ClientVpnRoute::destinationCidr)
                .filter(c -> c.family() == IpFamily.IPV6).toList())) : List.of();
        List<Cidr> pushed6 = e.splitTunnel() ? destinations6.stream().filter(c -> !c.isDefault()).toList() : List.of();

        // one reachable host in every network the design routes to or associates, plus one "internet" host for full tunnel
        Set<IpAddress> hosts = new TreeSet<>();
        for (Cidr d : destinations) {
            if (!d.isDefault() && !d.equals(clientCidr) && !d.contains(clientCidr) && !clientCidr.contains(d)) {
                hosts.add(host(d));
            }
        }
        for (TargetNetwork t : design.targetNetworks()) {
            if (t.subnetCidr() != null && t.subnetCidr().family() == IpFamily.IPV4) {
                hosts.add(host(t.subnetCidr()));
            }
        }
        for (Cidr d : destinations6) {
            if (!d.isDefault()) {
                hosts.add(host(d));
            }
        }
        for (crew.model.endpoint.AuthorizationRule r : design.authorizationRules()) {
            Cidr c = r.targetNetworkCidr();
            if (carriesV6 && c.family() == IpFamily.IPV6 && !c.isDefault()) {
                hosts.add(host(c));
            }
            if (c.family() == IpFamily.IPV4 && !c.isDefault() && !c.equals(clientCidr) && !c.contains(clientCidr) && !clientCidr.contains(c)) {
                hosts.add(host(c));
            }
        }
        if (!e.splitTunnel() || destinations.stream().anyMatch(Cidr::isDefault)) {
            IpAddress internet = IpAddress.parse("198.51.100.10");
            if (designNetworks.stream().noneMatch(d -> d.contains(internet))) {
                hosts.add(internet);
            }
            IpAddress internet6 = IpAddress.parse("2001:db8:100::10");
            if (carriesV6 && designNetworks.stream().noneMatch(d -> d.contains(internet6))) {
                hosts.add(internet6);
            }
        }
        List<IpAddress> dns = e.dnsServers().stream().filter(IpAddress::isIpv4).toList();
        AccessMatrix access = new AuthorizationEvaluator(design.authorizationRules()).matrix();
        return new LabPlan(id, "crew-" + id + "-dev", "crew-" + id + "-srv", "crew-" + id + "-vpc", lan, offset(lan, 2), offset(lan, 1), pub, core,
                offset(core, 1), offset(core, 2), clientCidr, offset(clientCidr, 1), addresses, pushed, e.splitTunnel(), dns,
                e.clientRouteEnforcement(), e.transportProtocol() == null ? TransportProtocol.UDP : e.transportProtocol(),
                e.vpnPort() == 0 ? 443 : e.vpnPort(), List.copyOf(hosts), destinations, access, List.copyOf(clients), carriesV6, pushed6,
                List.copyOf(destinations6), clientPool6, core6);
    }

    /** The default clients: one in no group, and one member of each group the design's rules name. */
    public static List<LabClient> defaultClients(EndpointDesign design) {
        List<LabClient> list = new ArrayList<>();
        list.add(new LabClient("lab-user", Set.of()));
        for (String g : new AuthorizationEvaluator(design.authorizationRules()).groups()) {
            if (!g.equals(AuthorizationEvaluator.ANY_USER)) {
                list.add(new LabClient("member-" + g.replaceAll("[^A-Za-z0-9_.-]", "_"), Set.of(g)));
            }
        }
        return list;
    }

    private static Cidr pick(List<Cidr> candidates, List<Cidr> taken, String what) {
        return candidates.stream().filter(c -> taken.stream().noneMatch(c::overlaps)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the design's networks overlap every " + what + " the lab could use"));
    }

    /** A host address in a network: the tenth address, or the only one of a /32. */
    static IpAddress host(Cidr c) {
        if (c.family() == IpFamily.IPV6) {
            return c.prefixLength() >= 124 ? c.last() : IpAddress.ofIpv6(c.first().high(), c.first().low() + 0x10);
        }
        return c.prefixLength() >= 29 ? c.last() : offset(c, 10);
    }

    static IpAddress offset(Cidr c, int n) {
        return IpAddress.ofIpv4((int) (c.first().low() + n));
    }

    static String netmask(int prefixLength) {
        long m = prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
        return ((m >> 24) & 255) + "." + ((m >> 16) & 255) + "." + ((m >> 8) & 255) + "." + (m & 255);
    }

    /** The openvpn server configuration; paths are those of the lab's folder. */
    public String serverConfiguration(java.nio.file.Path dir) {
        List<String> c = new ArrayList<>();
        c.add("# CREW endpoint lab " + id + ": generated from the endpoint design; do not edit");
        c.add("mode server");
        c.add("tls-server");
        c.add("dev tun");
        c.add("topology subnet");
        c.add(protocol == TransportProtocol.TCP ? "proto tcp-server" : "proto udp");
        c.add("local " + publicAddress);
        c.add("port " + port);
        c.add("ifconfig " + serverTunnelAddress + " " + netmask(clientCidr.prefixLength()));
        if (ipv6) {
            c.add("ifconfig-ipv6 " + serverTunnelIpv6() + "/" + clientIpv6Pool.prefixLength() + " " + serverTunnelIpv6().next());
        }
        c.add("client-config-dir " + dir.resolve("ccd"));
        c.add("ccd-exclusive");
        c.add("ca " + dir.resolve("pki/ca.pem"));
        c.add("cert " + dir.resolve("pki/server.pem"));
        c.add("key " + dir.resolve("pki/server.key"));
        c.add("crl-verify " + dir.resolve("pki/crl.pem"));
        c.add("dh none");
        c.add("keepalive 2 10");
        if (protocol == TransportProtocol.UDP) {
            c.add("explicit-exit-notify 1");
        }
        c.add("push \"topology subnet\"");
        if (splitTunnel) {
            for (Cidr r : pushedRoutes) {
                c.add("push \"route " + r.network() + " " + netmask(r.prefixLength()) + "\"");
            }
            for (Cidr r : pushedIpv6Routes) {
                c.add("push \"route-ipv6 " + r + "\"");
            }
        } else {
            c.add(ipv6 ? "push \"redirect-gateway def1 ipv6\"" : "push \"redirect-gateway def1\"");
        }
        for (IpAddress d : dnsServers) {
            c.add("push \"dhcp-option DNS " + d + "\"");
        }
        if (!dnsServers.isEmpty()) {
            c.add("push \"dhcp-option DOMAIN " + PRIVATE_ZONE + "\"");
        }
        if (enforced) {
            // CREW's marker: the client sees OPENVPN_CREW_CRE=1 and enforces, as AWS's client follows the endpoint's flag
            c.add("push \"setenv-safe CREW_CRE 1\"");
        }
        c.add("status " + dir.resolve("server-status.txt") + " 1");
        c.add("verb 3");
        return String.join("\n", c) + "\n";
    }

    /** The client-config-dir file of one client: its fixed address in its own /27 and that /27's gateway. */
    public String clientConfigDirectory(String client) {
        ClientAddress a = clients.get(client);
        return "ifconfig-push " + a.address() + " " + netmask(a.prefixLength()) + "\npush \"route-gateway " + a.gateway() + "\"\n"
                + (a.ipv6() == null ? "" : "ifconfig-ipv6-push " + a.ipv6() + "/" + clientIpv6Pool.prefixLength() + " " + serverTunnelIpv6() + "\n");
    }

    /**
     * The server namespace's packet filter: traffic from the tunnel reaches only destinations the endpoint has a route
     * for and that the client's groups are authorized for, decided as `crew access` decides (longest rule prefix
     * first, first match wins). Returning traffic and the LAN side pass.
     */
    public String authorizationFilter() {
        StringBuilder s = new StringBuilder();
        s.append("table inet crew_lab {\n");
        s.append("  set routes { type ipv4_addr; flags interval; auto-merge; elements = { ");
        List<String> routeElems = routeDestinations.stream().map(Cidr::toString).toList();
        s.append(routeElems.isEmpty() ? "0.0.0.0/32" : String.join(", ", routeElems)).append(" } }\n");
        s.append("  set routes6 { type ipv6_addr; flags interval; auto-merge; elements = { ");
        List<String> routeElems6 = routeDestinationsIpv6.stream().map(Cidr::toString).toList();
        s.append(routeElems6.isEmpty() ? "::/128" : String.join(", ", routeElems6)).append(" } }\n");
        s.append("  chain forward {\n    type filter hook forward priority 0; policy accept;\n");
        s.append("    ct state established,related accept\n");
        s.append("    iifname != \"tun*\" accept\n");
        s.append("    ip daddr != @routes counter drop comment \"no endpoint route\"\n");
        s.append("    ip6 daddr != @routes6 counter drop comment \"no endpoint route\"\n");
        List<AccessMatrix.Row> rows = new ArrayList<>(access.rows().stream().filter(r -> r.range().family() == IpFamily.IPV4 || ipv6).toList());
        rows.sort(Comparator.comparingInt((AccessMatrix.Row r) -> r.range().prefixLength()).reversed());
        for (LabClient client : labClients) {
            for (AccessMatrix.Row row : rows) {
                boolean v6 = row.range().family() == IpFamily.IPV6;
                IpAddress src = v6 ? clients.get(client.name()).ipv6() : clients.get(client.name()).address();
                boolean allowed = Boolean.TRUE.equals(row.allowedByGroup().get(AuthorizationEvaluator.ANY_USER))
                        || client.groups().stream().anyMatch(g -> Boolean.TRUE.equals(row.allowedByGroup().get(g)));
                String ip = v6 ? "ip6" : "ip";
                s.append("    ").append(ip).append(" saddr ").append(src).append(" ").append(ip).append(" daddr ").append(row.range()).append(allowed ? " counter accept" : " counter drop")
                        .append(" comment \"").append(client.name()).append(allowed ? " authorized" : " not authorized").append("\"\n");
            }
        }
        s.append("    counter drop comment \"no authorization rule (default deny)\"\n");
        s.append("  }\n}\n");
        return s.toString();
    }
}
