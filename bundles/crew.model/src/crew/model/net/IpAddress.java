package crew.model.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An immutable IPv4 or IPv6 address. The 128 bits are kept in two longs (IPv4 uses the low 32 bits of {@code lo}) so
 * that comparisons and masks cost no allocation, which matters when a million device routes are analysed.
 */
public final class IpAddress implements Comparable<IpAddress> {
    private final IpFamily family;
    private final long hi;
    private final long lo;

    private IpAddress(IpFamily family, long hi, long lo) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
    }

    /** An IPv4 address from its 32-bit value. */
    public static IpAddress ofIpv4(int value) {
        return new IpAddress(IpFamily.IPV4, 0L, value & 0xFFFF_FFFFL);
    }

    /** An IPv6 address from its high and low 64 bits. */
    public static IpAddress ofIpv6(long hi, long lo) {
        return new IpAddress(IpFamily.IPV6, hi, lo);
    }

    /** An address from its network-order bytes: 4 for IPv4, 16 for IPv6. */
    public static IpAddress ofBytes(byte[] bytes) {
        if (bytes.length == 4) {
            return ofIpv4(((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF));
        }
        if (bytes.length == 16) {
            long h = 0;
            long l = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (bytes[i] & 0xFF);
                l = (l << 8) | (bytes[i + 8] & 0xFF);
            }
            return ofIpv6(h, l);
        }
        throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + bytes.length);
    }

    /**
     * Parses a dotted-quad IPv4 address or an IPv6 address (RFC 4291 text forms, including {@code ::} and an
     * embedded IPv4 tail). Zone identifiers ({@code %eth0}) are rejected: they belong to an interface, not to an
     * address.
     *
     * @throws AddressFormatException naming the text, the position and the reason
     */
    public static IpAddress parse(String text) {
        return parse(text, text, 0);
    }

    static IpAddress parse(String whole, String text, int offset) {
        if (text == null || text.isEmpty()) {
            throw new AddressFormatException(whole == null ? "" : whole, offset, "empty address");
        }
        if (text.indexOf(':') >= 0) {
            return parseIpv6(whole, text, offset);
        }
        return ofIpv4(parseIpv4(whole, text, offset));
    }

    static int parseIpv4(String whole, String text, int offset) {
        int value = 0;
        int octets = 0;
        int i = 0;
        int n = text.length();
        while (true) {
            int start = i;
            int octet = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                if (i - start >= 3) {
                    throw new AddressFormatException(whole, offset + start, "IPv4 octet has more than three digits");
                }
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                String what = i < n ? "unexpected " + AddressFormatException.describe(text.charAt(i)) : "missing octet";
                throw new AddressFormatException(whole, offset + i, what + " in IPv4 address");
            }
            if (i - start > 1 && text.charAt(start) == '0') {
                throw new AddressFormatException(whole, offset + start,
                        "IPv4 octet " + text.substring(start, i) + " has a leading zero (octal in some tools): write " + octet);
            }
            if (octet > 255) {
                throw new AddressFormatException(whole, offset + start, "IPv4 octet " + octet + " is more than 255");
            }
            value = (value << 8) | octet;
            octets++;
            if (octets == 4) {
                if (i != n) {
                    throw new AddressFormatException(whole, offset + i, "unexpected " + AddressFormatException.describe(text.charAt(i))
                            + " after the fourth IPv4 octet");
                }
                return value;
            }
            if (i >= n) {
                throw new AddressFormatException(whole, offset + i,
                        "IPv4 address has " + octets + " octet" + (octets == 1 ? "" : "s") + ", needs 4");
            }
            if (text.charAt(i) != '.') {
                throw new AddressFormatException(whole, offset + i,
                        "unexpected " + AddressFormatException.describe(text.charAt(i)) + " in IPv4 address");
            }
            i++;
        }
    }

    /** 0..15 for an ASCII hex digit, else -1 (Character.digit would take fullwidth and other scripts' digits too). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static IpAddress parseIpv6(String whole, String text, int offset) {
        int zone = text.indexOf('%');
        if (zone >= 0) {
            throw new AddressFormatException(whole, offset + zone, "zone identifier not allowed here");
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // group index where "::" stands
        int n = text.length();
        int i = 0;
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) {
                return ofIpv6(0, 0);
            }
        } else if (text.charAt(0) == ':') {
            throw new AddressFormatException(whole, offset, "IPv6 address cannot start with a single ':'");
        }
        while (i < n) {
            int start = i;
            int group = 0;
            while (i < n && hexDigit(text.charAt(i)) >= 0) {
                if (i - start >= 4) {
                    throw new AddressFormatException(whole, offset + start, "IPv6 group has more than four hex digits");
                }
                group = (group << 4) | hexDigit(text.charAt(i));
                i++;
            }
            if (i < n && text.charAt(i) == '.') {
                // embedded IPv4 tail, e.g. ::ffff:192.0.2.1
                if (count > 6) {
                    throw new AddressFormatException(whole, offset + start, "no room for an IPv4 tail in this IPv6 address");
                }
                int v4 = parseIpv4(whole, text.substring(start), offset + start);
                groups[count++] = (v4 >>> 16) & 0xFFFF;
                groups[count++] = v4 & 0xFFFF;
                i = n;
                break;
            }
            if (i == start) {
                String what = i < n ? "unexpected " + AddressFormatException.describe(text.charAt(i)) : "missing group";
                throw new AddressFormatException(whole, offset + i, what + " in IPv6 address");
            }
            if (count == 8) {
                throw new AddressFormatException(whole, offset + start, "IPv6 address has more than 8 groups");
            }
            groups[count++] = group;
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ':') {
                throw new AddressFormatException(whole, offset + i,
                        "unexpected " + AddressFormatException.describe(text.charAt(i)) + " in IPv6 address");
            }
            i++;
            if (i < n && text.charAt(i) == ':') {
                if (gap >= 0) {
                    throw new AddressFormatException(whole, offset + i - 1, "'::' may appear only once");
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                throw new AddressFormatException(whole, offset + i - 1, "IPv6 address cannot end with a single ':'");
            }
        }
        if (gap < 0 && count != 8) {
            throw new AddressFormatException(whole, offset + n, "IPv6 address has " + count + " groups, needs 8 (or '::')");
        }
        if (gap >= 0 && count == 8) {
            throw new AddressFormatException(whole, offset, "'::' stands for no group in an address with 8 groups");
        }
        int[] full = new int[8];
        if (gap < 0) {
            System.arraycopy(groups, 0, full, 0, 8);
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            int tail = count - gap;
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long h = 0;
        long l = 0;
        for (int g = 0; g < 4; g++) {
            h = (h << 16) | full[g];
            l = (l << 16) | full[g + 4];
        }
        return ofIpv6(h, l);
    }

    /** The address of an {@link InetAddress}. */
    public static IpAddress of(InetAddress address) {
        return ofBytes(address.getAddress());
    }

    public IpFamily family() {
        return family;
    }

    public boolean isIpv4() {
        return family == IpFamily.IPV4;
    }

    /** High 64 bits (always 0 for IPv4). */
    public long high() {
        return hi;
    }

    /** Low 64 bits (IPv4: the address in the low 32 bits). */
    public long low() {
        return lo;
    }

    /** Bit {@code index} counted from the most significant bit (0) of the family's width. */
    public boolean bit(int index) {
        int width = family.bits();
        if (index < 0 || index >= width) {
            throw new IndexOutOfBoundsException("bit " + index + " of an " + family + " address");
        }
        int fromRight = width - 1 - index;
        return fromRight >= 64 ? ((hi >>> (fromRight - 64)) & 1L) != 0 : ((lo >>> fromRight) & 1L) != 0;
    }

    /** This address with every bit after the first {@code prefixLength} bits cleared. */
    public IpAddress mask(int prefixLength) {
        checkPrefix(prefixLength);
        long[] m = maskBits(family, prefixLength);
        return new IpAddress(family, hi & m[0], lo & m[1]);
    }

    /** This address with every bit after the first {@code prefixLength} bits set. */
    public IpAddress fill(int prefixLength) {
        checkPrefix(prefixLength);
        long[] m = maskBits(family, prefixLength);
        long fillLo = family == IpFamily.IPV4 ? (~m[1] & 0xFFFF_FFFFL) : ~m[1];
        long fillHi = family == IpFamily.IPV4 ? 0 : ~m[0];
        return new IpAddress(family, hi | fillHi, lo | fillLo);
    }

    /** Whether the first {@code prefixLength} bits of both addresses agree (same family required). */
    public boolean samePrefix(IpAddress other, int prefixLength) {
        if (other.family != family) {
            return false;
        }
        long[] m = maskBits(family, prefixLength);
        return ((hi ^ other.hi) & m[0]) == 0 && ((lo ^ other.lo) & m[1]) == 0;
    }

    /** The next address, or {@code null} after the last address of the family. */
    public IpAddress next() {
        if (family == IpFamily.IPV4) {
            return lo == 0xFFFF_FFFFL ? null : new IpAddress(family, 0, lo + 1);
        }
        long l = lo + 1;
        long h = l == 0 ? hi + 1 : hi;
        return (l == 0 && h == 0) ? null : new IpAddress(family, h, l);
    }

    /** Network-order bytes: 4 or 16. */
    public byte[] toBytes() {
        if (family == IpFamily.IPV4) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    private void checkPrefix(int prefixLength) {
        if (prefixLength < 0 || prefixLength > family.bits()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + family.bits() + " for " + family);
        }
    }

    /** {high mask, low mask} selecting the first {@code prefixLength} bits of the family's width. */
    static long[] maskBits(IpFamily family, int prefixLength) {
        if (family == IpFamily.IPV4) {
            long m = prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
            return new long[] {0, m};
        }
        if (prefixLength == 0) {
            return new long[] {0, 0};
        }
        if (prefixLength <= 64) {
            return new long[] {-1L << (64 - prefixLength), 0};
        }
        return new long[] {-1L, prefixLength == 128 ? -1L : -1L << (128 - prefixLength)};
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = family.compareTo(o.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.family == family && a.hi == hi && a.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) ^ family.ordinal();
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
    @Override
    public String toString() {
        if (family == IpFamily.IPV4) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) { // IPv4-mapped
            return "::ffff:" + ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
