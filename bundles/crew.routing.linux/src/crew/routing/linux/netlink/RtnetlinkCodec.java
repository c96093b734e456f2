package crew.routing.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;
import crew.routing.api.PolicyRule;

/**
 * Pure-Java encoding and decoding of rtnetlink messages (rtmsg, fib_rule_hdr, ifinfomsg, ifaddrmsg and their
 * attributes). No I/O here, so captured bytes decode in a plain unit test on any OS.
 */
public final class RtnetlinkCodec {

    private RtnetlinkCodec() {
    }

    /**
     * A link (interface) as RTM_NEWLINK/RTM_DELLINK describe it: {@code up} is IFF_UP, {@code mtu} IFLA_MTU (0 when
     * absent), {@code kind} the IFLA_LINKINFO kind ("veth", "tun"...; null for a plain device such as lo).
     */
    public record Link(int index, String name, boolean up, int mtu, String kind) {
        public Link(int index, String name, boolean up) {
            this(index, name, up, 0, null);
        }
    }

    /** An interface address as RTM_NEWADDR/RTM_DELADDR describe it; {@code flags} are the IFA_F_* bits. */
    public record InterfaceAddress(int index, IpAddress address, int prefixLength, int flags) {
        public InterfaceAddress(int index, IpAddress address, int prefixLength) {
            this(index, address, prefixLength, 0);
        }
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes an RTM_NEWROUTE/RTM_DELROUTE payload. {@code names} maps interface indexes to names (may return null).
     * Returns null for routes that are not IPv4/IPv6 (e.g. MPLS) or are cloned cache entries, which `ip route` hides too.
     */
    public static DeviceRoute decodeRoute(NetlinkMessage m, IntFunction<String> names) throws NetlinkFormatException {
        byte[] p = m.payload();
        if (p.length < Rtnl.RTMSG_LEN) {
            throw new NetlinkFormatException(Rtnl.NLMSG_HDRLEN, "route message of " + p.length + " bytes, shorter than rtmsg (12)");
        }
        int family = p[0] & 0xFF;
        IpFamily f = family(family);
        if (f == null) {
            return null;
        }
        int dstLen = p[1] & 0xFF;
        int table = p[4] & 0xFF;
        int protocol = p[5] & 0xFF;
        int scope = p[6] & 0xFF;
        int type = p[7] & 0xFF;
        int flags = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder()).getInt(8);
        if ((flags & Rtnl.RTM_F_CLONED) != 0) {
            return null;
        }
        if (dstLen > f.bits()) {
            throw new NetlinkFormatException(Rtnl.NLMSG_HDRLEN + 1, "destination prefix /" + dstLen + " too long for " + f);
        }
        Attributes a = Attributes.parse(p, Rtnl.RTMSG_LEN, p.length, Rtnl.NLMSG_HDRLEN);
        int base = Rtnl.NLMSG_HDRLEN;
        IpAddress dst = a.has(Rtnl.RTA_DST) ? address(a.get(Rtnl.RTA_DST), f, base) : zero(f);
        Cidr destination = Cidr.of(dst, dstLen);
        IpAddress gateway = a.has(Rtnl.RTA_GATEWAY) ? address(a.get(Rtnl.RTA_GATEWAY), f, base) : null;
        if (gateway == null && a.has(Rtnl.RTA_VIA)) {
            byte[] via = a.get(Rtnl.RTA_VIA);
            if (via.length < 2) {
                throw new NetlinkFormatException(base, "RTA_VIA too short");
            }
            IpFamily viaFamily = family(ByteBuffer.wrap(via).order(ByteOrder.nativeOrder()).getShort(0) & 0xFFFF);
            if (viaFamily != null) {
                byte[] addr = new byte[via.length - 2];
                System.arraycopy(via, 2, addr, 0, addr.length);
                gateway = address(addr, viaFamily, base);
            }
        }
        int oif = (int) a.u32(Rtnl.RTA_OIF, 0, base);
        int metric = (int) a.u32(Rtnl.RTA_PRIORITY, 0, base);
        int fullTable = (int) a.u32(Rtnl.RTA_TABLE, table, base);
        IpAddress source = a.has(Rtnl.RTA_PREFSRC) ? address(a.get(Rtnl.RTA_PREFSRC), f, base) : null;
        Set<String> flagNames = new HashSet<>();
        if ((flags & Rtnl.RTNH_F_ONLINK) != 0) {
            flagNames.add("onlink");
        }
        if ((flags & Rtnl.RTNH_F_LINKDOWN) != 0) {
            flagNames.add("linkdown");
        }
        if ((flags & Rtnl.RTNH_F_DEAD) != 0) {
            flagNames.add("dead");
        }
        if (a.has(Rtnl.RTA_NH_ID)) {
            flagNames.add("nhid:" + a.u32(Rtnl.RTA_NH_ID, 0, base));
        }
        if (a.has(Rtnl.RTA_MULTIPATH)) {
            // rtnexthop {u16 len; u8 flags; u8 hops; i32 ifindex} + attrs; the first hop stands for the route
            byte[] mp = a.get(Rtnl.RTA_MULTIPATH);
            ByteBuffer b = ByteBuffer.wrap(mp).order(ByteOrder.nativeOrder());
            int off = 0;
            int hops = 0;
            while (off + 8 <= mp.length) {
                int len = b.getShort(off) & 0xFFFF;
                if (len < 8 || off + len > mp.length) {
                    throw new NetlinkFormatException(base, "rtnexthop length " + len + " outside 8.." + (mp.length - off));
                }
                if (hops == 0) {
                    oif = b.getInt(off + 4);
                    Attributes ha = Attributes.parse(mp, off + 8, off + len, base);
                    if (ha.has(Rtnl.RTA_GATEWAY)) {
                        gateway = address(ha.get(Rtnl.RTA_GATEWAY), f, base);
                    }
                }
                hops++;
                off += NetlinkMessage.align(len);
            }
            flagNames.add("multipath:" + hops);
        }
        String name = oif == 0 ? null : names.apply(oif);
        return new DeviceRoute(destination, gateway, name, oif, metric, fullTable, Rtnl.protocolName(protocol), Rtnl.scopeName(scope),
                routeType(type), source, flagNames);
    }

