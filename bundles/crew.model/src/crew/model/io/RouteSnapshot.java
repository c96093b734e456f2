package crew.model.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import crew.model.device.DeviceRoute;

/** A device routing-table snapshot file in one of the three text formats, recognised by its content. */
public final class RouteSnapshot {

    /** The text formats CREW reads. */
    public enum Format { LINUX_IP_ROUTE, BSD_NETSTAT, WINDOWS_ROUTE_PRINT }

    private RouteSnapshot() {
    }

    /** Recognises the format: netstat's "Internet:" section, route print's "Route Table", else ip route. */
    public static Format detect(String text) {
        if (text.contains("IPv4 Route Table") || text.contains("IPv6 Route Table")) {
            return Format.WINDOWS_ROUTE_PRINT;
        }
        if (text.contains("Internet:") || text.contains("Internet6:") || text.startsWith("Routing tables")) {
            return Format.BSD_NETSTAT;
        }
        return Format.LINUX_IP_ROUTE;
    }

    public static List<DeviceRoute> parse(String source, String text) {
        return parse(source, text, detect(text));
    }

    public static List<DeviceRoute> parse(String source, String text, Format format) {
        return switch (format) {
            case LINUX_IP_ROUTE -> LinuxRouteText.parse(source, text);
            case BSD_NETSTAT -> NetstatRouteText.parse(source, text);
            case WINDOWS_ROUTE_PRINT -> WindowsRouteText.parse(source, text);
        };
    }

    public static List<DeviceRoute> read(Path file) throws IOException {
        return parse(file.toString(), TextFiles.read(file));
    }
}
