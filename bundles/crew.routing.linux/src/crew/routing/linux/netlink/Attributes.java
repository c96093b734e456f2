package crew.routing.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The rtattr list after a fixed header: type to value bytes (the last occurrence of a type wins). */
final class Attributes {
    private final Map<Integer, byte[]> values = new HashMap<>();

    private Attributes() {
    }

    /** Parses attributes in {@code data[start, end)}; {@code base} is the offset of data in the message, for errors. */
    static Attributes parse(byte[] data, int start, int end, int base) throws NetlinkFormatException {
        Attributes a = new Attributes();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        int offset = start;
        while (offset + 4 <= end) {
            int len = b.getShort(offset) & 0xFFFF;
            int type = b.getShort(offset + 2) & 0x3FFF; // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER
            if (len < 4 || offset + len > end) {
                throw new NetlinkFormatException(base + offset, "attribute " + type + " has length " + len + ", outside 4.." + (end - offset));
            }
            byte[] v = new byte[len - 4];
            System.arraycopy(data, offset + 4, v, 0, v.length);
            a.values.put(type, v);
            offset += NetlinkMessage.align(len);
        }
        return a;
    }

    byte[] get(int type) {
        return values.get(type);
    }

    boolean has(int type) {
        return values.containsKey(type);
    }

    /** A u32 attribute, or {@code defaultValue}; a value of the wrong size is an error. */
    long u32(int type, long defaultValue, int base) throws NetlinkFormatException {
        byte[] v = values.get(type);
        if (v == null) {
            return defaultValue;
        }
        if (v.length < 4) {
            throw new NetlinkFormatException(base, "attribute " + type + " should hold 4 bytes, has " + v.length);
        }
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt(0) & 0xFFFF_FFFFL;
    }

    /** A NUL-terminated string attribute, or null. */
    String string(int type) {
        byte[] v = values.get(type);
        if (v == null) {
            return null;
        }
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return new String(v, 0, n, StandardCharsets.UTF_8);
    }
}
