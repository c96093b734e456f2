package crew.routing.api;

import java.util.Collection;
import java.util.Optional;

import crew.model.device.DeviceRoute;
import crew.model.net.IpAddress;

/** Which route of a table wins for a destination: the kernel's rule (longest prefix, then lowest metric). */
public final class RouteLookup {

    private RouteLookup() {
    }

    /** The winning route for {@code destination} in {@code table}, or empty when nothing matches. */
    public static Optional<DeviceRoute> lookup(Collection<DeviceRoute> routes, IpAddress destination, int table) {
        DeviceRoute best = null;
        for (DeviceRoute r : routes) {
            if (r.table() != table || !r.destination().contains(destination)) {
                continue;
            }
            if (best == null || r.destination().prefixLength() > best.destination().prefixLength()
                    || (r.destination().prefixLength() == best.destination().prefixLength() && r.metric() < best.metric())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The winning route in the main table. */
    public static Optional<DeviceRoute> lookupMain(Collection<DeviceRoute> routes, IpAddress destination) {
        return lookup(routes, destination, DeviceRoute.MAIN_TABLE);
    }
}
