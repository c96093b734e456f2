package crew.design.device;

import crew.model.device.DeviceRoute;

/**
 * A device route that overlaps a protected route and would win over it, so traffic for {@code route.destination()}
 * would leave outside the tunnel. CRE removes it.
 *
 * @param kind why it wins; the text is built only when asked for ({@link #reason()}), since a million-route table
 *             can have hundreds of thousands of conflicts
 */
public record Conflict(DeviceRoute route, ProtectedRoute protectedRoute, Kind kind) {

    /** How a conflicting route beats the protected one. */
    public enum Kind {
        /** A longer prefix inside the protected range. */
        MORE_SPECIFIC,
        /** The same prefix through another gateway or interface. */
        SAME_PREFIX_OTHER_GATEWAY
    }

    /** The reason in words, naming the protected route. */
    public String reason() {
        return kind == Kind.MORE_SPECIFIC ? "more specific than protected " + protectedRoute.destination()
                : "same prefix as protected " + protectedRoute.destination() + " via another gateway or interface";
    }

    @Override
    public String toString() {
        return route + " conflicts with " + protectedRoute.destination() + " (" + reason() + ")";
    }
}
