package crew.enforce;

import java.util.Objects;
import java.util.function.Supplier;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;

/**
 * A device route that would take traffic for a protected destination away from the tunnel, and why. The reason is
 * text for people; {@link ConflictRule} creates conflicts with the reason formatted on first use, so that detecting
 * and removing a conflict formats nothing before the delete is sent.
 */
public final class Conflict {
    private final DeviceRoute route;
    private final Cidr protectedDestination;
    private Supplier<String> reasonSource;
    private String reason;

    public Conflict(DeviceRoute route, Cidr protectedDestination, String reason) {
        this.route = Objects.requireNonNull(route, "route");
        this.protectedDestination = Objects.requireNonNull(protectedDestination, "protectedDestination");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    Conflict(DeviceRoute route, Cidr protectedDestination, Supplier<String> reason) {
        this.route = Objects.requireNonNull(route, "route");
        this.protectedDestination = Objects.requireNonNull(protectedDestination, "protectedDestination");
        this.reasonSource = reason;
    }

    public DeviceRoute route() {
        return route;
    }

    public Cidr protectedDestination() {
        return protectedDestination;
    }

    /** Why the route conflicts, e.g. "more specific than protected 172.31.0.0/16, so it wins for 172.31.1.0/24". */
    public synchronized String reason() {
        if (reason == null) {
            reason = reasonSource.get();
            reasonSource = null;
        }
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conflict c && c.route.equals(route) && c.protectedDestination.equals(protectedDestination) && c.reason().equals(reason());
    }

    @Override
    public int hashCode() {
        return Objects.hash(route, protectedDestination, reason());
    }

    @Override
    public String toString() {
        return "Conflict[route=" + route + ", protectedDestination=" + protectedDestination + ", reason=" + reason() + "]";
    }
}
