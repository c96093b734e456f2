package crew.model.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/**
 * Reads macOS/BSD {@code netstat -rn} (and {@code -rnl}) text: the Internet and Internet6 sections, abbreviated IPv4
 * destinations ({@code 10.63/16}, {@code 172.16.8/24}, classful {@code 127}), {@code link#N} and MAC gateways
 * (on-link), {@code %iface} zones, flags and netif. ARP/NDP entries (a MAC address as gateway) and cloned entries
 * (flag W) are the kernel's caches, not routes: they are checked for form and left out.
 */
public final class NetstatRouteText {

    private NetstatRouteText() {
    }

    public static List<DeviceRoute> parse(String source, String text) {
        List<DeviceRoute> routes = new ArrayList<>();
        IpFamily family = null;
        int flagsCol = -1;
        int netifCol = -1;
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            int lineNo = n + 1;
            if (line.isEmpty() || line.equals("Routing tables")) {
                continue;
            }
            if (line.equals("Internet:")) {
                family = IpFamily.IPV4;
                continue;
            }
            if (line.equals("Internet6:")) {
                family = IpFamily.IPV6;
                continue;
            }
            if (line.startsWith("Destination")) {
                List<String> head = List.of(line.split("\\s+"));
                flagsCol = head.indexOf("Flags");
                netifCol = head.indexOf("Netif");
                if (flagsCol != 2 || netifCol < 0) {
                    throw new SourceFormatException(source, lineNo, "unexpected netstat header (want Destination Gateway Flags ... Netif)");
                }
                if (family == null) {
                    throw new SourceFormatException(source, lineNo, "header before an 'Internet:' or 'Internet6:' section line");
                }
                continue;
            }
            if (family == null || flagsCol < 0) {
                throw new SourceFormatException(source, lineNo, "not netstat -rn output (expected 'Internet:' and a Destination header first)");
            }
            String[] w = line.split("\\s+");
            if (w.length < 4) {
                throw new SourceFormatException(source, lineNo, "a route line needs Destination Gateway Flags Netif, found " + w.length + " columns");
            }
            DeviceRoute r = route(source, lineNo, family, w); // checked for form either way
            if (!isCacheEntry(w)) {
                routes.add(r); // an ARP/NDP or cloned entry is the kernel's cache, not a route of the table
            }
        }
        if (routes.isEmpty() && family == null) {
            throw new SourceFormatException(source, 1, "not netstat -rn output (no 'Internet:' section)");
        }
        return routes;
    }

    /**
     * Whether a row is a link-layer or cloned cache entry rather than a route: its gateway is a MAC address (an ARP
     * or NDP entry, flag L) or it has flag W (cloned from a route, "was cloned"). They come and go with traffic, CRE
     * does not remove them, and reading them as routes would list the LAN gateway's host address twice over.
     */
    static boolean isCacheEntry(String[] w) {
        return w[1].matches("([0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}") || w[2].indexOf('W') >= 0;
    }

    private static DeviceRoute route(String source, int lineNo, IpFamily family, String[] w) {
        String flagText = w[2];
        for (char c : flagText.toCharArray()) {
            if (!Character.isLetter(c) && c != '1' && c != '2' && c != '3') {
                throw new SourceFormatException(source, lineNo, "bad flags '" + flagText + "'");
            }
        }
        boolean host = flagText.indexOf('H') >= 0;
        String netif = w[3];
        Cidr dest = destination(source, lineNo, family, stripZone(w[0]), host);
        IpAddress gateway = null;
        int ifIndex = 0;
        String g = w[1];
        if (g.startsWith("link#")) {
            ifIndex = LinuxRouteText.number(source, lineNo, "link#", g.substring(5));
        } else if (g.matches("([0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}")) {
            // an ARP/ND entry: the destination is on-link, the MAC is not a route gateway
        } else {
            IpAddress a = LinuxRouteText.address(source, lineNo, stripZone(g));
            if (a.family() != family) {
                throw new SourceFormatException(source, lineNo, "mixed families: " + family + " section with gateway " + g);
            }
            gateway = a;
        }
        Set<String> flags = new HashSet<>();
        for (char c : flagText.toCharArray()) {
            flags.add(String.valueOf(c));
        }
        RouteType type = flagText.indexOf('B') >= 0 ? RouteType.BLACKHOLE : flagText.indexOf('R') >= 0 ? RouteType.UNREACHABLE
                : flagText.indexOf('m') >= 0 ? RouteType.MULTICAST : RouteType.UNICAST;
        return new DeviceRoute(dest, gateway, netif, ifIndex, 0, DeviceRoute.MAIN_TABLE, null, null, type, null, flags);
    }

    private static String stripZone(String s) {
        int pct = s.indexOf('%');
        if (pct < 0) {
            return s;
        }
        int slash = s.indexOf('/', pct);
        return s.substring(0, pct) + (slash >= 0 ? s.substring(slash) : "");
    }

    static Cidr destination(String source, int lineNo, IpFamily family, String text, boolean host) {
        try {
            if (text.equals("default")) {
                return Cidr.of(family == IpFamily.IPV4 ? IpAddress.ofIpv4(0) : IpAddress.ofIpv6(0, 0), 0);
            }
            if (family == IpFamily.IPV6) {
                Cidr c = text.indexOf('/') >= 0 ? Cidr.parseLenient(text) : Cidr.host(IpAddress.parse(text));
                if (c.family() != family) {
                    throw new SourceFormatException(source, lineNo, "mixed families: IPv4 destination " + text + " in the Internet6 section");
                }
                return c;
            }
            if (text.indexOf(':') >= 0) {
                throw new SourceFormatException(source, lineNo, "mixed families: IPv6 destination " + text + " in the Internet section");
            }
            int slash = text.indexOf('/');
            String addr = slash >= 0 ? text.substring(0, slash) : text;
            String[] octets = addr.split("\\.", -1);
            if (octets.length > 4) {
                throw new SourceFormatException(source, lineNo, "bad destination '" + text + "': more than four octets");
            }
            StringBuilder full = new StringBuilder(addr);
            for (int i = octets.length; i < 4; i++) {
                full.append(".0");
            }
            int prefix;
            if (slash >= 0) {
                prefix = LinuxRouteText.number(source, lineNo, "prefix length", text.substring(slash + 1));
            } else {
                // BSD prints network routes without their zero octets and without /len when the mask is classful-by-octets
                prefix = host ? 32 : octets.length * 8;
            }
            if (prefix > 32) {
                throw new SourceFormatException(source, lineNo, "bad destination '" + text + "': prefix length over 32");
            }
            return Cidr.parseLenient(full + "/" + prefix);
        } catch (AddressFormatException e) {
            throw new SourceFormatException(source, lineNo, "bad destination: " + e.getMessage(), e);
        }
    }
}
