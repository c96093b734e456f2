package crew.routing.inspect;

/** How the inspector classifies a route of the device's table, most specific meaning first. */
public enum RouteClass {
    /** Installed and protected by an active CREW session. */
    PROTECTED,
    /** Overlaps a protected route and would win over it: enforcement removes it. */
    CONFLICTING,
    /** Through a tunnel interface (tun/tap/utun/wg) but not protected by a session. */
    TUNNEL,
    /** Inside a range CRE ignores (loopback, link-local, multicast, broadcast). */
    IGNORED_RANGE,
    /** The host's own addresses and the local table. */
    LOCAL,
    /** Anything else: LAN, default route, routes of other software. */
    OTHER
}
