package crew.design.device;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.PrefixTrie;

/**
 * AWS CRE's conflict rule over a trie of protected routes: a main-table device route conflicts when it overlaps a
 * protected route and would take precedence over it, that is when it is more specific, or has the same prefix
 * through another gateway or interface. Routes inside the ignored ranges (loopback, link-local, multicast,
 * broadcast) and inside exempt ranges (profile {@code net_gateway} routes, the route to the VPN server) never
 * conflict. One check costs one walk down the trie (at most 32 or 128 steps), so a table of n routes takes O(n).
 * Immutable and thread-safe once built; the enforcement engine uses the same class.
 */
public final class ConflictDetector {

    /** The ranges AWS CRE ignores. */
    public static final List<Cidr> IGNORED_RANGES = crew.model.device.ClientRouteEnforcement.IGNORED_RANGES;

    private final PrefixTrie<List<ProtectedRoute>> protectedRoutes = new PrefixTrie<>();
    private final PrefixTrie<String> exempt = new PrefixTrie<>();

    /**
     * @param routes the protected routes
     * @param exemptRanges ranges where conflicts are allowed besides {@link #IGNORED_RANGES}: profile
     *        {@code net_gateway} routes, the VPN server's host route and the host route to the LAN gateway
     */
    public ConflictDetector(Collection<ProtectedRoute> routes, Collection<Cidr> exemptRanges) {
        for (ProtectedRoute p : routes) {
            Optional<List<ProtectedRoute>> at = protectedRoutes.get(p.destination());
            if (at.isPresent()) {
                at.get().add(p);
            } else {
                List<ProtectedRoute> l = new ArrayList<>(1);
                l.add(p);
                protectedRoutes.put(p.destination(), l);
            }
        }
        IGNORED_RANGES.forEach(c -> exempt.put(c, "ignored by CRE"));
        exemptRanges.forEach(c -> exempt.put(c, "exempt"));
    }

    public ConflictDetector(Collection<ProtectedRoute> routes) {
        this(routes, List.of());
    }

    public int protectedCount() {
        return protectedRoutes.size();
    }

    /** Whether CRE leaves {@code destination} alone (ignored or exempt range). */
    public boolean isExempt(Cidr destination) {
        return exempt.longestCovering(destination).isPresent();
    }

    /** The conflict {@code route} causes, if any. */
    public Optional<Conflict> check(DeviceRoute route) {
        if (!route.inMainTable() || !forwards(route.type())) {
            return Optional.empty(); // AWS CRE watches the main table only; local/broadcast entries are the host's own
        }
        Cidr d = route.destination();
        Optional<PrefixTrie.Entry<List<ProtectedRoute>>> cover = protectedRoutes.longestCovering(d);
        if (cover.isEmpty() || isExempt(d)) {
            return Optional.empty();
        }
        List<ProtectedRoute> ps = cover.get().value();
        if (cover.get().cidr().prefixLength() < d.prefixLength()) {
            return Optional.of(new Conflict(route, ps.get(0), Conflict.Kind.MORE_SPECIFIC));
        }
        for (ProtectedRoute p : ps) {
            if (same(p, route)) {
                return Optional.empty(); // it is the protected route itself
            }
        }
        return Optional.of(new Conflict(route, ps.get(0), Conflict.Kind.SAME_PREFIX_OTHER_GATEWAY));
    }

    /** Every conflict in {@code table}, in table order. */
    public List<Conflict> detect(Iterable<DeviceRoute> table) {
        List<Conflict> out = new ArrayList<>();
        for (DeviceRoute r : table) {
            check(r).ifPresent(out::add);
        }
        return out;
    }

    private static boolean forwards(RouteType t) {
        return t == RouteType.UNICAST || t == RouteType.BLACKHOLE || t == RouteType.UNREACHABLE || t == RouteType.PROHIBIT
                || t == RouteType.THROW;
    }

    private static boolean same(ProtectedRoute p, DeviceRoute r) {
        boolean gw = p.gateway() == null ? r.gateway() == null || r.gateway().equals(p.gateway()) : p.gateway().equals(r.gateway());
        boolean dev = p.interfaceName() == null || r.interfaceName() == null || Objects.equals(p.interfaceName(), r.interfaceName());
        return gw && dev;
    }
}
