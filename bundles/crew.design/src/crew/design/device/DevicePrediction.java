package crew.design.device;

import java.util.List;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * The device table after connecting, as the AWS client would leave it.
 *
 * @param tunnelGateway   first host of the client's /27: the next hop of every tunnel route
 * @param added           routes the VPN adds
 * @param protectedRoutes routes CRE keeps in place
 * @param exemptRanges    ranges where CRE allows conflicts (net_gateway profile routes, server and LAN gateway hosts)
 * @param conflicts       device routes CRE would remove (when the endpoint enforces; listed either way)
 * @param leaks           traffic that would leave outside the tunnel without CRE: one per conflict
 * @param after           the resulting table: without conflicts when CRE is enforced, else with them
 * @param enforced        whether the design enables CRE
 */
public record DevicePrediction(IpAddress tunnelGateway, List<DeviceRoute> added, List<ProtectedRoute> protectedRoutes, List<Cidr> exemptRanges,
        List<Conflict> conflicts, List<Leak> leaks, List<DeviceRoute> after, boolean enforced) {

    /** Traffic to {@code range} that should use the tunnel ({@code protectedRange}) but would leave via {@code via}. */
    public record Leak(Cidr range, Cidr protectedRange, DeviceRoute via) {
        @Override
        public String toString() {
            return range + " (tunnel route " + protectedRange + ") would leave via " + via;
        }
    }
}
