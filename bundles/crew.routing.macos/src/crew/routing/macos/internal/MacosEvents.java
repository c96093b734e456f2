package crew.routing.macos.internal;

import java.util.function.IntFunction;

import crew.model.device.DeviceRoute;
import crew.routing.api.RoutingEvent;
import crew.routing.macos.pfroute.PfRoute;
import crew.routing.macos.pfroute.PfRouteCodec;
import crew.routing.macos.pfroute.PfRouteFormatException;
import crew.routing.macos.pfroute.RouteMessage;

/** Routing-socket messages as CREW's routing events (pure: tested on decoded bytes). */
public final class MacosEvents {

    private MacosEvents() {
    }

    /**
     * The event a message means, or null: RTM_ADD and RTM_CHANGE are an added (replacing) route, RTM_DELETE a removed
     * one, RTM_IFINFO a link change; failed requests (rtm_errno set), ARP and cloned entries and RTM_MISS/RTM_GET
     * replies are not changes.
     */
    public static RoutingEvent event(RouteMessage m, IntFunction<String> names, long receivedNanos) throws PfRouteFormatException {
        if (m.isInterface()) {
            return new RoutingEvent.LinkChanged(m.index(), names == null ? null : names.apply(m.index()), (m.flags() & 1) != 0, false,
                    receivedNanos);
        }
        if (m.errno() != 0) {
            return null;
        }
        return switch (m.type()) {
            case PfRoute.RTM_ADD, PfRoute.RTM_CHANGE -> {
                DeviceRoute r = PfRouteCodec.toRoute(m, names);
                yield r == null ? null : new RoutingEvent.RouteAdded(r, receivedNanos);
            }
            case PfRoute.RTM_DELETE -> {
                DeviceRoute r = PfRouteCodec.toRoute(m, names);
                yield r == null ? null : new RoutingEvent.RouteRemoved(r, receivedNanos);
            }
            default -> null;
        };
    }
}
