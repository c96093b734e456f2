package crew.model.device;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.PrefixTrie;

/**
 * AWS Client Routes Enforcement's definition of a conflict, written once: the designer's prediction
 * (crew.design's ConflictDetector) and the enforcement engine (crew.enforce's ConflictRule) both ask this class.
 *
 * <p>A device route conflicts when it is in the main routing table, sends traffic somewhere (unicast or throw; not a
 * route that drops traffic, nor the host's own local, broadcast, multicast or anycast entries), does not go through
 * the tunnel device, is not one of the session's bypass routes, lies outside the ranges CRE ignores and outside the
 * exempt ranges ({@code net_gateway} profile routes), and overlaps a protected destination so that it would win
 * over it: a longer prefix inside it, or the same prefix (through another gateway or interface, since it is not on
 * the tunnel).
 *
 * <p>One check is one walk down a prefix trie (at most 32 or 128 steps) for the protected destinations and one for
 * the exempt ranges, whatever their number. Immutable and thread-safe once built.
 */
public final class ConflictDefinition {

    /** Why a conflicting route wins over the protected destination. */
    public enum Kind {
        /** A longer prefix inside the protected range. */
        MORE_SPECIFIC,
        /** The same prefix through another gateway or interface. */
        SAME_PREFIX_OTHER_GATEWAY
    }

    /**
     * A conflict's facts.
     *
     * @param protectedDestination the most specific protected destination containing the route's destination
     */
    public record Verdict(Cidr protectedDestination, Kind kind) {
    }

    private final PrefixTrie<Boolean> protectedDestinations = new PrefixTrie<>();
    private final PrefixTrie<String> exempt = new PrefixTrie<>();
    private final String tunnelInterface;
    private final Set<BypassKey> bypass = new HashSet<>();
    private final boolean mainTableOnly;

    /** What makes a route one of the session's bypass routes. */
    private record BypassKey(Cidr destination, IpAddress gateway, int table) {
        static BypassKey of(DeviceRoute r) {
            return new BypassKey(r.destination(), r.gateway(), r.table());
        }
    }

    /**
     * @param protectedDestinations the destinations CRE keeps on the tunnel (pushed routes, the full-tunnel halves,
     *        profile routes to the VPN gateway)
     * @param exemptRanges          ranges where conflicts are allowed ({@code net_gateway} profile routes, the VPN
     *                              server's host route, the LAN gateway's host route)
     * @param ignoredRanges         the ranges CRE never enforces ({@link ClientRouteEnforcement#IGNORED_RANGES})
     * @param tunnelInterface       the tunnel device: routes through it are the VPN's own (null: none known)
     * @param bypassRoutes          routes the session itself installs outside the tunnel
     * @param mainTableOnly         whether routes of other tables are left alone (AWS: yes)
     */
    public ConflictDefinition(Collection<Cidr> protectedDestinations, Collection<Cidr> exemptRanges, Collection<Cidr> ignoredRanges,
            String tunnelInterface, Collection<DeviceRoute> bypassRoutes, boolean mainTableOnly) {
        protectedDestinations.forEach(c -> this.protectedDestinations.put(c, Boolean.TRUE));
        ignoredRanges.forEach(c -> exempt.put(c, "ignored by CRE"));
        exemptRanges.forEach(c -> {
            if (!exempt.containsKey(c)) {
                exempt.put(c, "exempt");
            }
        });
        this.tunnelInterface = tunnelInterface;
        bypassRoutes.forEach(r -> bypass.add(BypassKey.of(r)));
        this.mainTableOnly = mainTableOnly;
    }

    /** AWS's case: main table only, AWS's ignored ranges, no bypass routes. */
    public static ConflictDefinition aws(Collection<Cidr> protectedDestinations, Collection<Cidr> exemptRanges, String tunnelInterface) {
        return new ConflictDefinition(protectedDestinations, exemptRanges, ClientRouteEnforcement.IGNORED_RANGES, tunnelInterface, List.of(), true);
    }

    public int protectedCount() {
        return protectedDestinations.size();
    }

    /** Whether CRE leaves {@code destination} alone: inside an ignored or exempt range. */
    public boolean isExempt(Cidr destination) {
        return exempt.longestCovering(destination).isPresent();
    }

    /** The most specific protected destination containing {@code destination} or equal to it. */
    public Optional<Cidr> protectedCovering(Cidr destination) {
        return protectedDestinations.longestCovering(destination).map(PrefixTrie.Entry::cidr);
    }

    /**
     * {@link DeviceRoute#scope()} of an interface-scoped route (macOS RTF_IFSCOPE): it serves only sockets bound to
     * its interface and does not compete with the tunnel's routes, so it is never a conflict.
     */
    public static final String INTERFACE_SCOPE = "ifscope";

    /** Whether {@code route} goes through the tunnel device. */
    public boolean isThroughTunnel(DeviceRoute route) {
        return tunnelInterface != null && tunnelInterface.equals(route.interfaceName());
    }

    /** Whether a route of this type sends traffic on (drops and the host's own entries never conflict). */
    public static boolean forwards(RouteType type) {
        return type == RouteType.UNICAST || type == RouteType.THROW || type == RouteType.UNKNOWN;
    }

    /** The conflict {@code route} causes, if any. */
    public Optional<Verdict> check(DeviceRoute route) {
        if (mainTableOnly && !route.inMainTable()) {
            return Optional.empty();
        }
        if (route.table() == DeviceRoute.LOCAL_TABLE || !forwards(route.type()) || isThroughTunnel(route)
                || bypass.contains(BypassKey.of(route)) || INTERFACE_SCOPE.equals(route.scope())) {
            return Optional.empty();
        }
        Cidr d = route.destination();
        Optional<Cidr> covering = protectedCovering(d);
        if (covering.isEmpty() || isExempt(d)) {
            return Optional.empty();
        }
        Cidr p = covering.get();
        return Optional.of(new Verdict(p, p.prefixLength() < d.prefixLength() ? Kind.MORE_SPECIFIC : Kind.SAME_PREFIX_OTHER_GATEWAY));
    }
}
