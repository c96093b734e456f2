package crew.model.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/**
 * Reads Windows {@code route print} text: the IPv4 Route Table (destination, netmask, gateway or On-link, interface
 * address, metric) and the IPv6 Route Table (If, metric, destination, gateway; long rows wrap onto a second line).
 * The Interface List and the Persistent Routes sections are configuration, not the active table, and are read
 * past; any other line must be understood.
 */
public final class WindowsRouteText {

    private enum Section { NONE, INTERFACES, V4, V6, PERSISTENT }

    private WindowsRouteText() {
    }

    public static List<DeviceRoute> parse(String source, String text) {
        List<DeviceRoute> routes = new ArrayList<>();
        Section section = Section.NONE;
        IpFamily family = null;
        String[] lines = text.split("\r?\n", -1);
        boolean sawTable = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            int lineNo = n + 1;
            if (line.isEmpty() || line.chars().allMatch(c -> c == '=')) {
                continue;
            }
            switch (line) {
                case "Interface List" -> { section = Section.INTERFACES; continue; }
                case "IPv4 Route Table" -> { section = Section.V4; family = IpFamily.IPV4; sawTable = true; continue; }
                case "IPv6 Route Table" -> { section = Section.V6; family = IpFamily.IPV6; sawTable = true; continue; }
                case "Active Routes:" -> {
                    if (family == null) {
                        throw new SourceFormatException(source, lineNo, "'Active Routes:' outside an IPv4/IPv6 Route Table");
                    }
                    section = family == IpFamily.IPV4 ? Section.V4 : Section.V6;
                    continue;
                }
                case "Persistent Routes:" -> { section = Section.PERSISTENT; continue; }
                default -> { }
            }
            if (line.startsWith("Network Destination") || line.startsWith("If Metric") || line.startsWith("Network Address")) {
                continue;
            }
            switch (section) {
                case INTERFACES, PERSISTENT -> {
                    // interface names and persistent (configured) routes: not part of the active table
                }
                case V4 -> routes.add(v4(source, lineNo, line.split("\\s+")));
                case V6 -> {
                    String[] w = line.split("\\s+");
                    if (w.length == 3 && n + 1 < lines.length && lines[n + 1].trim().split("\\s+").length == 1) {
                        n++;
                        w = new String[] {w[0], w[1], w[2], lines[n].trim()};
                    }
                    routes.add(v6(source, lineNo, w));
                }
                case NONE -> throw new SourceFormatException(source, lineNo, "not route print output (expected 'IPv4 Route Table' first)");
            }
        }
        if (!sawTable) {
            throw new SourceFormatException(source, 1, "not route print output (no 'IPv4 Route Table' or 'IPv6 Route Table')");
        }
        return routes;
    }

    private static DeviceRoute v4(String source, int lineNo, String[] w) {
        if (w.length != 5) {
            throw new SourceFormatException(source, lineNo,
                    "an IPv4 route line has 5 columns (destination, netmask, gateway, interface, metric), found " + w.length);
        }
        IpAddress dest = LinuxRouteText.address(source, lineNo, w[0]);
        IpAddress mask = LinuxRouteText.address(source, lineNo, w[1]);
        Cidr cidr;
        try {
            cidr = Cidr.ofNetmask(dest, mask, w[0] + " " + w[1]);
        } catch (AddressFormatException e) {
            throw new SourceFormatException(source, lineNo, e.getMessage(), e);
        }
        if (cidr.family() != IpFamily.IPV4) {
            throw new SourceFormatException(source, lineNo, "mixed families: " + w[0] + " in the IPv4 Route Table");
        }
        IpAddress gateway = w[2].equalsIgnoreCase("On-link") ? null : LinuxRouteText.address(source, lineNo, w[2]);
        IpAddress iface = LinuxRouteText.address(source, lineNo, w[3]);
        int metric = LinuxRouteText.number(source, lineNo, "metric", w[4]);
        return new DeviceRoute(cidr, gateway, w[3], 0, metric, DeviceRoute.MAIN_TABLE, null, null, RouteType.UNICAST, iface, Set.of());
    }

    private static DeviceRoute v6(String source, int lineNo, String[] w) {
        if (w.length != 4) {
            throw new SourceFormatException(source, lineNo, "an IPv6 route line has 4 columns (If, metric, destination, gateway), found " + w.length);
        }
        int ifIndex = LinuxRouteText.number(source, lineNo, "interface index", w[0]);
        int metric = LinuxRouteText.number(source, lineNo, "metric", w[1]);
        Cidr cidr;
        try {
            cidr = Cidr.parseLenient(w[2]);
        } catch (AddressFormatException e) {
            throw new SourceFormatException(source, lineNo, "bad destination: " + e.getMessage(), e);
        }
        if (cidr.family() != IpFamily.IPV6) {
            throw new SourceFormatException(source, lineNo, "mixed families: " + w[2] + " in the IPv6 Route Table");
        }
        IpAddress gateway = w[3].equalsIgnoreCase("On-link") ? null : LinuxRouteText.address(source, lineNo, w[3]);
        return new DeviceRoute(cidr, gateway, null, ifIndex, metric, DeviceRoute.MAIN_TABLE, null, null, RouteType.UNICAST, null, Set.of());
    }
}
