package crew.enforce;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import crew.model.device.ConflictDefinition;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.routing.api.PolicyRule;

/**
 * Decides whether a device route conflicts with a session's protected destinations, with AWS CRE's definition as
 * {@link ConflictDefinition} writes it once for the engine and the designer's prediction alike: the route overlaps a
 * protected destination and would win over it (a longer prefix inside it, or the same prefix through another
 * gateway or interface), outside the ignored ranges and the `net_gateway` exemptions. Routes through the tunnel,
 * routes that drop traffic, and the session's own bypass routes are never conflicts. Policy rules that divert a
 * protected destination (extended and strict modes) are the engine's own addition.
 *
 * <p>Cost per route: one walk down a prefix trie (at most 32 or 128 steps), whatever the number of protected
 * destinations, so a million device routes against ten thousand protected ones stays linear.
 */
public final class ConflictRule {
    private final Set<Cidr> protectedSet;
    private final ConflictDefinition definition;

    public ConflictRule(SessionSpec spec) {
        this(spec.protectedDestinations(), spec.exemptDestinations(), spec.ignoredRanges(), spec.tunnelInterface(), spec.bypassRoutes(),
                true); // other tables matter only through policy rules, which EXTENDED and STRICT handle
    }

    public ConflictRule(List<Cidr> protectedDestinations, List<Cidr> exempt, List<Cidr> ignored, String tunnelInterface,
            List<DeviceRoute> bypass, boolean mainTableOnly) {
        this.protectedSet = new HashSet<>(protectedDestinations);
        this.definition = new ConflictDefinition(protectedDestinations, exempt, ignored, tunnelInterface, bypass, mainTableOnly);
    }

    /** The most specific protected destination containing {@code destination} (or equal to it), if any. */
    public Optional<Cidr> protectedCovering(Cidr destination) {
        return definition.protectedCovering(destination);
    }

    /** {@link DeviceRoute#scope()} of an interface-scoped route (the macOS backend's RTF_IFSCOPE): never a conflict. */
    public static final String INTERFACE_SCOPE = ConflictDefinition.INTERFACE_SCOPE;

    /** Whether {@code route} is one of the session's own routes: through the tunnel device. */
    public boolean isThroughTunnel(DeviceRoute route) {
        return definition.isThroughTunnel(route);
    }

    /** The conflict {@code route} causes, if any ({@link ConflictDefinition}, the definition the designer's prediction uses). */
    public Optional<Conflict> check(DeviceRoute route) {
        return definition.check(route).map(v -> {
            Cidr p = v.protectedDestination();
            return new Conflict(route, p, () -> reason(route, p)); // formatted when someone reads it
        });
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
