package crew.routing.macos.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.RoutingEvent;
import crew.routing.macos.pfroute.PfRoute;
import crew.routing.macos.pfroute.PfRouteCodec;
import crew.routing.macos.pfroute.RouteMessage;

/** Routing-socket messages become the same events the Linux backend delivers. */
class MacosEventsTest {

    private static RouteMessage decode(byte[] b) throws Exception {
        return PfRouteCodec.decodeAll(b, b.length).get(0);
    }

    private static final DeviceRoute ROUTE = DeviceRoute.of(Cidr.parse("172.31.4.0/24"), IpAddress.parse("192.168.1.254"), null, 0);

    @Test
    void givenAddChangeAndDelete_whenTurnedIntoEvents_thenAddedAddedAndRemoved() throws Exception {
        RoutingEvent add = MacosEvents.event(decode(PfRouteCodec.encode(PfRoute.RTM_ADD, ROUTE, 0, 1)), i -> null, 5);
        assertEquals(ROUTE.destination(), assertInstanceOf(RoutingEvent.RouteAdded.class, add).route().destination());
        assertEquals(5, add.receivedNanos());
        RoutingEvent change = MacosEvents.event(decode(PfRouteCodec.encode(PfRoute.RTM_CHANGE, ROUTE, 0, 2)), i -> null, 6);
        assertInstanceOf(RoutingEvent.RouteAdded.class, change);
        RoutingEvent del = MacosEvents.event(decode(PfRouteCodec.encode(PfRoute.RTM_DELETE, ROUTE, 0, 3)), i -> null, 7);
        assertEquals(ROUTE.gateway(), assertInstanceOf(RoutingEvent.RouteRemoved.class, del).route().gateway());
    }

    @Test
    void givenAFailedRequestsEchoAndAGetReply_whenTurnedIntoEvents_thenNothing() throws Exception {
        byte[] failed = PfRouteCodec.encode(PfRoute.RTM_DELETE, ROUTE, 0, 3);
        failed[24] = 3; // rtm_errno ESRCH: the echo of a delete that found nothing
        assertNull(MacosEvents.event(decode(failed), i -> null, 1));
        assertNull(MacosEvents.event(decode(PfRouteCodec.encode(PfRoute.RTM_GET, ROUTE, 0, 3)), i -> null, 1));
    }

    @Test
    void givenAnIfinfo_whenTurnedIntoAnEvent_thenALinkChangeWithItsIndexAndUpFlag() throws Exception {
        // if_msghdr: msglen, version, type, addrs@4, flags@8 (IFF_UP 1), index@12, then if_data (112 bytes in all)
        byte[] b = new byte[112];
        b[0] = 112;
        b[2] = 5;
        b[3] = PfRoute.RTM_IFINFO;
        b[8] = 1;
        b[12] = 9;
        RoutingEvent.LinkChanged l = assertInstanceOf(RoutingEvent.LinkChanged.class, MacosEvents.event(decode(b), i -> "utun3", 1));
        assertEquals(9, l.index());
        assertEquals("utun3", l.name());
        assertEquals(true, l.up());
        assertEquals(List.of(), List.of());
    }
}
