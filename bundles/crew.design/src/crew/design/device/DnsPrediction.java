package crew.design.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.net.IpAddress;

/**
 * The DNS a device gets from an endpoint: the endpoint's DNS servers, pushed as {@code dhcp-option DNS} (none: the
 * device keeps its own resolver, as AWS documents). CREW's tunnel puts them on the tunnel link: a split tunnel
 * sends only names under the domains the server pushes there (systemd-resolved routing domains; without
 * systemd-resolved the servers replace the resolver's), a full tunnel sends every name.
 */
public record DnsPrediction(List<IpAddress> servers, boolean splitTunnel) {
    public DnsPrediction {
        servers = List.copyOf(servers);
    }

    public static DnsPrediction of(ClientVpnEndpoint endpoint) {
        return new DnsPrediction(endpoint.dnsServers(), endpoint.splitTunnel());
    }

    /** One line for people. */
    public String describe() {
        if (servers.isEmpty()) {
            return "none pushed: the device keeps its own resolver";
        }
        String list = String.join(", ", servers.stream().map(IpAddress::toString).toList());
        return list + (splitTunnel ? " on the tunnel link for the domains the endpoint pushes (split tunnel: other names keep the device's resolver)"
                : " on the tunnel link for every name (full tunnel)");
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("servers", servers.stream().map(IpAddress::toString).toList());
        m.put("scope", servers.isEmpty() ? "device" : splitTunnel ? "pushed-domains" : "all-names");
        m.put("description", describe());
        return m;
    }
}
