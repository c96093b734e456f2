package crew.design.device;

import crew.model.device.DeviceRoute;

/**
 * A device route that overlaps a protected route and would win over it, so traffic for {@code route.destination()}
 * would leave outside the tunnel. CRE removes it.
 *
 * @param reason "more specific" or "same prefix via another gateway/interface"
 */
public record Conflict(DeviceRoute route, ProtectedRoute protectedRoute, String reason) {

    @Override
    public String toString() {
        return route + " conflicts with " + protectedRoute.destination() + " (" + reason + ")";
    }
}
