package crew.routing.macos.pfroute;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/**
 * Pure-Java decoding and encoding of XNU routing-socket messages (rt_msghdr, rt_msghdr2, if_msghdr and the sockaddrs
 * that follow them). No I/O, so a dump or a captured message decodes in a unit test on any OS. Every length is checked
 * against the buffer: a truncated message, a sockaddr running past its message or a bad length is a
 * {@link PfRouteFormatException} naming the byte.
 */
public final class PfRouteCodec {

    private PfRouteCodec() {
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes every message in {@code buf[0..length)} (a sysctl dump or one read of the routing socket). */
    public static List<RouteMessage> decodeAll(byte[] buf, int length) throws PfRouteFormatException {
        if (length < 0 || length > buf.length) {
            throw new IllegalArgumentException("length " + length + " outside the buffer of " + buf.length);
        }
        List<RouteMessage> out = new ArrayList<>();
        int pos = 0;
        while (pos < length) {
            if (length - pos < 4) {
                throw new PfRouteFormatException(pos, (length - pos) + " bytes left, too short for a message header (msglen, version, type)");
            }
            int msglen = u16(buf, pos + PfRoute.OFF_MSGLEN);
            if (msglen < 4) {
                throw new PfRouteFormatException(pos, "msglen " + msglen + " is shorter than the 4 bytes of msglen, version and type");
            }
            if (msglen > length - pos) {
                throw new PfRouteFormatException(pos, "msglen " + msglen + " runs past the end of the data (" + (length - pos) + " bytes left)");
            }
            out.add(decode(buf, pos, msglen));
            pos += msglen;
        }
        return out;
    }

    /** Decodes the one message at {@code buf[pos..pos+msglen)}. */
    public static RouteMessage decode(byte[] buf, int pos, int msglen) throws PfRouteFormatException {
        int version = buf[pos + PfRoute.OFF_VERSION] & 0xFF;
        int type = buf[pos + PfRoute.OFF_TYPE] & 0xFF;
        if (version != PfRoute.RTM_VERSION) {
            throw new PfRouteFormatException(pos + PfRoute.OFF_VERSION, "version " + version + " of " + PfRoute.typeName(type)
                    + ", expected " + PfRoute.RTM_VERSION + " (XNU's RTM_VERSION)");
        }
        int end = pos + msglen;
        if (PfRoute.isRouteMessage(type)) {
            if (msglen < PfRoute.RT_MSGHDR_LEN) {
                throw new PfRouteFormatException(pos, PfRoute.typeName(type) + " of " + msglen + " bytes is shorter than rt_msghdr ("
                        + PfRoute.RT_MSGHDR_LEN + ")");
            }
            int index = u16(buf, pos + PfRoute.OFF_INDEX);
            int flags = i32(buf, pos + PfRoute.OFF_FLAGS);
            int addrs = i32(buf, pos + PfRoute.OFF_ADDRS);
            boolean v2 = type == PfRoute.RTM_GET2;
            int pid = v2 ? 0 : i32(buf, pos + PfRoute.OFF_PID);
            int seq = v2 ? 0 : i32(buf, pos + PfRoute.OFF_SEQ);
            int errno = v2 ? 0 : i32(buf, pos + PfRoute.OFF_ERRNO);
            Sockaddr[] sa = sockaddrs(buf, pos + PfRoute.RT_MSGHDR_LEN, end, addrs, type);
            return new RouteMessage(pos, type, index, flags, addrs, pid, seq, errno, sa);
        }
        if (type == PfRoute.RTM_IFINFO) {
            if (msglen < PfRoute.IF_MSGHDR_MIN) {
                throw new PfRouteFormatException(pos, "RTM_IFINFO of " + msglen + " bytes is shorter than the if_msghdr fields read ("
                        + PfRoute.IF_MSGHDR_MIN + ")");
            }
            int addrs = i32(buf, pos + 4);
            int flags = i32(buf, pos + 8);
            int index = u16(buf, pos + 12);
            return new RouteMessage(pos, type, index, flags, addrs, 0, 0, 0, null);
        }
        // address and multicast messages: skipped by msglen, their bodies are not read
        return new RouteMessage(pos, type, 0, 0, 0, 0, 0, 0, null);
    }

    private static Sockaddr[] sockaddrs(byte[] buf, int pos, int end, int addrs, int type) throws PfRouteFormatException {
        Sockaddr[] out = new Sockaddr[PfRoute.RTAX_MAX];
        if ((addrs & ~0xFF) != 0) {
            throw new PfRouteFormatException(pos - PfRoute.RT_MSGHDR_LEN + PfRoute.OFF_ADDRS, "rtm_addrs 0x" + Integer.toHexString(addrs)
                    + " has bits above RTA_BRD");
        }
        for (int i = 0; i < PfRoute.RTAX_MAX; i++) {
            if ((addrs & (1 << i)) == 0) {
                continue;
            }
            String what = PfRoute.RTA_NAMES[i] + " of " + PfRoute.typeName(type);
            if (pos >= end) {
                throw new PfRouteFormatException(pos, what + " is in rtm_addrs but the message ends before it");
            }
            int len = buf[pos] & 0xFF;
            int step = PfRoute.roundup(len);
            if (len > end - pos) {
                throw new PfRouteFormatException(pos, what + ": sa_len " + len + " runs past the end of the message (" + (end - pos) + " bytes left)");
            }
            boolean mask = i == 2 || i == 3;
            out[i] = mask ? new Sockaddr.Mask(len, java.util.Arrays.copyOfRange(buf, pos, pos + len)) : sockaddr(buf, pos, len, what);
            // the last sockaddr's padding may be cut by msglen; anything else is taken whole
            pos = Math.min(pos + step, end);
        }
        return out;
    }

    private static Sockaddr sockaddr(byte[] b, int pos, int len, String what) throws PfRouteFormatException {
        if (len == 0) {
            return new Sockaddr.Empty();
        }
        if (len < 2) {
            throw new PfRouteFormatException(pos, what + ": sa_len " + len + " leaves no room for sa_family");
        }
        int family = b[pos + 1] & 0xFF;
        switch (family) {
            case PfRoute.AF_INET -> {
                if (len < 8) {
                    throw new PfRouteFormatException(pos, what + ": AF_INET sockaddr of " + len + " bytes, an address needs 8");
                }
                return new Sockaddr.Inet(len, IpAddress.ofBytes(java.util.Arrays.copyOfRange(b, pos + 4, pos + 8)), 0);
            }
            case PfRoute.AF_INET6 -> {
                if (len < 24) {
                    throw new PfRouteFormatException(pos, what + ": AF_INET6 sockaddr of " + len + " bytes, an address needs 24");
                }
                byte[] a = java.util.Arrays.copyOfRange(b, pos + 8, pos + 24);
                int scope = len >= 28 ? i32(b, pos + 24) : 0;
                if ((a[0] & 0xFF) == 0xfe && (a[1] & 0xC0) == 0x80 && (a[2] != 0 || a[3] != 0)) {
                    // KAME: the kernel embeds a link-local address's scope in bytes 2-3
                    if (scope == 0) {
                        scope = (a[2] & 0xFF) << 8 | a[3] & 0xFF;
                    }
                    a[2] = 0;
                    a[3] = 0;
                }
                return new Sockaddr.Inet(len, IpAddress.ofBytes(a), scope);
            }
            case PfRoute.AF_LINK -> {
                if (len < 8) {
                    throw new PfRouteFormatException(pos, what + ": AF_LINK sockaddr of " + len + " bytes, its header needs 8");
                }
                int index = u16(b, pos + 2);
                int type = b[pos + 4] & 0xFF;
                int nlen = b[pos + 5] & 0xFF;
                int alen = b[pos + 6] & 0xFF;
                if (8 + nlen + alen > len) {
                    throw new PfRouteFormatException(pos + 5, what + ": sdl_nlen " + nlen + " + sdl_alen " + alen + " run past sa_len " + len);
                }
                String name = new String(b, pos + 8, nlen, StandardCharsets.US_ASCII);
                return new Sockaddr.Link(len, index, type, name, java.util.Arrays.copyOfRange(b, pos + 8 + nlen, pos + 8 + nlen + alen));
            }
            default -> {
                return new Sockaddr.Other(len, family);
            }
        }
    }

    /**
     * The route a route message describes, or null when it is not one CREW treats as a route: ARP/ND entries
     * (RTF_LLINFO), cloned host entries (RTF_WASCLONED), destinations that are not IPv4/IPv6, and messages that are not
     * route messages. Interface-scoped routes (RTF_IFSCOPE) keep the flag "I" and their scope as the interface.
     * {@code names} maps interface indexes to names (may return null).
     */
    public static DeviceRoute toRoute(RouteMessage m, IntFunction<String> names) throws PfRouteFormatException {
        if (!m.isRoute() || (m.flags() & (PfRoute.RTF_LLINFO | PfRoute.RTF_WASCLONED)) != 0) {
            return null;
        }
        if (!(m.address(PfRoute.RTA_DST) instanceof Sockaddr.Inet dst)) {
            return null;
        }
        IpFamily family = dst.address().family();
        int af = family == IpFamily.IPV4 ? PfRoute.AF_INET : PfRoute.AF_INET6;
        int prefix = family.bits();
        if ((m.flags() & PfRoute.RTF_HOST) == 0 && m.address(PfRoute.RTA_NETMASK) instanceof Sockaddr.Mask mask) {
            prefix = mask.prefixLength(af);
            if (prefix < 0) {
                throw new PfRouteFormatException(m.offset() + PfRoute.RT_MSGHDR_LEN, "RTA_NETMASK of " + PfRoute.typeName(m.type())
                        + " for " + dst.address() + " is not a contiguous mask");
            }
        } else if ((m.flags() & PfRoute.RTF_HOST) == 0 && m.address(PfRoute.RTA_NETMASK) instanceof Sockaddr.Empty) {
            prefix = 0;
        }
        IpAddress gateway = null;
        int ifIndex = m.index();
        String ifName = null;
        Sockaddr gw = m.address(PfRoute.RTA_GATEWAY);
        if (gw instanceof Sockaddr.Inet g) {
            gateway = g.address();
        } else if (gw instanceof Sockaddr.Link l) {
            if (ifIndex == 0) {
                ifIndex = l.index();
            }
            if (!l.name().isEmpty()) {
                ifName = l.name();
            }
        }
        if (m.address(PfRoute.RTA_IFP) instanceof Sockaddr.Link ifp && !ifp.name().isEmpty()) {
            ifName = ifp.name();
            if (ifIndex == 0) {
                ifIndex = ifp.index();
            }
        }
        if (ifName == null && ifIndex != 0 && names != null) {
            ifName = names.apply(ifIndex);
        }
        Set<String> flags = new HashSet<>();
        for (char c : PfRoute.flagLetters(m.flags()).toCharArray()) {
            flags.add(String.valueOf(c));
        }
        int f = m.flags();
        RouteType type = (f & PfRoute.RTF_BLACKHOLE) != 0 ? RouteType.BLACKHOLE : (f & PfRoute.RTF_REJECT) != 0 ? RouteType.UNREACHABLE
                : (f & PfRoute.RTF_MULTICAST) != 0 ? RouteType.MULTICAST : RouteType.UNICAST;
        String scope = (f & PfRoute.RTF_IFSCOPE) != 0 ? SCOPE_INTERFACE : null;
        return new DeviceRoute(Cidr.of(dst.address(), prefix), gateway, ifName, ifIndex, 0, DeviceRoute.MAIN_TABLE,
                (f & PfRoute.RTF_STATIC) != 0 ? "static" : null, scope, type, null, flags);
    }

    /**
     * {@link DeviceRoute#scope()} of an interface-scoped route (RTF_IFSCOPE, netstat's flag I): it serves only
     * sockets bound to its interface, so it does not compete with unscoped routes, but it is a path around the tunnel.
     */
    public static final String SCOPE_INTERFACE = crew.model.device.ConflictDefinition.INTERFACE_SCOPE;

    // ---------------------------------------------------------------- encoding

    /**
     * An RTM_ADD, RTM_CHANGE or RTM_DELETE message for {@code route}: rt_msghdr (version 5, rtm_flags RTF_UP|RTF_STATIC,
     * plus RTF_GATEWAY with a gateway, RTF_HOST for a /32 or /128, RTF_IFSCOPE with rtm_index for a scoped route), then
     * RTA_DST, RTA_GATEWAY (the address, or a sockaddr_dl of the interface index for an on-link route) and RTA_NETMASK
     * (left out for host routes), each a full-length sockaddr.
     */
    public static byte[] encode(int type, DeviceRoute route, int pid, int seq) {
        if (type != PfRoute.RTM_ADD && type != PfRoute.RTM_CHANGE && type != PfRoute.RTM_DELETE && type != PfRoute.RTM_GET) {
            throw new IllegalArgumentException("cannot encode " + PfRoute.typeName(type));
        }
        IpFamily family = route.destination().family();
        boolean host = route.destination().prefixLength() == family.bits();
        boolean scoped = SCOPE_INTERFACE.equals(route.scope()) || route.flags().contains("I");
        int flags = PfRoute.RTF_UP | PfRoute.RTF_STATIC;
        int addrs = PfRoute.RTA_DST;
        byte[] gw = null;
        if (route.gateway() != null) {
            flags |= PfRoute.RTF_GATEWAY;
            gw = inet(route.gateway(), 0);
            addrs |= PfRoute.RTA_GATEWAY;
        } else if (route.interfaceIndex() != 0) {
            gw = link(route.interfaceIndex());
            addrs |= PfRoute.RTA_GATEWAY;
        }
        if (host) {
            flags |= PfRoute.RTF_HOST;
        } else {
            addrs |= PfRoute.RTA_NETMASK;
        }
        if (route.type() == RouteType.BLACKHOLE) {
            flags |= PfRoute.RTF_BLACKHOLE;
        } else if (route.type() == RouteType.UNREACHABLE) {
            flags |= PfRoute.RTF_REJECT;
        }
        if (scoped) {
            if (route.interfaceIndex() == 0) {
                throw new IllegalArgumentException("a scoped route (RTF_IFSCOPE) needs its interface index: " + route);
            }
            flags |= PfRoute.RTF_IFSCOPE;
        }
        byte[] dst = inet(route.destination().network(), 0);
        byte[] mask = host ? null : inet(IpAddress.ofBytes(maskBytes(family, route.destination().prefixLength())), 0);
        int len = PfRoute.RT_MSGHDR_LEN + dst.length + (gw == null ? 0 : gw.length) + (mask == null ? 0 : mask.length);
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(PfRoute.OFF_MSGLEN, (short) len);
        b.put(PfRoute.OFF_VERSION, (byte) PfRoute.RTM_VERSION);
        b.put(PfRoute.OFF_TYPE, (byte) type);
        b.putShort(PfRoute.OFF_INDEX, (short) (scoped ? route.interfaceIndex() : 0));
        b.putInt(PfRoute.OFF_FLAGS, flags);
        b.putInt(PfRoute.OFF_ADDRS, addrs);
        b.putInt(PfRoute.OFF_PID, pid);
        b.putInt(PfRoute.OFF_SEQ, seq);
        b.position(PfRoute.RT_MSGHDR_LEN);
        b.put(dst);
        if (gw != null) {
            b.put(gw);
        }
        if (mask != null) {
            b.put(mask);
        }
        return b.array();
    }

    /** sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes, scope id at +24). */
    static byte[] inet(IpAddress a, int scope) {
        byte[] addr = a.toBytes();
        if (addr.length == 4) {
            byte[] s = new byte[PfRoute.SOCKADDR_IN_LEN];
            s[0] = PfRoute.SOCKADDR_IN_LEN;
            s[1] = PfRoute.AF_INET;
            System.arraycopy(addr, 0, s, 4, 4);
            return s;
        }
        byte[] s = new byte[PfRoute.SOCKADDR_IN6_LEN];
        s[0] = PfRoute.SOCKADDR_IN6_LEN;
        s[1] = PfRoute.AF_INET6;
        System.arraycopy(addr, 0, s, 8, 16);
        ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN).putInt(24, scope);
        return s;
    }

    /** A sockaddr_dl (20 bytes) naming only an interface index: the gateway of an on-link route. */
    static byte[] link(int index) {
        byte[] s = new byte[PfRoute.SOCKADDR_DL_LEN];
        s[0] = PfRoute.SOCKADDR_DL_LEN;
        s[1] = PfRoute.AF_LINK;
        s[2] = (byte) index;
        s[3] = (byte) (index >> 8);
        return s;
    }

    static byte[] maskBytes(IpFamily family, int prefix) {
        byte[] m = new byte[family == IpFamily.IPV4 ? 4 : 16];
        for (int i = 0; i < prefix; i++) {
            m[i / 8] |= (byte) (0x80 >> (i % 8));
        }
        return m;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static int i32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
