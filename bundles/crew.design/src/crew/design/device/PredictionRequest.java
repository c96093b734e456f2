package crew.design.device;

import java.util.List;

import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.OvpnProfile;
import crew.model.net.IpAddress;

/**
 * What a prediction needs.
 *
 * @param design          the endpoint design
 * @param clientAddress   the IPv4 address the client gets from the client CIDR
 * @param clientIpv6      the client's IPv6 tunnel address when IPv6 traffic is tunnelled, or null
 * @param endpointAddress the endpoint's public address the device connects to (full tunnel keeps it outside)
 * @param tunnelInterface the tunnel interface name (tun0, utun3, "AWS VPN Client")
 * @param deviceTable     the device's main table before connecting
 * @param profile         the .ovpn profile, for its route / net_gateway lines, or null
 */
public record PredictionRequest(EndpointDesign design, IpAddress clientAddress, IpAddress clientIpv6, IpAddress endpointAddress,
        String tunnelInterface, List<DeviceRoute> deviceTable, OvpnProfile profile) {

    public PredictionRequest {
        deviceTable = List.copyOf(deviceTable);
        tunnelInterface = tunnelInterface == null ? PredictionDefaults.TUNNEL : tunnelInterface;
    }
}
