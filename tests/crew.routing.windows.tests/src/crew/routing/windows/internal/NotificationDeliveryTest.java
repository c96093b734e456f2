package crew.routing.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.RoutingEvent;
import crew.routing.windows.iphlp.ForwardRow;
import crew.routing.windows.iphlp.ForwardRowCodec;
import crew.routing.windows.iphlp.IpHelperLayout;

/**
 * NotifyRouteChange2's semantics without Windows: the callback arrives on a thread that is not CREW's, with a row
 * valid only during the call (so it is copied there), possibly several at once; the initial notification and rows the
 * OS did not pass carry no route.
 */
class NotificationDeliveryTest {

    private static byte[] row(String cidr, String hop) {
        return ForwardRowCodec.encode(ForwardRow.manual(0x77, 4, Cidr.parse(cidr), hop == null ? null : IpAddress.parse(hop), 5));
    }

    @Test
    void givenCallbacksOnAnotherThread_whenDrained_thenTheyArriveTogetherAsCopiesInOrder() throws Exception {
        RouteChangeQueue q = new RouteChangeQueue();
        CountDownLatch done = new CountDownLatch(1);
        byte[] reused = new byte[IpHelperLayout.ROW2_SIZE]; // the OS's buffer: overwritten after each call
        Thread os = new Thread(() -> {
            for (String c : List.of("172.31.1.0/24", "172.31.2.0/24", "172.31.3.0/24")) {
                System.arraycopy(row(c, "192.168.1.254"), 0, reused, 0, reused.length);
                q.offer(reused.clone(), IpHelperLayout.MIB_ADD_INSTANCE); // what the backend's callback does: copy inside
            }
            java.util.Arrays.fill(reused, (byte) 0xEE);
            done.countDown();
        }, "os-callback");
        os.start();
        done.await();
        assertFalse(q.onCallbackThread(), "this test thread is not the callback's");
        List<RouteChangeQueue.Notification> batch = q.drain(1000);
        assertEquals(3, batch.size(), "a burst is delivered in one batch");
        List<RoutingEvent> events = WindowsEvents.events(batch, r -> ForwardRowCodec.toRoute(r, "Ethernet", 20), 1);
        List<Cidr> added = new ArrayList<>();
        for (RoutingEvent e : events) {
            added.add(assertInstanceOf(RoutingEvent.RouteAdded.class, e).route().destination());
            assertEquals(25, ((RoutingEvent.RouteAdded) e).route().metric());
        }
        assertEquals(List.of(Cidr.parse("172.31.1.0/24"), Cidr.parse("172.31.2.0/24"), Cidr.parse("172.31.3.0/24")), added);
    }

    @Test
    void givenTheCallbackThread_whenAskingWhetherItIsOne_thenYes_soCancelIsHandedElsewhere() throws Exception {
        RouteChangeQueue q = new RouteChangeQueue();
        boolean[] seen = new boolean[1];
        Thread os = new Thread(() -> {
            q.offer(null, IpHelperLayout.MIB_INITIAL_NOTIFICATION);
            seen[0] = q.onCallbackThread();
        });
        os.start();
        os.join();
        assertTrue(seen[0]);
    }

    @Test
    void givenEachNotificationType_whenTurnedIntoEvents_thenAddDeleteAndParameterMap_andInitialNullAndBadRowsDoNot() throws Exception {
        byte[] bad = row("10.0.0.0/8", null);
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putShort(IpHelperLayout.ROW2_DESTINATION_PREFIX, (short) 7);
        List<RouteChangeQueue.Notification> batch = List.of(
                new RouteChangeQueue.Notification(null, IpHelperLayout.MIB_INITIAL_NOTIFICATION),
                new RouteChangeQueue.Notification(row("10.1.0.0/16", "10.0.0.1"), IpHelperLayout.MIB_ADD_INSTANCE),
                new RouteChangeQueue.Notification(row("10.1.0.0/16", "10.0.0.1"), IpHelperLayout.MIB_PARAMETER_NOTIFICATION),
                new RouteChangeQueue.Notification(row("10.1.0.0/16", "10.0.0.1"), IpHelperLayout.MIB_DELETE_INSTANCE),
                new RouteChangeQueue.Notification(null, IpHelperLayout.MIB_DELETE_INSTANCE),
                new RouteChangeQueue.Notification(bad, IpHelperLayout.MIB_ADD_INSTANCE));
        List<RoutingEvent> ev = WindowsEvents.events(batch, r -> ForwardRowCodec.toRoute(r, null, 0), 9);
        assertEquals(4, ev.size(), ev.toString());
        assertInstanceOf(RoutingEvent.RouteAdded.class, ev.get(0));
        assertInstanceOf(RoutingEvent.RouteAdded.class, ev.get(1));
        assertInstanceOf(RoutingEvent.RouteRemoved.class, ev.get(2));
        RoutingEvent.Overrun o = assertInstanceOf(RoutingEvent.Overrun.class, ev.get(3));
        assertTrue(o.reason().contains("si_family 7") && o.routes().isEmpty(), o.reason());
    }
}
