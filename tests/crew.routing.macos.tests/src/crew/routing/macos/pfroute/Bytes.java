package crew.routing.macos.pfroute;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * Builds routing-socket messages field by field from XNU's documented layout (bsd/net/route.h, rtsock.c), without
 * the codec: the tests decode what this builds and compare the codec's encoder with it.
 */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s,]|0x", ""));
    }

    static byte[] ints(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    Bytes u8(int v) {
        out.write(v);
        return this;
    }

    Bytes u16(int v) {
        out.write(v & 0xFF);
        out.write(v >> 8 & 0xFF);
        return this;
    }

    Bytes i32(int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >> (8 * i) & 0xFF);
        }
        return this;
    }

    Bytes zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    Bytes raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /**
     * rt_msghdr: msglen u16@0, version u8@2, type u8@3, index u16@4, 2 bytes padding, flags@8, addrs@12, pid@16,
     * seq@20, errno@24, use@28, inits@32, rt_metrics (14 x u32)@36: 92 bytes, then the sockaddrs.
     */
    static byte[] rtMsghdr(int type, int index, int flags, int addrs, int pid, int seq, int errno, byte[] sockaddrs) {
        int len = 92 + sockaddrs.length;
        Bytes b = new Bytes().u16(len).u8(5).u8(type).u16(index).zeros(2).i32(flags).i32(addrs).i32(pid).i32(seq).i32(errno).i32(0).i32(0)
                .zeros(56);
        if (b.size() != 92) {
            throw new AssertionError("rt_msghdr built with " + b.size() + " bytes");
        }
        return b.raw(sockaddrs).bytes();
    }

    /** sockaddr_in: len 16, AF_INET 2, port, address, 8 bytes zero. */
    static byte[] in4(int a, int b, int c, int d) {
        return new Bytes().u8(16).u8(2).u16(0).u8(a).u8(b).u8(c).u8(d).zeros(8).bytes();
    }

    /** sockaddr_in6: len 28, AF_INET6 30, port, flowinfo, 16 address bytes, scope id. */
    static byte[] in6(byte[] addr16, int scope) {
        return new Bytes().u8(28).u8(30).u16(0).i32(0).raw(addr16).i32(scope).bytes();
    }

    /** sockaddr_dl of 20 bytes: len, AF_LINK 18, index u16, type, nlen, alen, slen, then 12 data bytes. */
    static byte[] link(int index, int type, String name) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Bytes b = new Bytes().u8(20).u8(18).u16(index).u8(type).u8(n.length).u8(0).u8(0).raw(n).zeros(12 - n.length);
        return b.bytes();
    }

    /** A netmask the way the radix tree hands it out: trailing zero bytes dropped, family byte 0xff, padded to 4. */
    static byte[] kernelMask(boolean v6, int prefix) {
        int start = v6 ? 8 : 4;
        byte[] m = new byte[start + (v6 ? 16 : 4)];
        m[1] = (byte) 0xff;
        for (int i = 0; i < prefix; i++) {
            m[start + i / 8] |= (byte) (0x80 >> (i % 8));
        }
        int len = m.length;
        while (len > start && m[len - 1] == 0) {
            len--;
        }
        if (prefix == 0) {
            return new byte[] {0, 0, 0, 0}; // sa_len 0: takes 4 bytes
        }
        m[0] = (byte) len;
        byte[] padded = new byte[PfRoute.roundup(len)];
        System.arraycopy(m, 0, padded, 0, len);
        return padded;
    }
}
