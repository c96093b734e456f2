package crew.enforce;

import java.time.Instant;
import java.util.List;

/**
 * One audit event. Every event carries the tag "Client Route Enforcement" (what AWS's client logs use, so the same
 * searches find CREW's lines) and its kind's name.
 */
public record EnforcementEvent(Instant time, String sessionId, Kind kind, String route, String detail, List<String> tags) {

    public static final String TAG = "Client Route Enforcement";

    public enum Kind {
        SESSION_STARTED, ROUTE_INSTALLED, CONFLICT_DETECTED, ROUTE_REMOVED, PROTECTED_ROUTE_RESTORED, RULE_REMOVED, FIGHT,
        RECONCILED, OVERRUN, ROUTE_RESTORED, SESSION_STOPPED, RECOVERED, ERROR
    }

    public EnforcementEvent {
        tags = List.copyOf(tags);
    }

    public static EnforcementEvent of(String sessionId, Kind kind, Object route, String detail) {
        return new EnforcementEvent(Instant.now(), sessionId, kind, route == null ? null : route.toString(), detail,
                List.of(TAG, tagOf(kind)));
    }

    /** The tag naming an event's kind, e.g. "route-removed". */
    public static String tagOf(Kind kind) {
        return kind.name().toLowerCase().replace('_', '-');
    }
}
