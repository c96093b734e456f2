package crew.design.device;

import java.util.ArrayList;
import java.util.List;

import crew.model.net.Cidr;

/**
 * Networks that devices commonly have on their own, before any VPN: container bridges, the LANs that consumer routers
 * and hotspots hand out, virtualisation hosts' networks, carrier-grade NAT. A VPN route that covers one takes it over
 * (with Client Routes Enforcement the device's route to it is removed); a VPN route inside one takes that part of
 * the device's network away. Each entry names where its default is documented.
 */
public final class FleetNetworks {

    /**
     * One network devices commonly have.
     *
     * @param common whether it is a default that most such devices have (a warning when taken) rather than one that
     *               some have (information)
     * @param source where the default is documented
     */
    public record Network(Cidr cidr, String what, String source, boolean common) {
        @Override
        public String toString() {
            return cidr + " (" + what + ")";
        }
    }

    /** The list, most common first. */
    public static final List<Network> ALL = List.of(
            net("172.17.0.0/16", "Docker's default bridge, docker0", "Docker documentation, bridge network driver: default subnet", true),
            net("100.64.0.0/10", "carrier-grade NAT shared address space (mobile carriers, some ISPs; Tailscale's addresses)", "RFC 6598", true),
            net("192.168.0.0/24", "home router LAN (common consumer-router default)", "RFC 1918 space; router makers' default LAN settings", true),
            net("192.168.1.0/24", "home router LAN (the most common consumer-router default)", "RFC 1918 space; router makers' default LAN settings", true),
            net("10.0.0.0/24", "home router LAN (ISP gateways' default, e.g. Comcast Xfinity)", "ISP gateway documentation: default LAN 10.0.0.1", true),
            net("192.168.178.0/24", "home router LAN (AVM FRITZ!Box default)", "AVM FRITZ!Box manual: default address 192.168.178.1", true),
            net("192.168.86.0/24", "home router LAN (Google Nest Wifi / Google Wifi default)", "Google Nest Wifi help: default LAN 192.168.86.0/24", true),
            net("172.20.10.0/28", "iPhone Personal Hotspot", "Apple: Personal Hotspot hands out 172.20.10.x", true),
            net("192.168.43.0/24", "Android Wi-Fi hotspot (AOSP default)", "AOSP tethering default address 192.168.43.1", true),
            net("172.16.0.0/12", "Docker's default address pools for user-defined networks (172.17-172.31, /16 each) and WSL2's virtual network",
                    "Docker daemon documentation: default-address-pools; Microsoft WSL documentation: WSL2 NAT network", false),
            net("192.168.0.0/16", "Docker's default address pool for user-defined networks beyond 172.31 (/20 each)", "Docker daemon documentation: default-address-pools", false),
            net("10.88.0.0/16", "Podman's default network", "Podman documentation: podman network, default subnet 10.88.0.0/16", false),
            net("192.168.122.0/24", "libvirt's default NAT network (virbr0)", "libvirt documentation: default network", false),
            net("192.168.56.0/24", "VirtualBox host-only network", "VirtualBox manual: host-only networking, 192.168.56.1", false),
            net("10.0.2.0/24", "VirtualBox NAT network of each VM", "VirtualBox manual: NAT mode, 10.0.2.0/24", false),
            net("192.168.49.0/24", "minikube's Docker-driver network", "minikube documentation: docker driver network 192.168.49.0/24", false),
            net("192.168.65.0/24", "Docker Desktop's VM network", "Docker Desktop documentation: networking, 192.168.65.0/24", false));

    private FleetNetworks() {
    }

    private static Network net(String cidr, String what, String source, boolean common) {
        return new Network(Cidr.parse(cidr), what, source, common);
    }

    /**
     * What a VPN route does to one of these networks.
     *
     * @param covers whether the VPN route covers the whole network (the device's route to it is more specific: CRE
     *               removes it); otherwise the VPN route lies inside the network and takes that part of it
     */
    public record Takeover(Cidr vpnRoute, Network network, boolean covers) {
    }

    /** The networks {@code vpnRoute} overlaps, in list order (no network twice). */
    public static List<Takeover> takenBy(Cidr vpnRoute) {
        List<Takeover> out = new ArrayList<>();
        for (Network n : ALL) {
            if (vpnRoute.family() != n.cidr().family()) {
                continue;
            }
            if (vpnRoute.contains(n.cidr())) {
                out.add(new Takeover(vpnRoute, n, true));
            } else if (n.cidr().contains(vpnRoute)) {
                out.add(new Takeover(vpnRoute, n, false));
            }
        }
        return out;
    }
}
