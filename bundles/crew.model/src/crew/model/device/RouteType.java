package crew.model.device;

/** What a route does with matching traffic (Linux rtm_type names; other OSes map onto these). */
public enum RouteType {
    /** Forward to a gateway or out of an interface. */
    UNICAST,
    /** Deliver locally (the Linux local table's own addresses). */
    LOCAL,
    BROADCAST,
    MULTICAST,
    ANYCAST,
    /** Drop silently. Not a leak: traffic goes nowhere. */
    BLACKHOLE,
    /** Drop with ICMP unreachable. */
    UNREACHABLE,
    /** Drop with ICMP prohibited. */
    PROHIBIT,
    /** Continue the policy-rule lookup. */
    THROW,
    UNKNOWN;

    /** Whether traffic matching the route is dropped rather than sent anywhere. */
    public boolean drops() {
        return this == BLACKHOLE || this == UNREACHABLE || this == PROHIBIT;
    }
}
