package crew.routing.windows.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import crew.model.device.DeviceRoute;
import crew.routing.api.RoutingEvent;
import crew.routing.windows.iphlp.ForwardRow;
import crew.routing.windows.iphlp.ForwardRowCodec;
import crew.routing.windows.iphlp.IpHelperFormatException;
import crew.routing.windows.iphlp.IpHelperLayout;

/** Copied NotifyRouteChange2 notifications as CREW's routing events (pure: tested on rows built from the layout). */
public final class WindowsEvents {

    private WindowsEvents() {
    }

    /**
     * AddInstance is an added route, DeleteInstance a removed one, ParameterNotification a changed one (an added route
     * with the same identity: consumers replace). The InitialNotification only confirms the registration, and a
     * notification without a row (or with a row that does not decode) says nothing about which route: both are
     * dropped here, and an undecodable row becomes an Overrun without a table, so consumers know to re-read.
     */
    public static List<RoutingEvent> events(List<RouteChangeQueue.Notification> batch, Function<ForwardRow, DeviceRoute> toRoute, long nanos) {
        List<RoutingEvent> out = new ArrayList<>();
        for (RouteChangeQueue.Notification n : batch) {
            if (n.type() == IpHelperLayout.MIB_INITIAL_NOTIFICATION || n.row() == null) {
                continue;
            }
            ForwardRow row;
            try {
                row = ForwardRowCodec.decode(n.row(), 0);
            } catch (IpHelperFormatException e) {
                out.add(new RoutingEvent.Overrun("undecodable route notification: " + e.getMessage(), List.of(), List.of(), nanos));
                continue;
            }
            DeviceRoute r = toRoute.apply(row);
            switch (n.type()) {
                case IpHelperLayout.MIB_ADD_INSTANCE, IpHelperLayout.MIB_PARAMETER_NOTIFICATION -> out.add(new RoutingEvent.RouteAdded(r, nanos));
                case IpHelperLayout.MIB_DELETE_INSTANCE -> out.add(new RoutingEvent.RouteRemoved(r, nanos));
                default -> {
                }
            }
        }
        return out;
    }
}
