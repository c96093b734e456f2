package crew.design.device;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import crew.model.device.ConflictDefinition;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;

/**
 * The prediction's side of AWS CRE's conflict rule: {@link ConflictDefinition} (the one definition, which the
 * enforcement engine's ConflictRule uses too) over the protected routes of a prediction, giving each conflict the
 * {@link ProtectedRoute} it beats. Routes through the tunnel device are the VPN's own; routes inside the ignored
 * ranges (loopback, link-local, multicast, broadcast) and inside exempt ranges (profile {@code net_gateway} routes,
 * the route to the VPN server) never conflict. One check costs one walk down a trie (at most 32 or 128 steps), so a
 * table of n routes takes O(n). Immutable and thread-safe once built.
 */
public final class ConflictDetector {

    /** The ranges AWS CRE ignores. */
    public static final List<Cidr> IGNORED_RANGES = crew.model.device.ClientRouteEnforcement.IGNORED_RANGES;

    private final Map<Cidr, ProtectedRoute> byDestination = new LinkedHashMap<>();
    private final ConflictDefinition definition;

    /**
     * @param routes          the protected routes
     * @param exemptRanges    ranges where conflicts are allowed besides {@link #IGNORED_RANGES}: profile
     *                        {@code net_gateway} routes, the VPN server's host route and the host route to the LAN gateway
     * @param tunnelInterface the tunnel device (null: none)
     */
    public ConflictDetector(Collection<ProtectedRoute> routes, Collection<Cidr> exemptRanges, String tunnelInterface) {
        for (ProtectedRoute p : routes) {
            byDestination.putIfAbsent(p.destination(), p);
        }
        definition = ConflictDefinition.aws(byDestination.keySet(), exemptRanges, tunnelInterface);
    }

    /** The tunnel device is the protected routes' interface (the first one that names one). */
    public ConflictDetector(Collection<ProtectedRoute> routes, Collection<Cidr> exemptRanges) {
        this(routes, exemptRanges, routes.stream().map(ProtectedRoute::interfaceName).filter(n -> n != null).findFirst().orElse(null));
    }

    public ConflictDetector(Collection<ProtectedRoute> routes) {
        this(routes, List.of());
    }

    public int protectedCount() {
        return definition.protectedCount();
    }

    /** Whether CRE leaves {@code destination} alone (ignored or exempt range). */
    public boolean isExempt(Cidr destination) {
        return definition.isExempt(destination);
    }

    /** The conflict {@code route} causes, if any. */
    public Optional<Conflict> check(DeviceRoute route) {
        return definition.check(route).map(v -> new Conflict(route, byDestination.get(v.protectedDestination()),
                v.kind() == ConflictDefinition.Kind.MORE_SPECIFIC ? Conflict.Kind.MORE_SPECIFIC : Conflict.Kind.SAME_PREFIX_OTHER_GATEWAY));
    }

    /** Every conflict in {@code table}, in table order. */
    public List<Conflict> detect(Iterable<DeviceRoute> table) {
        List<Conflict> out = new ArrayList<>();
        for (DeviceRoute r : table) {
            check(r).ifPresent(out::add);
        }
        return out;
    }
}
