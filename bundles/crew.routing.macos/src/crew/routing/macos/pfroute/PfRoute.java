package crew.routing.macos.pfroute;

/**
 * Constants of the macOS (XNU) routing socket, from bsd/net/route.h and bsd/sys/socket.h. FreeBSD's values and
 * rt_msghdr differ: these are XNU's.
 */
public final class PfRoute {

    private PfRoute() {
    }

    public static final int RTM_VERSION = 5;
    /** sizeof(struct rt_msghdr) and sizeof(struct rt_msghdr2): 92 bytes, little-endian on x86_64 and arm64. */
    public static final int RT_MSGHDR_LEN = 92;
    /** sizeof(struct rt_metrics): 14 u32. */
    public static final int RT_METRICS_LEN = 56;
    /** Bytes of if_msghdr this codec reads (msglen, version, type, addrs, flags, index). */
    public static final int IF_MSGHDR_MIN = 14;

    // rt_msghdr field offsets
    public static final int OFF_MSGLEN = 0;
    public static final int OFF_VERSION = 2;
    public static final int OFF_TYPE = 3;
    public static final int OFF_INDEX = 4;
    public static final int OFF_FLAGS = 8;
    public static final int OFF_ADDRS = 12;
    public static final int OFF_PID = 16;
    public static final int OFF_SEQ = 20;
    public static final int OFF_ERRNO = 24;
    public static final int OFF_USE = 28;
    public static final int OFF_INITS = 32;
    public static final int OFF_RMX = 36;
    // rt_msghdr2 (RTM_GET2, NET_RT_DUMP2) in place of pid/seq/errno
    public static final int OFF2_REFCNT = 16;
    public static final int OFF2_PARENTFLAGS = 20;
    public static final int OFF2_RESERVED = 24;

    // message types
    public static final int RTM_ADD = 0x1;
    public static final int RTM_DELETE = 0x2;
    public static final int RTM_CHANGE = 0x3;
    public static final int RTM_GET = 0x4;
    public static final int RTM_LOSING = 0x5;
    public static final int RTM_REDIRECT = 0x6;
    public static final int RTM_MISS = 0x7;
    public static final int RTM_NEWADDR = 0xc;
    public static final int RTM_DELADDR = 0xd;
    public static final int RTM_IFINFO = 0xe;
    public static final int RTM_NEWMADDR = 0xf;
    public static final int RTM_DELMADDR = 0x10;
    public static final int RTM_IFINFO2 = 0x12;
    public static final int RTM_GET2 = 0x14;

    // rtm_addrs bits; the sockaddrs follow the header in this order
    public static final int RTA_DST = 0x1;
    public static final int RTA_GATEWAY = 0x2;
    public static final int RTA_NETMASK = 0x4;
    public static final int RTA_GENMASK = 0x8;
    public static final int RTA_IFP = 0x10;
    public static final int RTA_IFA = 0x20;
    public static final int RTA_AUTHOR = 0x40;
    public static final int RTA_BRD = 0x80;
    public static final int RTAX_MAX = 8;
    static final String[] RTA_NAMES = {"RTA_DST", "RTA_GATEWAY", "RTA_NETMASK", "RTA_GENMASK", "RTA_IFP", "RTA_IFA", "RTA_AUTHOR", "RTA_BRD"};

    // rtm_flags
    public static final int RTF_UP = 0x1;
    public static final int RTF_GATEWAY = 0x2;
    public static final int RTF_HOST = 0x4;
    public static final int RTF_REJECT = 0x8;
    public static final int RTF_DYNAMIC = 0x10;
    public static final int RTF_MODIFIED = 0x20;
    public static final int RTF_DONE = 0x40;
    public static final int RTF_CLONING = 0x100;
    public static final int RTF_XRESOLVE = 0x200;
    public static final int RTF_LLINFO = 0x400;
    public static final int RTF_STATIC = 0x800;
    public static final int RTF_BLACKHOLE = 0x1000;
    public static final int RTF_PROTO2 = 0x4000;
    public static final int RTF_PROTO1 = 0x8000;
    public static final int RTF_PRCLONING = 0x10000;
    public static final int RTF_WASCLONED = 0x20000;
    public static final int RTF_PROTO3 = 0x40000;
    public static final int RTF_LOCAL = 0x200000;
    public static final int RTF_BROADCAST = 0x400000;
    public static final int RTF_MULTICAST = 0x800000;
    public static final int RTF_IFSCOPE = 0x1000000;
    public static final int RTF_IFREF = 0x4000000;
    public static final int RTF_PROXY = 0x8000000;
    public static final int RTF_ROUTER = 0x10000000;
    public static final int RTF_GLOBAL = 0x40000000;

