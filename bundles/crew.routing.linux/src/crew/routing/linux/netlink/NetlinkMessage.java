package crew.routing.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message: the nlmsghdr fields and its payload (the bytes after the 16-byte header, in host order as the
 * kernel writes them). {@link #split} cuts a received datagram into messages, checking every length.
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, byte[] payload) {

    /** Splits a datagram (or a captured byte dump) into messages. */
    public static List<NetlinkMessage> split(byte[] data, int length) throws NetlinkFormatException {
        List<NetlinkMessage> messages = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        int offset = 0;
        while (offset < length) {
            if (length - offset < Rtnl.NLMSG_HDRLEN) {
                throw new NetlinkFormatException(offset, (length - offset) + " bytes left, less than a 16-byte header");
            }
            int len = b.getInt(offset);
            if (len < Rtnl.NLMSG_HDRLEN || len > length - offset) {
                throw new NetlinkFormatException(offset, "message length " + len + " outside 16.." + (length - offset));
            }
            int type = b.getShort(offset + 4) & 0xFFFF;
            int flags = b.getShort(offset + 6) & 0xFFFF;
            int seq = b.getInt(offset + 8);
            int pid = b.getInt(offset + 12);
            byte[] payload = new byte[len - Rtnl.NLMSG_HDRLEN];
            System.arraycopy(data, offset + Rtnl.NLMSG_HDRLEN, payload, 0, payload.length);
            messages.add(new NetlinkMessage(type, flags, seq, pid, payload));
            offset += align(len);
        }
        return messages;
    }

    public static int align(int len) {
        return (len + 3) & ~3;
    }

    /** For NLMSG_ERROR: the (negative) errno, 0 for an acknowledgement. */
    public int errorCode() throws NetlinkFormatException {
        if (payload.length < 4) {
            throw new NetlinkFormatException(Rtnl.NLMSG_HDRLEN, "NLMSG_ERROR without an error code");
        }
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt(0);
    }

    /** The whole message as bytes again (header and payload), e.g. to send a route back as RTM_DELROUTE. */
    public byte[] toBytes(int newType, int newFlags, int newSequence) {
        ByteBuffer b = ByteBuffer.allocate(align(Rtnl.NLMSG_HDRLEN + payload.length)).order(ByteOrder.nativeOrder());
        b.putInt(Rtnl.NLMSG_HDRLEN + payload.length).putShort((short) newType).putShort((short) newFlags).putInt(newSequence).putInt(0);
        b.put(payload);
        return b.array();
    }
}
