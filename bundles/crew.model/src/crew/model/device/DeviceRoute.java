package crew.model.device;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * One route of a device's routing table, OS-neutral: what {@code ip route}, {@code netstat -rn}, {@code route print},
 * rtnetlink, IP Helper or a routing socket report. Fields an OS does not have are {@code null}/0/empty.
 *
 * @param destination    the destination block (default route: 0.0.0.0/0 or ::/0)
 * @param gateway        next hop, or {@code null} for on-link routes
 * @param interfaceName  outgoing interface name (eth0, en0, "Ethernet 2"), or {@code null}
 * @param interfaceIndex outgoing interface index, or 0 when unknown
 * @param metric         route metric/priority (lower wins among equal prefixes); 0 when unknown
 * @param table          routing table id (Linux: 254 main, 255 local); {@link #MAIN_TABLE} elsewhere
 * @param protocol       who installed it (Linux rtm_protocol names: kernel, boot, static, dhcp, ...), or {@code null}
 * @param scope          Linux scope (universe, link, host), or {@code null}
 * @param type           what the route does
 * @param source         preferred source address, or {@code null}
 * @param flags          OS flags as text (netstat's UGSc letters, Linux "onlink"/"linkdown"), possibly empty
 */
public record DeviceRoute(Cidr destination, IpAddress gateway, String interfaceName, int interfaceIndex, int metric,
        int table, String protocol, String scope, RouteType type, IpAddress source, Set<String> flags) {

    /** Linux's main table id; the only table AWS CRE watches. */
    public static final int MAIN_TABLE = 254;
    /** Linux's local table id (addresses of this host, broadcast). */
    public static final int LOCAL_TABLE = 255;

    public DeviceRoute {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(type, "type");
        flags = flags == null ? Set.of() : Set.copyOf(flags);
        // a gateway of the other family is allowed: Linux has IPv4 routes via IPv6 next hops (RTA_VIA)
    }

    /** A unicast main-table route through {@code gateway} (null for on-link) on {@code interfaceName}. */
    public static DeviceRoute of(Cidr destination, IpAddress gateway, String interfaceName, int metric) {
        return new DeviceRoute(destination, gateway, interfaceName, 0, metric, MAIN_TABLE, null, null, RouteType.UNICAST,
                null, Set.of());
    }

    public Optional<IpAddress> gatewayAddress() {
        return Optional.ofNullable(gateway);
    }

    public boolean inMainTable() {
        return table == MAIN_TABLE;
    }

    public DeviceRoute withTable(int newTable) {
        return new DeviceRoute(destination, gateway, interfaceName, interfaceIndex, metric, newTable, protocol, scope, type, source, flags);
    }

    public DeviceRoute withMetric(int newMetric) {
        return new DeviceRoute(destination, gateway, interfaceName, interfaceIndex, newMetric, table, protocol, scope, type, source, flags);
    }

    public DeviceRoute withInterface(String name, int index) {
        return new DeviceRoute(destination, gateway, name, index, metric, table, protocol, scope, type, source, flags);
    }

    /**
     * The kernel's identity of a route: destination, table, metric (and type). Two routes with the same key cannot
     * coexist in a Linux table; adding one replaces or fails with EEXIST.
     */
    public String key() {
        return destination + " table " + table + " metric " + metric + (type == RouteType.UNICAST ? "" : " " + type);
    }

    /** One line in {@code ip route} style, for humans and logs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (type != RouteType.UNICAST) {
            sb.append(type.name().toLowerCase()).append(' ');
        }
        sb.append(destination.isDefault() && destination.family() == crew.model.net.IpFamily.IPV4 ? "default" : destination.toString());
        if (gateway != null) {
            sb.append(" via ").append(gateway);
        }
        if (interfaceName != null) {
            sb.append(" dev ").append(interfaceName);
        }
        if (table != MAIN_TABLE) {
            sb.append(" table ").append(table);
        }
        if (protocol != null) {
            sb.append(" proto ").append(protocol);
        }
        if (scope != null && !scope.equals("universe")) {
            sb.append(" scope ").append(scope);
        }
        if (source != null) {
            sb.append(" src ").append(source);
        }
        if (metric != 0) {
            sb.append(" metric ").append(metric);
        }
        return sb.toString();
    }
}
