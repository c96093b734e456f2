package crew.enforce;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * What one enforced session protects.
 *
 * @param sessionId             names the session in events and the journal file
 * @param tunnelInterface       the tunnel device (tun0); routes through it are never conflicts
 * @param tunnelGateway         next hop inside the tunnel for IPv4 protected routes (AWS: first host of the client's
 *                              /27), or null for on-link routes on the tunnel device
 * @param protectedDestinations the pushed routes (split tunnel) or the halves 0.0.0.0/1 and 128.0.0.0/1 (full
 *                              tunnel), plus profile routes to the VPN gateway; never `net_gateway` routes
 * @param exemptDestinations    profile `route ... net_gateway` destinations: conflicts inside them are allowed
 * @param bypassRoutes          routes the session installs outside the tunnel and that must survive: the VPN server
 *                              via the LAN gateway (openvpn's trusted_ip via route_net_gateway) and an on-link
 *                              host route to that gateway (full tunnel removes the LAN's connected route)
 * @param ignoredRanges         ranges CRE never touches (AWS's list by default)
 * @param reconcileInterval     period of the full reconcile that backs the events up
 */
public record SessionSpec(String sessionId, String tunnelInterface, IpAddress tunnelGateway, List<Cidr> protectedDestinations,
        List<Cidr> exemptDestinations, List<crew.model.device.DeviceRoute> bypassRoutes, EnforcementMode mode, List<Cidr> ignoredRanges,
        Duration reconcileInterval) {

    /** AWS CRE's ignored ranges. */
    public static final List<Cidr> AWS_IGNORED_RANGES = crew.model.device.ClientRouteEnforcement.IGNORED_RANGES;

    public SessionSpec {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tunnelInterface, "tunnelInterface");
        if (!sessionId.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("session id '" + sessionId + "' may contain only letters, digits, '.', '_' and '-'");
        }
        protectedDestinations = List.copyOf(protectedDestinations);
        exemptDestinations = exemptDestinations == null ? List.of() : List.copyOf(exemptDestinations);
        bypassRoutes = bypassRoutes == null ? List.of() : List.copyOf(bypassRoutes);
        mode = mode == null ? EnforcementMode.AWS : mode;
        ignoredRanges = ignoredRanges == null ? AWS_IGNORED_RANGES : List.copyOf(ignoredRanges);
        reconcileInterval = reconcileInterval == null ? Duration.ofSeconds(5) : reconcileInterval;
        if (protectedDestinations.isEmpty()) {
            throw new IllegalArgumentException("a session protects at least one destination");
        }
    }
}
