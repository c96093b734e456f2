package crew.routing.linux.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import crew.routing.api.RoutingException;
import crew.routing.linux.netlink.NetlinkFormatException;
import crew.routing.linux.netlink.NetlinkMessage;
import crew.routing.linux.netlink.Rtnl;

/**
 * A NETLINK_ROUTE socket: send requests, read acknowledgements and multipart dumps, or (with groups) receive
 * multicast notifications. The socket belongs to the network namespace of the thread that created it.
 */
final class NetlinkSocket implements AutoCloseable {
    private static final Libc LIBC = Libc.INSTANCE;
    private static final byte[] KERNEL = sockaddr(0);

    private static final int BUFFER_BYTES = 1 << 20;
    private static final int MSG_DONTWAIT = 0x40;

    private final int fd;
    private final AtomicInteger sequence = new AtomicInteger((int) (System.nanoTime() & 0x3FFF_FFFF));
    /** Where recv writes (native, so the call copies nothing) and the heap copy that is split (grown on demand). */
    private final Memory buffer = new Memory(BUFFER_BYTES);
    private byte[] copy = new byte[16 * 1024];
    private volatile boolean closed;

    /** Opens a socket bound to {@code groups} (legacy RTMGRP bits; 0 for a request socket). */
    NetlinkSocket(int groups, int receiveBuffer) throws RoutingException {
        try {
            fd = LIBC.socket(Rtnl.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Rtnl.NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw error("open a netlink socket", e);
        }
        try {
            setBuffer(receiveBuffer);
            LIBC.bind(fd, sockaddrGroups(groups), 12);
        } catch (LastErrorException e) {
            LIBC.close(fd);
            throw error("bind a netlink socket", e);
        }
    }

    private void setBuffer(int size) {
        try {
            LIBC.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, new int[] {size}, 4); // root: beyond rmem_max
        } catch (LastErrorException e) {
            LIBC.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, new int[] {size}, 4);
        }
    }

    /** Joins a multicast group by number (needed for groups above 31 and IPv6 rules, 19). */
    void joinGroup(int group) throws RoutingException {
        try {
            LIBC.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_ADD_MEMBERSHIP, new int[] {group}, 4);
        } catch (LastErrorException e) {
            throw error("join netlink group " + group, e);
        }
    }

    /** recv() returns EAGAIN after this many milliseconds without data, so a reader thread can notice close(). */
    void receiveTimeout(int millis) throws RoutingException {
        try {
            LIBC.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, new long[] {millis / 1000, (millis % 1000) * 1000L}, 16);
        } catch (LastErrorException e) {
            throw error("set a receive timeout", e);
        }
    }

    int nextSequence() {
        return sequence.incrementAndGet() & 0x7FFF_FFFF;
    }

    void send(byte[] message, int length, String what) throws RoutingException {
        while (NetlinkIo.sendto(fd, message, length, 0, KERNEL, 12) < 0) {
            int errno = NetlinkIo.errno();
            if (errno != Libc.EINTR) {
                throw error(what, errno);
            }
        }
    }

    /**
     * Receives one datagram into the internal buffer and splits it. Returns null on timeout; throws with errno ENOBUFS
     * when the kernel dropped messages for this socket.
     */
    List<NetlinkMessage> receive(String what) throws RoutingException {
        return receive(what, false);
    }

    /**
     * Like {@link #receive(String)}; with {@code dontWait}, returns null at once when nothing is queued. Only one
     * thread at a time may receive on a socket (the request socket is used under its lock, the event socket by its
     * reader thread): the native buffer and the copy are reused.
     */
    List<NetlinkMessage> receive(String what, boolean dontWait) throws RoutingException {
        long n;
        while ((n = NetlinkIo.recv(fd, buffer, BUFFER_BYTES, dontWait ? MSG_DONTWAIT : 0)) < 0) {
            int errno = NetlinkIo.errno();
            if (errno == Libc.EAGAIN) {
                return null; // nothing queued (MSG_DONTWAIT) or the receive timeout passed
            }
            if (errno != Libc.EINTR) {
                throw error(what, errno);
            }
        }
        if (copy.length < n) {
            copy = new byte[(int) Math.min(BUFFER_BYTES, Math.max(n, 2L * copy.length))];
        }
        buffer.read(0, copy, 0, (int) n); // only what arrived
        try {
            return NetlinkMessage.split(copy, (int) n);
        } catch (NetlinkFormatException e) {
            throw new RoutingException(what, 0, e.getMessage());
        }
    }

    /** Sends a dump request and collects every message up to NLMSG_DONE. */
    List<NetlinkMessage> dump(byte[] request, String what) throws RoutingException {
        for (int attempt = 0; attempt < 5; attempt++) {
            int seq = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).getInt(8);
            send(request, request.length, what);
            List<NetlinkMessage> result = new ArrayList<>();
            boolean interrupted = false;
            while (true) {
                List<NetlinkMessage> batch = receive(what);
                if (batch == null) {
                    throw new RoutingException(what, Libc.EAGAIN, "no answer from the kernel");
                }
                boolean done = false;
                for (NetlinkMessage m : batch) {
                    if (m.sequence() != seq) {
                        continue; // a late answer to an earlier request
                    }
                    interrupted |= (m.flags() & Rtnl.NLM_F_DUMP_INTR) != 0;
                    if (m.type() == Rtnl.NLMSG_DONE) {
                        done = true;
                    } else if (m.type() == Rtnl.NLMSG_ERROR) {
                        int code = errorCode(m, what);
                        if (code != 0) {
                            throw new RoutingException(what, -code, LIBC.strerror(-code));
                        }
                    } else {
                        result.add(m);
                    }
                }
                if (done) {
                    break;
                }
            }
            if (!interrupted) {
                return result;
            }
            // the table changed during the dump: the kernel says the result may be inconsistent; dump again
            ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).putInt(8, nextSequence());
        }
        throw new RoutingException(what, 0, "the table kept changing during five dumps in a row");
    }

    /** Sends one request with NLM_F_ACK and waits for its acknowledgement. */
    void request(byte[] message, String what) throws RoutingException {
        int seq = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).getInt(8);
        send(message, message.length, what);
        while (true) {
            List<NetlinkMessage> batch = receive(what);
            if (batch == null) {
                throw new RoutingException(what, Libc.EAGAIN, "no acknowledgement from the kernel");
            }
            for (NetlinkMessage m : batch) {
                if (m.type() == Rtnl.NLMSG_ERROR && m.sequence() == seq) {
                    int code = errorCode(m, what);
                    if (code != 0) {
                        throw new RoutingException(what, -code, LIBC.strerror(-code));
                    }
                    return;
                }
            }
        }
    }

    /**
     * Sends one request with NLM_F_ACK that the kernel answers with messages (e.g. RTM_GETLINK for one name) and
     * returns those messages once the acknowledgement arrives.
     */
    List<NetlinkMessage> query(byte[] message, String what) throws RoutingException {
        int seq = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).getInt(8);
        send(message, message.length, what);
        List<NetlinkMessage> answers = new ArrayList<>();
        while (true) {
            List<NetlinkMessage> batch = receive(what);
            if (batch == null) {
                throw new RoutingException(what, Libc.EAGAIN, "no answer from the kernel");
            }
            for (NetlinkMessage m : batch) {
                if (m.sequence() != seq) {
                    continue;
                }
                if (m.type() == Rtnl.NLMSG_ERROR) {
                    int code = errorCode(m, what);
                    if (code != 0) {
                        throw new RoutingException(what, -code, LIBC.strerror(-code));
                    }
                    return answers;
                }
                answers.add(m);
            }
        }
    }

    /**
     * Sends many requests back to back (several per sendto) and then collects their acknowledgements, so that a flood
     * costs a few system calls instead of a round trip each. Returns the errno per request (0 = done), in order.
     */
    int[] requestAll(List<byte[]> messages, String what) throws RoutingException {
        int[] result = new int[messages.size()];
        final int chunk = 512; // acknowledgements of one chunk fit easily in the receive buffer
        for (int start = 0; start < messages.size(); start += chunk) {
            int end = Math.min(messages.size(), start + chunk);
            java.util.Map<Integer, Integer> bySeq = new java.util.HashMap<>();
            ByteBuffer out = ByteBuffer.allocate(64 * 1024);
            for (int i = start; i < end; i++) {
                byte[] m = messages.get(i);
                bySeq.put(ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).getInt(8), i);
                if (out.remaining() < m.length) {
                    send(out.array(), out.position(), what);
                    out.clear();
                }
                out.put(m);
            }
            if (out.position() > 0) {
                send(out.array(), out.position(), what);
            }
            int pending = end - start;
            while (pending > 0) {
                List<NetlinkMessage> batch = receive(what);
                if (batch == null) {
                    throw new RoutingException(what, Libc.EAGAIN, pending + " acknowledgements missing");
                }
                for (NetlinkMessage m : batch) {
                    Integer i = m.type() == Rtnl.NLMSG_ERROR ? bySeq.remove(m.sequence()) : null;
                    if (i != null) {
                        result[i] = -errorCode(m, what);
                        pending--;
                    }
                }
            }
        }
        return result;
    }

    static String strerror(int errno) {
        return LIBC.strerror(errno);
    }

    private static int errorCode(NetlinkMessage m, String what) throws RoutingException {
        try {
            return m.errorCode();
        } catch (NetlinkFormatException e) {
            throw new RoutingException(what, 0, e.getMessage());
        }
    }

    private static RoutingException error(String what, LastErrorException e) {
        return error(what, e.getErrorCode());
    }

    private static RoutingException error(String what, int errno) {
        return new RoutingException(what, errno, LIBC.strerror(errno));
    }

    private static byte[] sockaddr(int pid) {
        return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) Rtnl.AF_NETLINK).putShort((short) 0)
                .putInt(pid).putInt(0).array();
    }

    private static byte[] sockaddrGroups(int groups) {
        return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) Rtnl.AF_NETLINK).putShort((short) 0)
                .putInt(0).putInt(groups).array();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LIBC.close(fd);
        }
    }
}
