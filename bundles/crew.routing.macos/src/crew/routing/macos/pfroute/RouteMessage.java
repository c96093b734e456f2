package crew.routing.macos.pfroute;

import java.util.Arrays;

/**
 * One routing-socket message. Route messages carry rt_msghdr (or rt_msghdr2 for RTM_GET2, which has no errno: it
 * reads 0 here); interface messages carry if_msghdr's index and flags; any other type only its type.
 *
 * @param offset  where the message starts in the buffer it was decoded from
 * @param type    RTM_*
 * @param index   rtm_index (for a dump: the interface; for a scoped route: the scope) or ifm_index
 * @param flags   rtm_flags (RTF_*) or ifm_flags (IFF_*)
 * @param addrs   rtm_addrs (RTA_* bits)
 * @param pid     rtm_pid (0 for RTM_GET2)
 * @param seq     rtm_seq (0 for RTM_GET2)
 * @param errno   rtm_errno (0 for RTM_GET2)
 * @param sockaddrs the sockaddrs by RTAX_ index (null where rtm_addrs has no bit)
 */
public record RouteMessage(int offset, int type, int index, int flags, int addrs, int pid, int seq, int errno, Sockaddr[] sockaddrs) {

    public RouteMessage {
        sockaddrs = sockaddrs == null ? new Sockaddr[PfRoute.RTAX_MAX] : sockaddrs.clone();
    }

    public boolean isRoute() {
        return PfRoute.isRouteMessage(type);
    }

    public boolean isInterface() {
        return type == PfRoute.RTM_IFINFO;
    }

    /** The sockaddr for an RTA_ bit (RTA_DST, RTA_GATEWAY, ...), or null. */
    public Sockaddr address(int rtaBit) {
        return sockaddrs[Integer.numberOfTrailingZeros(rtaBit)];
    }

    @Override
    public Sockaddr[] sockaddrs() {
        return sockaddrs.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteMessage m && m.offset == offset && m.type == type && m.index == index && m.flags == flags && m.addrs == addrs
                && m.pid == pid && m.seq == seq && m.errno == errno && Arrays.equals(m.sockaddrs, sockaddrs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sockaddrs) * 31 + type * 17 + flags;
    }

    @Override
    public String toString() {
        return PfRoute.typeName(type) + " index " + index + " flags " + PfRoute.flagLetters(flags) + " " + Arrays.toString(sockaddrs);
    }
}
