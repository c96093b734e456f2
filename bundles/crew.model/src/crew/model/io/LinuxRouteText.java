package crew.model.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/**
 * Reads the text of Linux {@code ip route}, {@code ip -6 route} and {@code ip route show table all} (also several of
 * them concatenated). Every word must be understood: an unknown keyword is an error naming the line.
 */
public final class LinuxRouteText {
    private static final Map<String, RouteType> TYPES = Map.of("unicast", RouteType.UNICAST, "local", RouteType.LOCAL, "broadcast",
            RouteType.BROADCAST, "multicast", RouteType.MULTICAST, "anycast", RouteType.ANYCAST, "blackhole", RouteType.BLACKHOLE,
            "unreachable", RouteType.UNREACHABLE, "prohibit", RouteType.PROHIBIT, "throw", RouteType.THROW);
    private static final Map<String, Integer> TABLES = Map.of("main", DeviceRoute.MAIN_TABLE, "local", DeviceRoute.LOCAL_TABLE,
            "default", 253);
    private static final Set<String> FLAGS = Set.of("onlink", "linkdown", "dead", "pervasive", "offload", "trap", "notify", "rt_offload",
            "rt_trap");
    /** Keywords whose value CREW keeps no field for; read and checked for presence only. */
    private static final Set<String> IGNORED_WITH_VALUE = Set.of("pref", "mtu", "expires", "advmss", "hoplimit", "initcwnd", "initrwnd",
            "rtt", "rttvar", "ssthresh", "cwnd", "realm", "realms", "weight", "quickack", "features", "congctl", "fastopen_no_cookie",
            "error", "tos", "dsfield", "nhid", "reordering", "window", "lock", "rto_min");

    private LinuxRouteText() {
    }

    public static List<DeviceRoute> parse(String source, String text) {
        List<DeviceRoute> routes = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                // multipath "nexthop via X dev Y weight 1" continuation: the route line before keeps the first hop
                String t = line.trim();
                if (t.startsWith("nexthop") && !routes.isEmpty()) {
                    continue;
                }
                throw new SourceFormatException(source, n + 1, "unexpected indented line '" + t + "'");
            }
            routes.add(parseLine(source, n + 1, line.trim()));
        }
        return routes;
    }

    static DeviceRoute parseLine(String source, int lineNo, String line) {
        String[] w = line.split("\\s+");
        int i = 0;
        RouteType type = RouteType.UNICAST;
        if (TYPES.containsKey(w[0]) && w.length > 1) {
            type = TYPES.get(w[0]);
            i++;
        }
        String destText = w[i++];
        IpAddress gateway = null;
        String dev = null;
        String proto = null;
        String scope = null;
        IpAddress src = null;
        int metric = 0;
        int table = DeviceRoute.MAIN_TABLE;
        Set<String> flags = new HashSet<>();
        while (i < w.length) {
            String k = w[i++];
            if (FLAGS.contains(k)) {
                flags.add(k);
                continue;
            }
            if (i >= w.length && !k.equals("nexthop")) {
                throw new SourceFormatException(source, lineNo, "'" + k + "' needs a value" + (knownKeyword(k) ? "" : " (or is an unknown word)"));
            }
            switch (k) {
                case "via" -> {
                    String g = w[i++];
                    if (g.equals("inet") || g.equals("inet6")) {
                        if (i >= w.length) {
                            throw new SourceFormatException(source, lineNo, "'via " + g + "' needs an address");
                        }
                        g = w[i++];
                    }
                    gateway = address(source, lineNo, g);
                }
                case "dev", "oif" -> dev = w[i++];
                case "proto" -> proto = w[i++];
                case "scope" -> scope = w[i++];
                case "src" -> src = address(source, lineNo, w[i++]);
                case "metric", "priority", "preference" -> metric = number(source, lineNo, k, w[i++]);
                case "table" -> {
                    String t = w[i++];
                    table = TABLES.containsKey(t) ? TABLES.get(t) : number(source, lineNo, "table", t);
                }
                case "nexthop" -> {
                    flags.add("multipath");
                    // inline multipath hops: keep the first hop's gateway and device
                    while (i < w.length) {
                        String h = w[i++];
                        if (h.equals("via") && i < w.length && gateway == null) {
                            gateway = address(source, lineNo, w[i++]);
                        } else if (h.equals("dev") && i < w.length && dev == null) {
                            dev = w[i++];
                        }
                    }
                }
                default -> {
                    if (!IGNORED_WITH_VALUE.contains(k)) {
                        throw new SourceFormatException(source, lineNo, "unknown word '" + k + "' in an ip route line");
                    }
                    i++;
                    if (k.equals("lock") && i < w.length) {
                        i++;
                    }
                }
            }
        }
        Cidr dest;
        if (destText.equals("default")) {
            IpFamily family = gateway != null ? gateway.family() : src != null ? src.family() : IpFamily.IPV4;
            dest = Cidr.of(family == IpFamily.IPV4 ? IpAddress.ofIpv4(0) : IpAddress.ofIpv6(0, 0), 0);
        } else {
            try {
                dest = destText.indexOf('/') >= 0 ? Cidr.parseLenient(destText) : Cidr.host(IpAddress.parse(destText));
            } catch (AddressFormatException e) {
                throw new SourceFormatException(source, lineNo, "bad destination: " + e.getMessage(), e);
            }
        }
        return new DeviceRoute(dest, gateway, dev, 0, metric, table, proto, scope, type, src, flags);
    }

    private static boolean knownKeyword(String k) {
        return Set.of("via", "dev", "oif", "proto", "scope", "src", "metric", "priority", "table").contains(k) || IGNORED_WITH_VALUE.contains(k);
    }

    static IpAddress address(String source, int line, String text) {
        try {
            return IpAddress.parse(text);
        } catch (AddressFormatException e) {
            throw new SourceFormatException(source, line, "bad address: " + e.getMessage(), e);
        }
    }

    static int number(String source, int line, String what, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                // Integer.parseInt would take other scripts' digits (U+0661, U+FF11) as numbers
                throw new SourceFormatException(source, line, what + " must be a whole number >= 0, not '" + text + "': character " + (i + 1)
                        + " is " + crew.model.net.AddressFormatException.describe(c) + ", not an ASCII digit");
            }
        }
        try {
            int v = Integer.parseInt(text.toLowerCase(Locale.ROOT));
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SourceFormatException(source, line, what + " must be a whole number >= 0, not '" + text + "'");
        }
    }
}
