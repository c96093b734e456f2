package crew.design.trace;

import java.util.List;

import crew.model.device.DeviceRoute;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnRoute;

/**
 * One destination from one user, step by step.
 *
 * @param verdict       the outcome
 * @param deviceRoute   the device route that wins after connecting (CRE applied when enforced), or null
 * @param viaTunnel     whether that route is a tunnel route
 * @param endpointRoutes the endpoint routes of the most specific matching destination (one per subnet), empty if none
 * @param authorization the rule that admits the user, or null
 * @param steps         the reasoning, one line each
 */
public record TraceResult(Verdict verdict, String destination, DeviceRoute deviceRoute, boolean viaTunnel, List<ClientVpnRoute> endpointRoutes,
        AuthorizationRule authorization, List<String> steps) {

    public enum Verdict {
        /** Through the tunnel, routed by the endpoint, authorized. */
        REACHABLE,
        /** The device sends it outside the tunnel (not a VPN destination, or a leak). */
        OUTSIDE_TUNNEL,
        /** The device has no route, or a route that drops it. */
        NO_DEVICE_ROUTE,
        /** Into the tunnel, but the endpoint has no route to it. */
        NO_ENDPOINT_ROUTE,
        /** Into the tunnel and routed, but no authorization rule admits the user. */
        DENIED
    }
}
