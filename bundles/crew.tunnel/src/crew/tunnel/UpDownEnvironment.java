package crew.tunnel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * Collects the {@code >UPDOWN:ENV,name=value} lines openvpn sends after {@code >UPDOWN:UP} (with
 * {@code --management-up-down}) until {@code >UPDOWN:ENV,END}, then reads them into a {@link PushedConfiguration}.
 */
public final class UpDownEnvironment {
    private static final String ENV_PREFIX = ">UPDOWN:ENV,";
    /** The variable CREW's lab pushes ({@code push "setenv-safe CREW_CRE 1"}); openvpn prefixes setenv-safe names with OPENVPN_. */
    static final String ENFORCED_VARIABLE = "OPENVPN_CREW_CRE";

    private final Map<String, String> variables = new LinkedHashMap<>();
    private boolean ended;

    /** Feeds one line; returns true once ENV,END was seen. Lines other than ENV lines are rejected. */
    public boolean accept(String line) {
        if (ended) {
            throw new ManagementProtocolException("ENV line after ENV,END: " + line);
        }
        if (!line.startsWith(ENV_PREFIX)) {
            throw new ManagementProtocolException("expected '>UPDOWN:ENV,...', got: " + line);
        }
        String body = line.substring(ENV_PREFIX.length());
        if (body.equals("END")) {
            ended = true;
            return true;
        }
        int eq = body.indexOf('=');
        if (eq <= 0) {
            throw new ManagementProtocolException("ENV line without name=value: " + line);
        }
        variables.put(body.substring(0, eq), body.substring(eq + 1));
        return false;
    }

    public boolean ended() {
        return ended;
    }

    /** The variables read so far, in openvpn's order. */
    public Map<String, String> variables() {
        return java.util.Collections.unmodifiableMap(variables);
    }

    public PushedConfiguration toConfiguration() {
        if (!ended) {
            throw new ManagementProtocolException("the ENV block has not ended (no '>UPDOWN:ENV,END' yet)");
        }
        String device = variables.getOrDefault("dev", "");
        Optional<InterfaceAddress> v4 = Optional.empty();
        String local = variables.get("ifconfig_local");
        if (local != null) {
            String mask = variables.get("ifconfig_netmask");
            int bits = mask == null ? 32 : netmaskBits("ifconfig_netmask", mask);
            v4 = Optional.of(new InterfaceAddress(address("ifconfig_local", local), bits));
        }
        Optional<InterfaceAddress> v6 = Optional.empty();
        String local6 = variables.get("ifconfig_ipv6_local");
        if (local6 != null) {
            int bits = integer("ifconfig_ipv6_netbits", variables.getOrDefault("ifconfig_ipv6_netbits", "128"));
            v6 = Optional.of(interfaceAddress("ifconfig_ipv6_netbits", address("ifconfig_ipv6_local", local6), bits));
        }
        List<PushedRoute> routes = new ArrayList<>();
        for (int n = 1; variables.containsKey("route_network_" + n); n++) {
            IpAddress network = address("route_network_" + n, variables.get("route_network_" + n));
            String mask = variables.getOrDefault("route_netmask_" + n, "255.255.255.255");
            routes.add(new PushedRoute(Cidr.of(network, netmaskBits("route_netmask_" + n, mask)),
                    optionalAddress("route_gateway_" + n)));
        }
        List<PushedRoute> routes6 = new ArrayList<>();
        for (int n = 1; variables.containsKey("route_ipv6_network_" + n); n++) {
            String name = "route_ipv6_network_" + n;
            Cidr destination;
            try {
                destination = Cidr.parseLenient(variables.get(name));
            } catch (AddressFormatException e) {
                throw new ManagementProtocolException(name + ": " + e.getMessage());
            }
            routes6.add(new PushedRoute(destination, optionalAddress("route_ipv6_gateway_" + n)));
        }
        List<IpAddress> dns = new ArrayList<>();
        for (int n = 1; variables.containsKey("foreign_option_" + n); n++) {
            String[] words = variables.get("foreign_option_" + n).trim().split("\\s+");
            if (words.length == 3 && words[0].equals("dhcp-option") && (words[1].equals("DNS") || words[1].equals("DNS6"))) {
                dns.add(address("foreign_option_" + n, words[2]));
            }
        }
        // openvpn 2.6 "--dns server N address A" options arrive as dns_server_N_address_M
        for (int server = 0; server < 256; server++) {
            boolean any = false;
            for (int m = 1; variables.containsKey("dns_server_" + server + "_address_" + m); m++) {
                any = true;
                String value = variables.get("dns_server_" + server + "_address_" + m);
                // addresses may carry a port ("10.0.0.2:53" / "[fd00::2]:53"); the port is not routing input
                dns.add(address("dns_server_" + server + "_address_" + m, stripPort(value)));
            }
            if (!any && server > 0 && !variables.containsKey("dns_server_" + server + "_priority")) {
                break;
            }
        }
        boolean redirect = variables.containsKey("route_redirect_gateway_ipv4")
                || variables.containsKey("route_redirect_gateway_ipv6")
                || variables.containsKey("redirect_gateway");
        boolean enforced = "1".equals(variables.get(ENFORCED_VARIABLE));
        return new PushedConfiguration(device, v4, v6, routes, routes6, optionalAddress("route_vpn_gateway"),
                optionalAddress("route_net_gateway"), optionalAddress("trusted_ip"), redirect, dns, enforced,
                variables);
    }

    private static InterfaceAddress interfaceAddress(String name, IpAddress address, int bits) {
        try {
            return new InterfaceAddress(address, bits);
        } catch (IllegalArgumentException e) {
            throw new ManagementProtocolException(name + ": " + e.getMessage());
        }
    }

    private Optional<IpAddress> optionalAddress(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(address(name, value));
    }

    private static IpAddress address(String name, String value) {
        try {
            return IpAddress.parse(value);
        } catch (AddressFormatException e) {
            throw new ManagementProtocolException(name + "=" + value + ": " + e.getMessage());
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ManagementProtocolException(name + "=" + value + ": not a number");
        }
    }

    private static String stripPort(String value) {
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            return close > 0 ? value.substring(1, close) : value;
        }
        int colon = value.indexOf(':');
        return colon > 0 && value.indexOf(':', colon + 1) < 0 ? value.substring(0, colon) : value;
    }

    /** Prefix length of a contiguous IPv4 netmask; a non-contiguous mask is an error, not a guess. */
    static int netmaskBits(String name, String mask) {
        IpAddress address = address(name, mask);
        byte[] bytes = address.toBytes();
        if (bytes.length != 4) {
            throw new ManagementProtocolException(name + "=" + mask + ": not an IPv4 netmask");
        }
        int value = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        int bits = Integer.bitCount(value);
        if (bits != 0 && value != (-1 << (32 - bits))) {
            throw new ManagementProtocolException(name + "=" + mask + ": netmask is not contiguous");
        }
        return bits;
    }
}
