package crew.routing.windows.iphlp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import crew.model.net.IpAddress;

/** MIB_IPFORWARD_ROW2 bytes written field by field at the documented x64 offsets (literal numbers, not the codec's). */
final class Rows {

    private Rows() {
    }

    static byte[] row(long luid, int index, IpAddress dst, int prefixLength, IpAddress nextHop, int metric, int protocol, int origin) {
        ByteBuffer b = ByteBuffer.allocate(104).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, luid);
        b.putInt(8, index);
        sockaddr(b, 12, dst);
        b.put(40, (byte) prefixLength);
        if (nextHop != null) {
            sockaddr(b, 44, nextHop);
        } else {
            b.putShort(44, (short) (dst.toBytes().length == 4 ? 2 : 23));
        }
        b.put(72, (byte) 0);
        b.putInt(76, 0xffffffff);
        b.putInt(80, 0xffffffff);
        b.putInt(84, metric);
        b.putInt(88, protocol);
        b.put(92, (byte) 0);
        b.put(93, (byte) 0);
        b.put(94, (byte) 0);
        b.put(95, (byte) 0);
        b.putInt(96, 0);
        b.putInt(100, origin);
        return b.array();
    }

    /** SOCKADDR_IN (family 2, address at +4) or SOCKADDR_IN6 (family 23, address at +8). */
    static void sockaddr(ByteBuffer b, int at, IpAddress a) {
        byte[] addr = a.toBytes();
        if (addr.length == 4) {
            b.putShort(at, (short) 2);
            b.put(at + 4, addr);
        } else {
            b.putShort(at, (short) 23);
            b.put(at + 8, addr);
        }
    }

    static byte[] table(byte[]... rows) {
        ByteBuffer b = ByteBuffer.allocate(8 + rows.length * 104).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, rows.length);
        for (int i = 0; i < rows.length; i++) {
            b.put(8 + i * 104, rows[i]);
        }
        return b.array();
    }
}