    /** netstat -rn's flag letters (macOS netstat route.c), in its order. */
    static final int[] FLAG_BITS = {RTF_UP, RTF_GATEWAY, RTF_HOST, RTF_REJECT, RTF_DYNAMIC, RTF_MODIFIED, RTF_DONE, RTF_CLONING,
        RTF_XRESOLVE, RTF_LLINFO, RTF_STATIC, RTF_BLACKHOLE, RTF_PROTO2, RTF_PROTO1, RTF_PRCLONING, RTF_WASCLONED, RTF_PROTO3,
        RTF_BROADCAST, RTF_MULTICAST, RTF_IFSCOPE, RTF_IFREF, RTF_PROXY, RTF_ROUTER, RTF_GLOBAL};
    static final char[] FLAG_LETTERS = {'U', 'G', 'H', 'R', 'D', 'M', 'd', 'C', 'X', 'L', 'S', 'B', '2', '1', 'c', 'W', '3', 'b',
        'm', 'I', 'i', 'Y', 'r', 'g'};

    // address families
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_ROUTE = 17;
    public static final int AF_LINK = 18;
    public static final int AF_INET6 = 30;
    public static final int SOCKADDR_IN_LEN = 16;
    public static final int SOCKADDR_IN6_LEN = 28;
    /** sizeof(struct sockaddr_dl); the kernel also sends shorter ones (14 bytes seen). */
    public static final int SOCKADDR_DL_LEN = 20;

    // sysctl {CTL_NET, PF_ROUTE, 0, af, NET_RT_DUMP2, 0}
    public static final int CTL_NET = 4;
    public static final int NET_RT_DUMP = 1;
    public static final int NET_RT_DUMP2 = 7;

    /** ROUNDUP32 of rtsock.c: a sockaddr takes its length rounded up to 4 bytes, and 4 when its length is 0. */
    public static int roundup(int len) {
        return len > 0 ? 1 + ((len - 1) | 3) : 4;
    }

    /** netstat's letters for {@code flags}, e.g. "UGSc". */
    public static String flagLetters(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & FLAG_BITS[i]) != 0) {
                sb.append(FLAG_LETTERS[i]);
            }
        }
        return sb.toString();
    }

    /** The name of a message type, for errors and logs. */
    public static String typeName(int type) {
        return switch (type) {
            case RTM_ADD -> "RTM_ADD";
            case RTM_DELETE -> "RTM_DELETE";
            case RTM_CHANGE -> "RTM_CHANGE";
            case RTM_GET -> "RTM_GET";
            case RTM_LOSING -> "RTM_LOSING";
            case RTM_REDIRECT -> "RTM_REDIRECT";
            case RTM_MISS -> "RTM_MISS";
            case RTM_NEWADDR -> "RTM_NEWADDR";
            case RTM_DELADDR -> "RTM_DELADDR";
            case RTM_IFINFO -> "RTM_IFINFO";
            case RTM_NEWMADDR -> "RTM_NEWMADDR";
            case RTM_DELMADDR -> "RTM_DELMADDR";
            case RTM_IFINFO2 -> "RTM_IFINFO2";
            case RTM_GET2 -> "RTM_GET2";
            default -> "type 0x" + Integer.toHexString(type);
        };
    }

    /** Whether {@code type} carries an rt_msghdr (or rt_msghdr2). */
    public static boolean isRouteMessage(int type) {
        return type >= RTM_ADD && type <= RTM_MISS || type == RTM_GET2 || type == 0x8 /* RTM_LOCK */ || type == 0x9 /* RTM_OLDADD */
                || type == 0xa /* RTM_OLDDEL */ || type == 0xb /* RTM_RESOLVE */;
    }
}
