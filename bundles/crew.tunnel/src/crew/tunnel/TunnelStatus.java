package crew.tunnel;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import crew.model.device.DeviceRoute;

/**
 * A snapshot of a tunnel session.
 *
 * @param state           CREW's state
 * @param openvpnState    openvpn's last state name (WAIT, AUTH, CONNECTED, RECONNECTING ...), empty before the first
 * @param detail          openvpn's detail of that state (e.g. the reason of a reconnect)
 * @param since           when {@code state} began
 * @param configuration   what the server pushed, once connected
 * @param enforced        whether the CRE engine remediates conflicts in this session (pushed by the server, or forced)
 * @param protectedRoutes the routes the session installed and protects
 * @param error           why the session failed
 */
public record TunnelStatus(TunnelState state, String openvpnState, String detail, Instant since, Optional<PushedConfiguration> configuration,
        boolean enforced, List<DeviceRoute> protectedRoutes, Optional<TunnelException> error) {
    public TunnelStatus {
        protectedRoutes = List.copyOf(protectedRoutes);
    }
}
