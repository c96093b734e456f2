package crew.tunnel;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import crew.model.net.IpAddress;

/**
 * What the server pushed, as openvpn reports it in the {@code >UPDOWN:ENV} block when it runs with
 * {@code --route-noexec --ifconfig-noexec}: nothing here has been applied to the device yet.
 *
 * @param device            tun device name ({@code dev})
 * @param ipv4Address       {@code ifconfig_local} with the prefix from {@code ifconfig_netmask} (topology subnet)
 * @param ipv6Address       {@code ifconfig_ipv6_local}/{@code ifconfig_ipv6_netbits}
 * @param routes            IPv4 routes in push order
 * @param ipv6Routes        IPv6 routes in push order
 * @param vpnGateway        {@code route_vpn_gateway}
 * @param netGateway        {@code route_net_gateway}: the device's gateway before the tunnel
 * @param trustedIp         {@code trusted_ip}: the server address that must stay reachable outside the tunnel
 * @param redirectGateway   true when the server pushed redirect-gateway (full tunnel)
 * @param dnsServers        DNS servers from {@code foreign_option_N} "dhcp-option DNS" or {@code dns_server_N_address_M}
 * @param enforced          true when the server pushed CREW's {@code CREW_CRE=1} marker
 * @param environment       every ENV variable, for what this record does not model
 */
public record PushedConfiguration(String device, Optional<InterfaceAddress> ipv4Address, Optional<InterfaceAddress> ipv6Address,
        List<PushedRoute> routes, List<PushedRoute> ipv6Routes, Optional<IpAddress> vpnGateway,
        Optional<IpAddress> netGateway, Optional<IpAddress> trustedIp, boolean redirectGateway,
        List<IpAddress> dnsServers, boolean enforced, Map<String, String> environment) {
    public PushedConfiguration {
        routes = List.copyOf(routes);
        ipv6Routes = List.copyOf(ipv6Routes);
        dnsServers = List.copyOf(dnsServers);
        environment = Map.copyOf(environment);
    }
}
