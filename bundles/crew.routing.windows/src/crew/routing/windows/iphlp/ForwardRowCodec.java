package crew.routing.windows.iphlp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/**
 * Pure-Java decoding and encoding of MIB_IPFORWARD_ROW2 and MIB_IPFORWARD_TABLE2 at the offsets of
 * {@link IpHelperLayout}, so that rows copied out of IP Helper (or built in a test) decode on any OS. Every length
 * and field is checked: a short buffer, an unknown family, a prefix length too long for it is an
 * {@link IpHelperFormatException} naming the byte.
 */
public final class ForwardRowCodec {

    private ForwardRowCodec() {
    }

    /** The rows of a MIB_IPFORWARD_TABLE2 copied into {@code b} (NumEntries, then the rows from byte 8). */
    public static List<ForwardRow> decodeTable(byte[] b) throws IpHelperFormatException {
        if (b.length < IpHelperLayout.TABLE2_TABLE) {
            throw new IpHelperFormatException(0, "a MIB_IPFORWARD_TABLE2 of " + b.length + " bytes is shorter than its header (8)");
        }
        long n = Integer.toUnsignedLong(le(b).getInt(IpHelperLayout.TABLE2_NUM_ENTRIES));
        long need = IpHelperLayout.TABLE2_TABLE + n * IpHelperLayout.ROW2_SIZE;
        if (need > b.length) {
            throw new IpHelperFormatException(IpHelperLayout.TABLE2_NUM_ENTRIES, "NumEntries " + n + " needs " + need + " bytes, the table has "
                    + b.length);
        }
        List<ForwardRow> rows = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            rows.add(decode(b, IpHelperLayout.TABLE2_TABLE + i * IpHelperLayout.ROW2_SIZE));
        }
        return rows;
    }

    /** The row at {@code b[off..off+104)}. */
    public static ForwardRow decode(byte[] b, int off) throws IpHelperFormatException {
        if (off < 0 || b.length - off < IpHelperLayout.ROW2_SIZE) {
            throw new IpHelperFormatException(off, "a MIB_IPFORWARD_ROW2 needs " + IpHelperLayout.ROW2_SIZE + " bytes, "
                    + Math.max(0, b.length - off) + " left");
        }
        ByteBuffer l = le(b);
        int prefixAt = off + IpHelperLayout.ROW2_DESTINATION_PREFIX;
        IpAddress dst = sockaddr(b, prefixAt, "DestinationPrefix.Prefix");
        if (dst == null) {
            throw new IpHelperFormatException(prefixAt, "DestinationPrefix.Prefix has family AF_UNSPEC");
        }
        int plen = b[off + IpHelperLayout.ROW2_DESTINATION_PREFIX_LENGTH] & 0xFF;
        if (plen > dst.family().bits()) {
            throw new IpHelperFormatException(off + IpHelperLayout.ROW2_DESTINATION_PREFIX_LENGTH, "DestinationPrefix.PrefixLength " + plen
                    + " is longer than an " + dst.family() + " address");
        }
        IpAddress hop = sockaddr(b, off + IpHelperLayout.ROW2_NEXT_HOP, "NextHop");
        if (hop != null && hop.family() != dst.family()) {
            throw new IpHelperFormatException(off + IpHelperLayout.ROW2_NEXT_HOP, "NextHop " + hop + " is not of the destination's family "
                    + dst.family());
        }
        if (hop != null && hop.equals(unspecified(hop.family()))) {
            hop = null;
        }
        return new ForwardRow(l.getLong(off + IpHelperLayout.ROW2_INTERFACE_LUID), l.getInt(off + IpHelperLayout.ROW2_INTERFACE_INDEX),
                Cidr.of(dst, plen), hop, b[off + IpHelperLayout.ROW2_SITE_PREFIX_LENGTH] & 0xFF, l.getInt(off + IpHelperLayout.ROW2_VALID_LIFETIME),
                l.getInt(off + IpHelperLayout.ROW2_PREFERRED_LIFETIME), l.getInt(off + IpHelperLayout.ROW2_METRIC),
                l.getInt(off + IpHelperLayout.ROW2_PROTOCOL), b[off + IpHelperLayout.ROW2_LOOPBACK] != 0,
                b[off + IpHelperLayout.ROW2_AUTOCONFIGURE_ADDRESS] != 0, b[off + IpHelperLayout.ROW2_PUBLISH] != 0,
                b[off + IpHelperLayout.ROW2_IMMORTAL] != 0, l.getInt(off + IpHelperLayout.ROW2_AGE), l.getInt(off + IpHelperLayout.ROW2_ORIGIN));
    }

    /** The address of the SOCKADDR_INET at {@code at}; null for AF_UNSPEC (an unset next hop). */
    static IpAddress sockaddr(byte[] b, int at, String field) throws IpHelperFormatException {
        int family = le(b).getShort(at + IpHelperLayout.SA_FAMILY) & 0xFFFF;
        return switch (family) {
            case IpHelperLayout.AF_UNSPEC -> null;
            case IpHelperLayout.AF_INET -> IpAddress.ofBytes(Arrays.copyOfRange(b, at + IpHelperLayout.SIN_ADDR, at + IpHelperLayout.SIN_ADDR + 4));
            case IpHelperLayout.AF_INET6 -> IpAddress.ofBytes(Arrays.copyOfRange(b, at + IpHelperLayout.SIN6_ADDR, at + IpHelperLayout.SIN6_ADDR + 16));
            default -> throw new IpHelperFormatException(at, field + ".si_family " + family + " is neither AF_INET (2) nor AF_INET6 (23)");
        };
    }

    /** The 104 bytes of {@code row}; what InitializeIpForwardEntry leaves is overwritten field by field. */
    public static byte[] encode(ForwardRow row) {
        byte[] b = new byte[IpHelperLayout.ROW2_SIZE];
        ByteBuffer l = le(b);
        l.putLong(IpHelperLayout.ROW2_INTERFACE_LUID, row.interfaceLuid());
        l.putInt(IpHelperLayout.ROW2_INTERFACE_INDEX, row.interfaceIndex());
        putSockaddr(b, IpHelperLayout.ROW2_DESTINATION_PREFIX, row.destination().network());
        b[IpHelperLayout.ROW2_DESTINATION_PREFIX_LENGTH] = (byte) row.destination().prefixLength();
        putSockaddr(b, IpHelperLayout.ROW2_NEXT_HOP, row.nextHop() != null ? row.nextHop() : unspecified(row.destination().family()));
        b[IpHelperLayout.ROW2_SITE_PREFIX_LENGTH] = (byte) row.sitePrefixLength();
        l.putInt(IpHelperLayout.ROW2_VALID_LIFETIME, row.validLifetime());
        l.putInt(IpHelperLayout.ROW2_PREFERRED_LIFETIME, row.preferredLifetime());
        l.putInt(IpHelperLayout.ROW2_METRIC, row.metric());
        l.putInt(IpHelperLayout.ROW2_PROTOCOL, row.protocol());
        b[IpHelperLayout.ROW2_LOOPBACK] = (byte) (row.loopback() ? 1 : 0);
        b[IpHelperLayout.ROW2_AUTOCONFIGURE_ADDRESS] = (byte) (row.autoconfigureAddress() ? 1 : 0);
        b[IpHelperLayout.ROW2_PUBLISH] = (byte) (row.publish() ? 1 : 0);
        b[IpHelperLayout.ROW2_IMMORTAL] = (byte) (row.immortal() ? 1 : 0);
        l.putInt(IpHelperLayout.ROW2_AGE, row.age());
        l.putInt(IpHelperLayout.ROW2_ORIGIN, row.origin());
        return b;
    }

    /**
     * {@code initialized} (a row as InitializeIpForwardEntry left it) with the route's identity and metric written
     * over it: InterfaceLuid, InterfaceIndex, DestinationPrefix, NextHop and Metric. Every other field keeps the
     * defaults Windows chose (lifetimes, protocol, origin, flags).
     */
    public static byte[] withRoute(byte[] initialized, long luid, int index, Cidr destination, IpAddress nextHop, int metric) {
        if (initialized.length != IpHelperLayout.ROW2_SIZE) {
            throw new IllegalArgumentException("a MIB_IPFORWARD_ROW2 is " + IpHelperLayout.ROW2_SIZE + " bytes, not " + initialized.length);
        }
        byte[] b = initialized.clone();
        ByteBuffer l = le(b);
        l.putLong(IpHelperLayout.ROW2_INTERFACE_LUID, luid);
        l.putInt(IpHelperLayout.ROW2_INTERFACE_INDEX, index);
        java.util.Arrays.fill(b, IpHelperLayout.ROW2_DESTINATION_PREFIX, IpHelperLayout.ROW2_DESTINATION_PREFIX + IpHelperLayout.IP_ADDRESS_PREFIX_SIZE,
                (byte) 0);
        putSockaddr(b, IpHelperLayout.ROW2_DESTINATION_PREFIX, destination.network());
        b[IpHelperLayout.ROW2_DESTINATION_PREFIX_LENGTH] = (byte) destination.prefixLength();
        java.util.Arrays.fill(b, IpHelperLayout.ROW2_NEXT_HOP, IpHelperLayout.ROW2_NEXT_HOP + IpHelperLayout.SOCKADDR_INET_SIZE, (byte) 0);
        putSockaddr(b, IpHelperLayout.ROW2_NEXT_HOP, nextHop != null ? nextHop : unspecified(destination.family()));
        l.putInt(IpHelperLayout.ROW2_METRIC, metric);
        return b;
    }

    static void putSockaddr(byte[] b, int at, IpAddress a) {
        byte[] addr = a.toBytes();
        ByteBuffer l = le(b);
        if (addr.length == 4) {
            l.putShort(at + IpHelperLayout.SA_FAMILY, (short) IpHelperLayout.AF_INET);
            System.arraycopy(addr, 0, b, at + IpHelperLayout.SIN_ADDR, 4);
        } else {
            l.putShort(at + IpHelperLayout.SA_FAMILY, (short) IpHelperLayout.AF_INET6);
            System.arraycopy(addr, 0, b, at + IpHelperLayout.SIN6_ADDR, 16);
        }
    }

    static IpAddress unspecified(IpFamily f) {
        return f == IpFamily.IPV4 ? IpAddress.ofIpv4(0) : IpAddress.ofIpv6(0, 0);
    }

    /**
     * The route a row describes, with the effective metric Windows selects by: the route's Metric plus its
     * interface's metric. The LUID is kept in {@link DeviceRoute#flags()} as {@code luid=0x...} (the identity
     * {@link #luid(DeviceRoute)} reads back for a delete).
     */
    public static DeviceRoute toRoute(ForwardRow r, String interfaceName, int interfaceMetric) {
        Set<String> flags = new HashSet<>();
        flags.add(LUID_FLAG + Long.toHexString(r.interfaceLuid()));
        if (r.loopback()) {
            flags.add("loopback");
        }
        if (r.immortal()) {
            flags.add("immortal");
        }
        if (r.publish()) {
            flags.add("publish");
        }
        return new DeviceRoute(r.destination(), r.nextHop(), interfaceName, r.interfaceIndex(), r.metric() + interfaceMetric,
                DeviceRoute.MAIN_TABLE, protocolName(r.protocol()), null, RouteType.UNICAST, null, flags);
    }

    /** The flag prefix carrying a route's interface LUID. */
    public static final String LUID_FLAG = "luid=0x";

    /** The interface LUID a route from {@link #toRoute} carries; 0 when it carries none. */
    public static long luid(DeviceRoute route) {
        for (String f : route.flags()) {
            if (f.startsWith(LUID_FLAG)) {
                return Long.parseUnsignedLong(f.substring(LUID_FLAG.length()), 16);
            }
        }
        return 0;
    }

    /** NL_ROUTE_PROTOCOL in words (as Get-NetRoute's Protocol shows them, in lower case). */
    public static String protocolName(int p) {
        return switch (p) {
            case IpHelperLayout.MIB_IPPROTO_OTHER -> "other";
            case IpHelperLayout.MIB_IPPROTO_LOCAL -> "local";
            case IpHelperLayout.MIB_IPPROTO_NETMGMT -> "netmgmt";
            case IpHelperLayout.MIB_IPPROTO_ICMP -> "icmp";
            case IpHelperLayout.MIB_IPPROTO_RIP -> "rip";
            case IpHelperLayout.MIB_IPPROTO_OSPF -> "ospf";
            case IpHelperLayout.MIB_IPPROTO_BGP -> "bgp";
            case IpHelperLayout.MIB_IPPROTO_NT_AUTOSTATIC -> "autostatic";
            case IpHelperLayout.MIB_IPPROTO_NT_STATIC -> "static";
            case IpHelperLayout.MIB_IPPROTO_NT_STATIC_NON_DOD -> "static-non-dod";
            default -> "proto-" + p;
        };
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