    /** Decodes an RTM_NEWRULE/RTM_DELRULE payload; null for families other than IPv4/IPv6. */
    public static PolicyRule decodeRule(NetlinkMessage m) throws NetlinkFormatException {
        byte[] p = m.payload();
        if (p.length < Rtnl.FIB_RULE_HDR_LEN) {
            throw new NetlinkFormatException(Rtnl.NLMSG_HDRLEN, "rule message of " + p.length + " bytes, shorter than fib_rule_hdr (12)");
        }
        IpFamily f = family(p[0] & 0xFF);
        if (f == null) {
            return null;
        }
        int dstLen = p[1] & 0xFF;
        int srcLen = p[2] & 0xFF;
        int table = p[4] & 0xFF;
        int action = p[7] & 0xFF;
        int flags = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder()).getInt(8);
        int base = Rtnl.NLMSG_HDRLEN;
        Attributes a = Attributes.parse(p, Rtnl.FIB_RULE_HDR_LEN, p.length, base);
        if (dstLen > f.bits() || srcLen > f.bits()) {
            throw new NetlinkFormatException(base + 1, "rule prefix longer than " + f.bits());
        }
        Cidr from = a.has(Rtnl.FRA_SRC) ? Cidr.of(address(a.get(Rtnl.FRA_SRC), f, base), srcLen) : null;
        Cidr to = a.has(Rtnl.FRA_DST) ? Cidr.of(address(a.get(Rtnl.FRA_DST), f, base), dstLen) : null;
        return new PolicyRule(f, (int) a.u32(Rtnl.FRA_PRIORITY, 0, base), (int) a.u32(Rtnl.FRA_TABLE, table, base),
                Rtnl.ruleAction(action), from, to, a.string(Rtnl.FRA_IIFNAME), a.string(Rtnl.FRA_OIFNAME),
                a.u32(Rtnl.FRA_FWMARK, 0, base), a.u32(Rtnl.FRA_FWMASK, 0, base), (flags & Rtnl.FIB_RULE_INVERT) != 0);
    }

    public static Link decodeLink(NetlinkMessage m) throws NetlinkFormatException {
        byte[] p = m.payload();
        if (p.length < Rtnl.IFINFOMSG_LEN) {
            throw new NetlinkFormatException(Rtnl.NLMSG_HDRLEN, "link message of " + p.length + " bytes, shorter than ifinfomsg (16)");
        }
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
        int index = b.getInt(4);
        int flags = b.getInt(8);
        int base = Rtnl.NLMSG_HDRLEN;
        Attributes a = Attributes.parse(p, Rtnl.IFINFOMSG_LEN, p.length, base);
        String kind = null;
        if (a.has(Rtnl.IFLA_LINKINFO)) {
            byte[] info = a.get(Rtnl.IFLA_LINKINFO);
            kind = Attributes.parse(info, 0, info.length, base).string(Rtnl.IFLA_INFO_KIND);
        }
        return new Link(index, a.string(Rtnl.IFLA_IFNAME), (flags & Rtnl.IFF_UP) != 0, (int) a.u32(Rtnl.IFLA_MTU, 0, base), kind);
    }

    /**
     * The peer of a veth creation request ({@link #vethRequest}): the nested ifinfomsg under
     * IFLA_LINKINFO/IFLA_INFO_DATA/VETH_INFO_PEER with its name, and the IFLA_NET_NS_FD it carries (-1: none).
     * Null when the message holds no peer.
     */
    public static VethPeer decodeVethPeer(NetlinkMessage m) throws NetlinkFormatException {
        byte[] p = m.payload();
        int base = Rtnl.NLMSG_HDRLEN;
        if (p.length < Rtnl.IFINFOMSG_LEN) {
            throw new NetlinkFormatException(base, "link message of " + p.length + " bytes, shorter than ifinfomsg (16)");
        }
        byte[] info = Attributes.parse(p, Rtnl.IFINFOMSG_LEN, p.length, base).get(Rtnl.IFLA_LINKINFO);
        if (info == null) {
            return null;
        }
        byte[] data = Attributes.parse(info, 0, info.length, base).get(Rtnl.IFLA_INFO_DATA);
        if (data == null) {
            return null;
        }
        byte[] peer = Attributes.parse(data, 0, data.length, base).get(Rtnl.VETH_INFO_PEER);
        if (peer == null) {
            return null;
        }
        if (peer.length < Rtnl.IFINFOMSG_LEN) {
            throw new NetlinkFormatException(base, "VETH_INFO_PEER of " + peer.length + " bytes, shorter than ifinfomsg (16)");
        }
        Attributes pa = Attributes.parse(peer, Rtnl.IFINFOMSG_LEN, peer.length, base);
        return new VethPeer(pa.string(Rtnl.IFLA_IFNAME), (int) pa.u32(Rtnl.IFLA_NET_NS_FD, -1, base));
    }

    /** What a veth request says about the peer end. */
    public record VethPeer(String name, int namespaceFd) {
    }

    /** Null for families other than IPv4/IPv6. */
    public static InterfaceAddress decodeAddress(NetlinkMessage m) throws NetlinkFormatException {
        byte[] p = m.payload();
        if (p.length < Rtnl.IFADDRMSG_LEN) {
            throw new NetlinkFormatException(Rtnl.NLMSG_HDRLEN, "address message of " + p.length + " bytes, shorter than ifaddrmsg (8)");
        }
        IpFamily f = family(p[0] & 0xFF);
        if (f == null) {
            return null;
        }
        int prefix = p[1] & 0xFF;
        if (prefix > f.bits()) {
            throw new NetlinkFormatException(Rtnl.NLMSG_HDRLEN + 1, "address prefix /" + prefix + " too long for " + f);
        }
        int index = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder()).getInt(4);
        Attributes a = Attributes.parse(p, Rtnl.IFADDRMSG_LEN, p.length, Rtnl.NLMSG_HDRLEN);
        byte[] addr = a.has(Rtnl.IFA_LOCAL) ? a.get(Rtnl.IFA_LOCAL) : a.get(Rtnl.IFA_ADDRESS);
        if (addr == null) {
            throw new NetlinkFormatException(Rtnl.NLMSG_HDRLEN, "address message without IFA_LOCAL or IFA_ADDRESS");
        }
        int flags = (int) a.u32(Rtnl.IFA_FLAGS, p[2] & 0xFF, Rtnl.NLMSG_HDRLEN); // IFA_FLAGS holds all 32 bits when present
        return new InterfaceAddress(index, address(addr, f, Rtnl.NLMSG_HDRLEN), prefix, flags);
    }

    private static IpFamily family(int af) {
        return af == Rtnl.AF_INET ? IpFamily.IPV4 : af == Rtnl.AF_INET6 ? IpFamily.IPV6 : null;
    }

    private static IpAddress zero(IpFamily f) {
        return f == IpFamily.IPV4 ? IpAddress.ofIpv4(0) : IpAddress.ofIpv6(0, 0);
    }

    private static IpAddress address(byte[] v, IpFamily f, int base) throws NetlinkFormatException {
        int want = f.bits() / 8;
        if (v.length != want) {
            throw new NetlinkFormatException(base, f + " address attribute has " + v.length + " bytes, not " + want);
        }
        return IpAddress.ofBytes(v);
    }

    private static RouteType routeType(int t) {
        return switch (t) {
            case 1 -> RouteType.UNICAST;
            case 2 -> RouteType.LOCAL;
            case 3 -> RouteType.BROADCAST;
            case 4 -> RouteType.ANYCAST;
            case 5 -> RouteType.MULTICAST;
            case 6 -> RouteType.BLACKHOLE;
            case 7 -> RouteType.UNREACHABLE;
            case 8 -> RouteType.PROHIBIT;
            case 9 -> RouteType.THROW;
            default -> RouteType.UNKNOWN;
        };
    }

    private static int routeTypeNumber(RouteType t) {
        return switch (t) {
            case UNICAST -> 1;
            case LOCAL -> 2;
            case BROADCAST -> 3;
            case ANYCAST -> 4;
            case MULTICAST -> 5;
            case BLACKHOLE -> 6;
            case UNREACHABLE -> 7;
            case PROHIBIT -> 8;
            case THROW -> 9;
            case UNKNOWN -> 0;
        };
    }

    // ---------------------------------------------------------------- encoding

    /** A dump request (RTM_GETROUTE, RTM_GETRULE, RTM_GETLINK, RTM_GETADDR) for all families. */
    public static byte[] dumpRequest(int type, int sequence) {
        int bodyLen = switch (type) {
            case Rtnl.RTM_GETLINK -> Rtnl.IFINFOMSG_LEN;
            case Rtnl.RTM_GETADDR -> Rtnl.IFADDRMSG_LEN;
            default -> Rtnl.RTMSG_LEN; // rtmsg and fib_rule_hdr are both 12 bytes
        };
        ByteBuffer b = ByteBuffer.allocate(Rtnl.NLMSG_HDRLEN + bodyLen).order(ByteOrder.nativeOrder());
        b.putInt(Rtnl.NLMSG_HDRLEN + bodyLen).putShort((short) type).putShort((short) (Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP))
                .putInt(sequence).putInt(0);
        return b.array(); // body all zero: family AF_UNSPEC
    }

    /**
     * An RTM_NEWROUTE or RTM_DELROUTE request for {@code route} with an acknowledgement. {@code index} is the outgoing
     * interface index (0: none). For a new route, protocol defaults to static and scope to link (no gateway) or
     * universe; a delete carries exactly what the route says, so the kernel removes that route and no other.
     */
    public static byte[] routeRequest(int type, int flags, int sequence, DeviceRoute route, int index) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        b.position(Rtnl.NLMSG_HDRLEN);
        IpFamily f = route.destination().family();
        b.put((byte) (f == IpFamily.IPV4 ? Rtnl.AF_INET : Rtnl.AF_INET6));
        b.put((byte) route.destination().prefixLength());
        b.put((byte) 0); // src_len
        b.put((byte) 0); // tos
        b.put((byte) (route.table() < 256 ? route.table() : Rtnl.RT_TABLE_UNSPEC));
        boolean delete = type == Rtnl.RTM_DELROUTE;
        int protocol = route.protocol() == null ? (delete ? 0 : 4) : Rtnl.protocolNumber(route.protocol());
        b.put((byte) protocol);
        int scope;
        if (route.scope() != null) {
            scope = Rtnl.scopeNumber(route.scope());
        } else if (delete) {
            scope = 255; // RT_SCOPE_NOWHERE: match any scope
        } else if (route.type() == RouteType.LOCAL) {
            scope = Rtnl.RT_SCOPE_HOST;
        } else {
            scope = route.gateway() == null && route.type() == RouteType.UNICAST ? Rtnl.RT_SCOPE_LINK : Rtnl.RT_SCOPE_UNIVERSE;
        }
        b.put((byte) scope);
        b.put((byte) routeTypeNumber(route.type()));
        b.putInt(route.flags().contains("onlink") ? Rtnl.RTNH_F_ONLINK : 0);
        if (route.destination().prefixLength() > 0) {
            putAttribute(b, Rtnl.RTA_DST, route.destination().network().toBytes());
        }
        if (route.gateway() != null) {
            if (route.gateway().family() == f) {
                putAttribute(b, Rtnl.RTA_GATEWAY, route.gateway().toBytes());
            } else {
                byte[] addr = route.gateway().toBytes();
                ByteBuffer via = ByteBuffer.allocate(2 + addr.length).order(ByteOrder.nativeOrder());
                via.putShort((short) (route.gateway().isIpv4() ? Rtnl.AF_INET : Rtnl.AF_INET6)).put(addr);
                putAttribute(b, Rtnl.RTA_VIA, via.array());
            }
        }
        if (index > 0) {
            putAttribute(b, Rtnl.RTA_OIF, intBytes(index));
        }
        if (route.metric() != 0) {
            putAttribute(b, Rtnl.RTA_PRIORITY, intBytes(route.metric()));
        }
        putAttribute(b, Rtnl.RTA_TABLE, intBytes(route.table()));
        if (route.source() != null) {
            putAttribute(b, Rtnl.RTA_PREFSRC, route.source().toBytes());
        }
        return finish(b, type, flags, sequence);
    }

    /** An RTM_NEWRULE or RTM_DELRULE request with an acknowledgement. */
    public static byte[] ruleRequest(int type, int flags, int sequence, PolicyRule rule) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        b.position(Rtnl.NLMSG_HDRLEN);
        b.put((byte) (rule.family() == IpFamily.IPV4 ? Rtnl.AF_INET : Rtnl.AF_INET6));
        b.put((byte) (rule.to() == null ? 0 : rule.to().prefixLength()));
        b.put((byte) (rule.from() == null ? 0 : rule.from().prefixLength()));
        b.put((byte) 0); // tos
        b.put((byte) (rule.table() < 256 ? rule.table() : Rtnl.RT_TABLE_UNSPEC));
        b.put((byte) 0).put((byte) 0);
        b.put((byte) Rtnl.ruleActionNumber(rule.action()));
        b.putInt(rule.inverted() ? Rtnl.FIB_RULE_INVERT : 0);
        putAttribute(b, Rtnl.FRA_PRIORITY, intBytes(rule.priority()));
        if ("lookup".equals(rule.action())) {
            putAttribute(b, Rtnl.FRA_TABLE, intBytes(rule.table()));
        }
        if (rule.from() != null) {
            putAttribute(b, Rtnl.FRA_SRC, rule.from().network().toBytes());
        }
        if (rule.to() != null) {
            putAttribute(b, Rtnl.FRA_DST, rule.to().network().toBytes());
        }
        if (rule.inputInterface() != null) {
            putAttribute(b, Rtnl.FRA_IIFNAME, cString(rule.inputInterface()));
        }
        if (rule.outputInterface() != null) {
            putAttribute(b, Rtnl.FRA_OIFNAME, cString(rule.outputInterface()));
        }
        if (rule.fwmark() != 0) {
            putAttribute(b, Rtnl.FRA_FWMARK, intBytes((int) rule.fwmark()));
            putAttribute(b, Rtnl.FRA_FWMASK, intBytes((int) (rule.fwmask() == 0 ? 0xFFFFFFFFL : rule.fwmask())));
        }
        int len = b.position();
        b.putInt(0, len).putShort(4, (short) type).putShort(6, (short) (flags | Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK))
                .putInt(8, sequence).putInt(12, 0);
        byte[] out = new byte[len];
        System.arraycopy(b.array(), 0, out, 0, len);
        return out;
    }

    /**
     * An RTM_NEWLINK request that changes the existing link {@code name} (found by the kernel by name; ENODEV when
     * there is none): its administrative state ({@code up}, null: unchanged) and its MTU (0: unchanged).
     */
    public static byte[] setLinkRequest(int sequence, String name, Boolean up, int mtu) {
        if (mtu < 0) {
            throw new IllegalArgumentException("MTU " + mtu + " is negative");
        }
        ByteBuffer b = start();
        putIfinfomsg(b, 0, up != null && up ? Rtnl.IFF_UP : 0, up == null ? 0 : Rtnl.IFF_UP);
        putAttribute(b, Rtnl.IFLA_IFNAME, interfaceName(name));
        if (mtu > 0) {
            putAttribute(b, Rtnl.IFLA_MTU, intBytes(mtu));
        }
        return finish(b, Rtnl.RTM_NEWLINK, 0, sequence);
    }

    /** An RTM_GETLINK request for the one link {@code name}, answered by an RTM_NEWLINK and an acknowledgement. */
    public static byte[] getLinkRequest(int sequence, String name) {
        ByteBuffer b = start();
        putIfinfomsg(b, 0, 0, 0);
        putAttribute(b, Rtnl.IFLA_IFNAME, interfaceName(name));
        return finish(b, Rtnl.RTM_GETLINK, 0, sequence);
    }

    /** An RTM_DELLINK request for the link {@code name} (ENODEV when there is none). */
    public static byte[] deleteLinkRequest(int sequence, String name) {
        ByteBuffer b = start();
        putIfinfomsg(b, 0, 0, 0);
        putAttribute(b, Rtnl.IFLA_IFNAME, interfaceName(name));
        return finish(b, Rtnl.RTM_DELLINK, 0, sequence);
    }

    /**
     * An RTM_NEWLINK request (create, exclusive) for a veth pair {@code name}/{@code peerName}: IFLA_LINKINFO with
     * IFLA_INFO_KIND "veth" and IFLA_INFO_DATA holding VETH_INFO_PEER, a nested ifinfomsg with the peer's
     * IFLA_IFNAME and, unless {@code peerNamespaceFd} is negative, IFLA_NET_NS_FD: an open descriptor of the network
     * namespace the peer is created in.
     */
    public static byte[] vethRequest(int sequence, String name, String peerName, int peerNamespaceFd) {
        ByteBuffer b = start();
        putIfinfomsg(b, 0, 0, 0);
        putAttribute(b, Rtnl.IFLA_IFNAME, interfaceName(name));
        int linkInfo = beginNested(b, Rtnl.IFLA_LINKINFO | Rtnl.NLA_F_NESTED);
        putAttribute(b, Rtnl.IFLA_INFO_KIND, cString("veth"));
        int data = beginNested(b, Rtnl.IFLA_INFO_DATA | Rtnl.NLA_F_NESTED);
        int peer = beginNested(b, Rtnl.VETH_INFO_PEER); // a struct first, then attributes: not flagged nested
        putIfinfomsg(b, 0, 0, 0);
        putAttribute(b, Rtnl.IFLA_IFNAME, interfaceName(peerName));
        if (peerNamespaceFd >= 0) {
            putAttribute(b, Rtnl.IFLA_NET_NS_FD, intBytes(peerNamespaceFd));
        }
        endNested(b, peer);
        endNested(b, data);
        endNested(b, linkInfo);
        return finish(b, Rtnl.RTM_NEWLINK, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, sequence);
    }

    /**
     * An RTM_NEWADDR or RTM_DELADDR request for {@code address}/{@code prefixLength} on interface {@code index}.
     * IPv4 carries IFA_LOCAL and IFA_ADDRESS (both the address: no peer), IPv6 IFA_ADDRESS; a new IPv6 address is
     * flagged IFA_F_NODAD so that it is usable at once. 127.0.0.0/8 gets host scope, like `ip addr add` gives it.
     */
    public static byte[] addressRequest(int type, int flags, int sequence, int index, IpAddress address, int prefixLength) {
        if (prefixLength < 0 || prefixLength > address.family().bits()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + address.family().bits());
        }
        boolean v4 = address.isIpv4();
        boolean add = type == Rtnl.RTM_NEWADDR;
        ByteBuffer b = start();
        b.put((byte) (v4 ? Rtnl.AF_INET : Rtnl.AF_INET6));
        b.put((byte) prefixLength);
        b.put((byte) (add && !v4 ? Rtnl.IFA_F_NODAD : 0));
        b.put((byte) (add && v4 && (address.toBytes()[0] & 0xFF) == 127 ? Rtnl.RT_SCOPE_HOST : Rtnl.RT_SCOPE_UNIVERSE));
        b.putInt(index);
        if (v4) {
            putAttribute(b, Rtnl.IFA_LOCAL, address.toBytes());
        }
        putAttribute(b, Rtnl.IFA_ADDRESS, address.toBytes());
        return finish(b, type, flags, sequence);
    }

    private static ByteBuffer start() {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
        b.position(Rtnl.NLMSG_HDRLEN);
        return b;
    }

    /** Writes the nlmsghdr (with NLM_F_REQUEST | NLM_F_ACK) and returns the message's bytes. */
    private static byte[] finish(ByteBuffer b, int type, int flags, int sequence) {
        int len = b.position();
        b.putInt(0, len).putShort(4, (short) type).putShort(6, (short) (flags | Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK))
                .putInt(8, sequence).putInt(12, 0);
        byte[] out = new byte[len];
        System.arraycopy(b.array(), 0, out, 0, len);
        return out;
    }

    /** ifinfomsg: family AF_UNSPEC, type 0, index, flags, change mask. */
    private static void putIfinfomsg(ByteBuffer b, int index, int flags, int change) {
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
    }

    private static int beginNested(ByteBuffer b, int type) {
        int start = b.position();
        b.putShort((short) 0).putShort((short) type);
        return start;
    }

    private static void endNested(ByteBuffer b, int start) {
        b.putShort(start, (short) (b.position() - start)); // contents are aligned already
    }

    /** An interface name as IFLA_IFNAME: 1..15 bytes (IFNAMSIZ 16 with the NUL), no '/', no whitespace. */
    static byte[] interfaceName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty interface name");
        }
        byte[] raw = name.getBytes(StandardCharsets.UTF_8);
        if (raw.length > 15) {
            throw new IllegalArgumentException("interface name '" + name + "' is longer than 15 bytes (IFNAMSIZ)");
        }
        if (name.equals(".") || name.equals("..") || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("interface name '" + name + "' may not be '.', '..' or contain '/', ':' or whitespace");
        }
        return cString(name);
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    static void putAttribute(ByteBuffer b, int type, byte[] value) {
        int len = 4 + value.length;
        b.putShort((short) len).putShort((short) type).put(value);
        for (int pad = NetlinkMessage.align(len) - len; pad > 0; pad--) {
            b.put((byte) 0);
        }
    }

    /** For tests and diagnostics: a string attribute's bytes with the trailing NUL. */
    static byte[] cString(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[raw.length + 1];
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }
}
