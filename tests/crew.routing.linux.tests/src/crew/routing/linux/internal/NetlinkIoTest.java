package crew.routing.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.sun.jna.Memory;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.RoutingException;
import crew.routing.linux.netlink.NetlinkMessage;
import crew.routing.linux.netlink.RtnetlinkCodec;
import crew.routing.linux.netlink.Rtnl;
import crew.testing.Prerequisites;

/**
 * The direct-mapped recv/sendto ({@link NetlinkIo}) and the socket paths built on them: errno instead of exceptions,
 * "nothing queued" as null, datagrams larger than the first heap copy. Reading the kernel's tables needs no root.
 */
class NetlinkIoTest {
    private static final int EBADF = 9;

    @Test
    void givenABadDescriptor_whenReceivingOrSending_thenMinusOneAndTheErrnoOfThisThread() {
        try (Memory buffer = new Memory(64)) {
            assertEquals(-1, NetlinkIo.recv(-1, buffer, 64, 0));
            assertEquals(EBADF, NetlinkIo.errno());
        }
        byte[] message = RtnetlinkCodec.dumpRequest(Rtnl.RTM_GETLINK, 1);
        assertEquals(-1, NetlinkIo.sendto(-1, message, message.length, 0, new byte[12], 12));
        assertEquals(EBADF, NetlinkIo.errno());
    }

    @Test
    void givenNothingQueued_whenReceivingWithoutWaiting_thenNullAtOnce() throws Exception {
        try (NetlinkSocket socket = new NetlinkSocket(0, 1 << 16)) {
            for (int i = 0; i < 1000; i++) { // EAGAIN is the common case of the event reader's drain: no exception, no error
                assertNull(socket.receive("drain", true));
            }
        }
    }

    @Test
    void givenARequest_whenSentDirectly_thenTheKernelAnswersAndErrorsCarryTheirErrno() throws Exception {
        try (NetlinkSocket socket = new NetlinkSocket(0, 1 << 16)) {
            List<NetlinkMessage> links = socket.dump(RtnetlinkCodec.dumpRequest(Rtnl.RTM_GETLINK, socket.nextSequence()), "list interfaces");
            assertTrue(links.stream().anyMatch(m -> m.type() == Rtnl.RTM_NEWLINK), "at least lo");
            // a message type rtnetlink does not know: the kernel's errno (EOPNOTSUPP) comes back as the exception's
            byte[] bad = RtnetlinkCodec.dumpRequest(Rtnl.RTM_GETLINK, socket.nextSequence());
            bad[4] = (byte) 0xFF; // nlmsg_type 0x00FF: no such rtnetlink message
            RoutingException e = assertThrows(RoutingException.class, () -> socket.request(bad, "bad request"));
            assertTrue(e.errno() > 0, e.getMessage());
        }
    }

    @Test
    void givenADumpLargerThanTheFirstHeapCopy_whenReceived_thenEveryMessageArrivesIntact() throws Exception {
        Prerequisites.requireRoot(); // a private namespace with many routes
        try (LinuxRoutingBackend backend = LinuxRoutingBackend.inPrivateNamespace()) {
            List<DeviceRoute> routes = new ArrayList<>();
            for (int i = 0; i < 3000; i++) { // about 200 KB of RTM_NEWROUTE: datagrams of up to 32 KB, beyond the first 16 KB copy
                routes.add(new DeviceRoute(Cidr.of(IpAddress.ofIpv4(0x0B000000 | i), 32), null,
                        null, 0, 0, DeviceRoute.MAIN_TABLE, null, null, RouteType.BLACKHOLE, null,
                        Set.of()));
            }
            int[] errnos = backend.addAll(routes);
            assertTrue(Arrays.stream(errnos).allMatch(x -> x == 0));
            assertEquals(3000, backend.routes().stream().filter(r -> r.type() == RouteType.BLACKHOLE).count());
        }
    }

    @Test
    void givenRoot_whenSubscribed_thenTheEventReaderRunsAtTheRaisedPriority() throws Exception {
        Prerequisites.requireRoot(); // CAP_SYS_NICE
        int before = ownNice();
        try (LinuxRoutingBackend backend = LinuxRoutingBackend.inPrivateNamespace(); var s = backend.subscribe(e -> { })) {
            Integer nice = null;
            for (int attempt = 0; attempt < 100 && nice == null; attempt++) {
                nice = readerNice();
                Thread.sleep(10);
            }
            assertEquals(LinuxRoutingBackend.EVENT_READER_NICE, nice, "nice of the crew-rtnetlink-events thread");
            assertEquals(before, ownNice(), "only the reader thread changes");
        }
    }

    /** Field 19 of /proc/self/task/TID/stat (after the parenthesised name) of the thread named crew-rtnetlink-events*. */
    private static Integer readerNice() throws Exception {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("crew-rtnetlink")) {
                        return nice(Files.readString(task.resolve("stat")));
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // that thread ended between the listing and the read: not the reader, which runs until closed
                }
            }
        }
        return null;
    }

    private static int ownNice() throws Exception {
        return nice(Files.readString(Path.of("/proc/thread-self/stat")));
    }

    private static int nice(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[16]); // field 19 overall; the text after ") " starts at field 3
    }
}
