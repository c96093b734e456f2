package crew.routing.inspect;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;

/**
 * Classifies every route of a table: built-in rules, refined by {@link RouteClassifier}s. A classifier that throws
 * (or answers null) is passed over for that route: the route is classified by the others and the built-in rules, and
 * the failure is kept ({@link #failures()}) for the caller to report. Thread-safe.
 */
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

    /**
     * A classifier that failed: its class, its bundle ({@code "NAME VERSION"}, or empty outside OSGi), the first
     * exception it threw and on how many routes it failed so far. The inspector passed over it on those routes.
     *
     * @since 1.1
     */
    public record ClassifierFailure(String classifier, String bundle, Throwable error, int routes) {

        /** One line for a user: which classifier failed, on how many routes, and its deepest cause. */
        public String message() {
            return "route classifier " + classifier + (bundle.isEmpty() ? "" : " (bundle " + bundle + ")") + " failed on " + routes
                    + (routes == 1 ? " route" : " routes") + " and was passed over: " + deepest(error);
        }

        private static String deepest(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
        }
    }

    /** Guarded by itself; keyed by identity (a classifier's equals is its own business). */
    private final Map<RouteClassifier, ClassifierFailure> failures = new IdentityHashMap<>();

    public List<ClassifiedRoute> classify(List<DeviceRoute> table) {
        List<ClassifiedRoute> result = new ArrayList<>(table.size());
        for (DeviceRoute route : table) {
            result.add(classify(route, table));
        }
        return result;
    }

    public ClassifiedRoute classify(DeviceRoute route, List<DeviceRoute> table) {
        for (RouteClassifier c : classifiers) {
            Optional<RouteClassifier.Classification> answer;
            try {
                answer = c.classify(route, table);
                if (answer == null) {
                    throw new NullPointerException(c.getClass().getName() + ".classify returned null instead of Optional.empty()");
                }
                if (answer.isPresent() && answer.get().routeClass() == null) {
                    throw new NullPointerException(c.getClass().getName() + ".classify returned a Classification without a RouteClass");
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin's bug (or a class missing from its bundle) must not cost the user the whole table
                failed(c, e);
                continue;
            }
            if (answer.isPresent()) {
                return new ClassifiedRoute(route, answer.get().routeClass(), answer.get().reason());
            }
        }
        return builtIn(route);
    }

    private void failed(RouteClassifier c, Throwable e) {
        synchronized (failures) {
            ClassifierFailure before = failures.get(c);
            if (before == null) {
                Bundle b = FrameworkUtil.getBundle(c.getClass());
                String bundle = b == null ? "" : b.getSymbolicName() + " " + b.getVersion();
                failures.put(c, new ClassifierFailure(c.getClass().getName(), bundle, e, 1));
            } else {
                failures.put(c, new ClassifierFailure(before.classifier(), before.bundle(), before.error(), before.routes() + 1));
            }
        }
    }

    /**
     * The classifiers that threw since this inspector was made, in the order they are asked (empty when none did).
     *
     * @since 1.1
     */
    public List<ClassifierFailure> failures() {
        synchronized (failures) {
            List<ClassifierFailure> out = new ArrayList<>();
            for (RouteClassifier c : classifiers) {
                ClassifierFailure f = failures.get(c);
                if (f != null && !out.contains(f)) {
                    out.add(f);
                }
            }
            return out;
        }
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
