package crew.routing.linux.netlink;

/** Numbers from linux/netlink.h, linux/rtnetlink.h, linux/fib_rules.h, linux/if_link.h and linux/if_addr.h. */
public final class Rtnl {
    private Rtnl() {
    }

    public static final int NETLINK_ROUTE = 0;
    public static final int AF_NETLINK = 16;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    // nlmsghdr
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;

    // message types
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWRULE = 32;
    public static final int RTM_DELRULE = 33;
    public static final int RTM_GETRULE = 34;

    // rtmsg
    public static final int RTMSG_LEN = 12;
    public static final int RTA_DST = 1;
    public static final int RTA_SRC = 2;
    public static final int RTA_IIF = 3;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_METRICS = 8;
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_TABLE = 15;
    public static final int RTA_MARK = 16;
    public static final int RTA_VIA = 18;
    public static final int RTA_PREF = 20;
    public static final int RTA_NH_ID = 30;
    public static final int RTM_F_CLONED = 0x200;
    public static final int RTNH_F_DEAD = 1;
    public static final int RTNH_F_ONLINK = 4;
    public static final int RTNH_F_LINKDOWN = 16;
    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;

    // fib_rule_hdr
    public static final int FIB_RULE_HDR_LEN = 12;
    public static final int FRA_DST = 1;
    public static final int FRA_SRC = 2;
    public static final int FRA_IIFNAME = 3;
    public static final int FRA_GOTO = 4;
    public static final int FRA_PRIORITY = 6;
    public static final int FRA_FWMARK = 10;
    public static final int FRA_TABLE = 15;
    public static final int FRA_FWMASK = 16;
    public static final int FRA_OIFNAME = 17;
    public static final int FIB_RULE_INVERT = 2;

    // ifinfomsg / ifaddrmsg
    public static final int IFINFOMSG_LEN = 16;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int VETH_INFO_PEER = 1;
    public static final int IFF_UP = 0x1;
    public static final int IFADDRMSG_LEN = 8;
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_F_NODAD = 0x02;
    /** nla_type bit of an attribute that holds attributes. */
    public static final int NLA_F_NESTED = 0x8000;

    // legacy multicast group bits for bind(); IPv6 rules need NETLINK_ADD_MEMBERSHIP with group number 19
    public static final int RTMGRP_LINK = 0x1;
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    public static final int RTMGRP_IPV4_ROUTE = 0x40;
    public static final int RTMGRP_IPV4_RULE = 0x80;
    public static final int RTMGRP_IPV6_IFADDR = 0x100;
    public static final int RTMGRP_IPV6_ROUTE = 0x400;
    public static final int RTNLGRP_IPV6_RULE = 19;

    private static final String[] TYPES = {"unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole",
        "unreachable", "prohibit", "throw", "nat", "xresolve"};

    public static String protocolName(int p) {
        return switch (p) {
            case 0 -> "unspec";
            case 1 -> "redirect";
            case 2 -> "kernel";
            case 3 -> "boot";
            case 4 -> "static";
            case 8 -> "gated";
            case 9 -> "ra";
            case 11 -> "zebra";
            case 12 -> "bird";
            case 16 -> "dhcp";
            case 42 -> "babel";
            case 186 -> "bgp";
            case 187 -> "isis";
            case 188 -> "ospf";
            default -> String.valueOf(p);
        };
    }

    public static int protocolNumber(String name) {
        if (name == null) {
            return 4; // static: what a route added by hand is
        }
        for (int p = 0; p < 256; p++) {
            if (protocolName(p).equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown route protocol '" + name + "'");
    }

    public static String scopeName(int s) {
        return switch (s) {
            case 0 -> "universe";
            case 200 -> "site";
            case 253 -> "link";
            case 254 -> "host";
            case 255 -> "nowhere";
            default -> String.valueOf(s);
        };
    }

    public static int scopeNumber(String name) {
        return switch (name) {
            case "universe" -> 0;
            case "site" -> 200;
            case "link" -> 253;
            case "host" -> 254;
            case "nowhere" -> 255;
            default -> Integer.parseInt(name);
        };
    }

    public static String typeName(int t) {
        return t >= 0 && t < TYPES.length ? TYPES[t] : String.valueOf(t);
    }

    public static String ruleAction(int a) {
        return switch (a) {
            case 1 -> "lookup";
            case 2 -> "goto";
            case 3 -> "nop";
            case 6 -> "blackhole";
            case 7 -> "unreachable";
            case 8 -> "prohibit";
            default -> "action-" + a;
        };
    }

    public static int ruleActionNumber(String a) {
        return switch (a) {
            case "lookup" -> 1;
            case "goto" -> 2;
            case "nop" -> 3;
            case "blackhole" -> 6;
            case "unreachable" -> 7;
            case "prohibit" -> 8;
            default -> throw new IllegalArgumentException("unknown rule action '" + a + "'");
        };
    }
}
