package crew.routing.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;

/** Classifies every route of a table: built-in rules, refined by {@link RouteClassifier}s. */
public final class RouteInspector {

    /** The ranges AWS CRE ignores. */
    public static final List<Cidr> CRE_IGNORED_RANGES = crew.model.device.ClientRouteEnforcement.IGNORED_RANGES;

    private final List<RouteClassifier> classifiers;

    public RouteInspector(List<RouteClassifier> classifiers) {
        this.classifiers = List.copyOf(classifiers);
    }

    /** A route with its class and the reason for it. */
    public record ClassifiedRoute(DeviceRoute route, RouteClass routeClass, String reason) {
    }

    public List<ClassifiedRoute> classify(List<DeviceRoute> table) {
        List<ClassifiedRoute> result = new ArrayList<>(table.size());
        for (DeviceRoute route : table) {
            result.add(classify(route, table));
        }
        return result;
    }

    public ClassifiedRoute classify(DeviceRoute route, List<DeviceRoute> table) {
        for (RouteClassifier c : classifiers) {
            Optional<RouteClassifier.Classification> answer = c.classify(route, table);
            if (answer.isPresent()) {
                return new ClassifiedRoute(route, answer.get().routeClass(), answer.get().reason());
            }
        }
        return builtIn(route);
    }

    /** The classification that needs no session knowledge. */
    public static ClassifiedRoute builtIn(DeviceRoute route) {
        if (route.table() == DeviceRoute.LOCAL_TABLE || route.type() == RouteType.LOCAL || route.type() == RouteType.BROADCAST
                || "lo".equals(route.interfaceName()) || "lo0".equals(route.interfaceName())) {
            return new ClassifiedRoute(route, RouteClass.LOCAL, "the host's own addresses");
        }
        for (Cidr ignored : CRE_IGNORED_RANGES) {
            if (ignored.contains(route.destination())) {
                return new ClassifiedRoute(route, RouteClass.IGNORED_RANGE, "inside " + ignored + ", which CRE ignores");
            }
        }
        if (isTunnelInterface(route.interfaceName())) {
            return new ClassifiedRoute(route, RouteClass.TUNNEL, "through tunnel interface " + route.interfaceName());
        }
        return new ClassifiedRoute(route, RouteClass.OTHER, route.gateway() == null ? "on-link" : "via " + route.gateway());
    }

    /** tun/tap (OpenVPN), utun (macOS), wg (WireGuard), ppp. */
    public static boolean isTunnelInterface(String name) {
        return name != null && (name.startsWith("tun") || name.startsWith("tap") || name.startsWith("utun")
                || name.startsWith("wg") || name.startsWith("ppp"));
    }
}
