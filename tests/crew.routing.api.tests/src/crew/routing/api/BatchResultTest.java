package crew.routing.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** {@link BatchResult#deleteEach}: the one-at-a-time batch of the backends whose OS has no batch call. */
class BatchResultTest {
    private static DeviceRoute route(String cidr) {
        return DeviceRoute.of(Cidr.parse(cidr), IpAddress.parse("192.168.1.1"), "en0", 0);
    }

    @Test
    void givenOneRouteGoneAndOneRefused_whenDeletedEach_thenGoneCountsAsDone_theRefusalIsKept_andTheRestStillTried() {
        DeviceRoute ok = route("10.1.0.0/16");
        DeviceRoute gone = route("10.2.0.0/16");
        DeviceRoute refused = route("10.3.0.0/16");
        DeviceRoute last = route("10.4.0.0/16");
        RoutingException denied = new RoutingException("delete route " + refused, 1, "Operation not permitted");
        List<DeviceRoute> tried = new ArrayList<>();
        BatchResult result = BatchResult.deleteEach(List.of(ok, gone, refused, last), r -> {
            tried.add(r);
            if (r == gone) {
                throw new RoutingException("delete route " + r, RoutingException.ESRCH, "No such process");
            }
            if (r == refused) {
                throw denied;
            }
        });
        assertEquals(List.of(ok, gone, refused, last), tried, "every route is tried, in order");
        assertEquals(List.of(ok, gone, last), result.done());
        assertEquals(1, result.failed().size());
        assertSame(refused, result.failed().get(0).route());
        assertSame(denied, result.failed().get(0).error());
        assertFalse(result.allDone());
    }
}
