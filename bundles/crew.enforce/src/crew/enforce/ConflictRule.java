package crew.enforce;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.PolicyRule;

/**
 * Decides whether a device route conflicts with a session's protected destinations, with AWS CRE's definition: the
 * route overlaps a protected destination and would win over it (a longer prefix inside it, or the same prefix
 * through another gateway or interface), outside the ignored ranges and the `net_gateway` exemptions. Routes
 * through the tunnel, routes that drop traffic, and the session's own bypass routes are never conflicts.
 *
 * <p>Cost per route: one hash lookup per prefix length (at most 33 for IPv4, 129 for IPv6), whatever the number of
 * protected destinations, so a million device routes against ten thousand protected ones stays linear.
 */
public final class ConflictRule {
    private final Set<Cidr> protectedSet;
    private final int[] protectedLengths4;
    private final int[] protectedLengths6;
    private final List<Cidr> exempt;
    private final List<Cidr> ignored;
    private final String tunnelInterface;
    private final Set<BypassKey> bypassKeys = new HashSet<>();
    private final boolean mainTableOnly;

    public ConflictRule(SessionSpec spec) {
        this(spec.protectedDestinations(), spec.exemptDestinations(), spec.ignoredRanges(), spec.tunnelInterface(), spec.bypassRoutes(),
                true); // other tables matter only through policy rules, which EXTENDED and STRICT handle
    }

    public ConflictRule(List<Cidr> protectedDestinations, List<Cidr> exempt, List<Cidr> ignored, String tunnelInterface,
            List<DeviceRoute> bypass, boolean mainTableOnly) {
        this.protectedSet = new HashSet<>(protectedDestinations);
        this.protectedLengths4 = protectedDestinations.stream().filter(c -> c.family().bits() == 32).mapToInt(Cidr::prefixLength).distinct().sorted().toArray();
        this.protectedLengths6 = protectedDestinations.stream().filter(c -> c.family().bits() == 128).mapToInt(Cidr::prefixLength).distinct().sorted().toArray();
        this.exempt = List.copyOf(exempt);
        this.ignored = List.copyOf(ignored);
        this.tunnelInterface = tunnelInterface;
        for (DeviceRoute b : bypass) {
            bypassKeys.add(BypassKey.of(b));
        }
        this.mainTableOnly = mainTableOnly;
    }

    /** What makes a route one of the session's bypass routes. */
    private record BypassKey(Cidr destination, IpAddress gateway, int table) {
        static BypassKey of(DeviceRoute r) {
            return new BypassKey(r.destination(), r.gateway(), r.table());
        }
    }

    /** The least specific protected destination containing {@code destination} (or equal to it), if any. */
    public Optional<Cidr> protectedCovering(Cidr destination) {
        int[] lengths = destination.family().bits() == 32 ? protectedLengths4 : protectedLengths6;
        for (int len : lengths) {
            if (len > destination.prefixLength()) {
                break;
            }
            Cidr candidate = Cidr.of(destination.network(), len);
            if (protectedSet.contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code route} is one of the session's own routes: through the tunnel device. */
    /** {@link DeviceRoute#scope()} of an interface-scoped route (the macOS backend's RTF_IFSCOPE). */
    public static final String INTERFACE_SCOPE = "ifscope";

    public boolean isThroughTunnel(DeviceRoute route) {
        return tunnelInterface.equals(route.interfaceName());
    }

    /** The conflict {@code route} causes, if any. */
    public Optional<Conflict> check(DeviceRoute route) {
        if (mainTableOnly && !route.inMainTable()) {
            return Optional.empty();
        }
        // an interface-scoped route (macOS RTF_IFSCOPE) serves only sockets bound to its interface: it does not compete
        if (route.table() == DeviceRoute.LOCAL_TABLE || route.type().drops() || isThroughTunnel(route)
                || bypassKeys.contains(BypassKey.of(route)) || INTERFACE_SCOPE.equals(route.scope())) {
            return Optional.empty();
        }
        Optional<Cidr> covering = protectedCovering(route.destination());
        if (covering.isEmpty()) {
            return Optional.empty();
        }
        for (Cidr range : ignored) {
            if (range.contains(route.destination())) {
                return Optional.empty();
            }
        }
        for (Cidr range : exempt) {
            if (range.contains(route.destination())) {
                return Optional.empty();
            }
        }
        Cidr p = covering.get();
        return Optional.of(new Conflict(route, p, () -> reason(route, p))); // formatted when someone reads it
    }

    private static String reason(DeviceRoute route, Cidr p) {
        return route.destination().equals(p)
                ? "same prefix as protected " + p + " but " + (route.gateway() == null ? "on-link" : "via " + route.gateway())
                        + (route.interfaceName() == null ? "" : " dev " + route.interfaceName()) + " instead of the tunnel"
                : "more specific than protected " + p + ", so it wins for " + route.destination();
    }

    /**
     * Whether a policy rule sends traffic for a protected destination somewhere other than the main table before main
     * is consulted (EXTENDED and STRICT modes). CREW's own pinning rules are recognised by their table.
     */
    public Optional<Cidr> divertedBy(PolicyRule rule, int crewTable) {
        if (!rule.diverts() || rule.table() == crewTable) {
            return Optional.empty();
        }
        if (rule.to() == null) {
            // "from X lookup T" without a destination diverts everything it matches, protected destinations included
            return protectedSet.stream().filter(p -> p.family() == rule.family()).findFirst();
        }
        Optional<Cidr> covering = protectedCovering(rule.to());
        if (covering.isPresent()) {
            return covering;
        }
        return protectedSet.stream().filter(p -> rule.to().contains(p)).findFirst();
    }
}
