package crew.aws;

import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.EndpointDesign;

/** Small transformations of designs that plan and apply need. */
public final class Designs {
    private Designs() {
    }

    /** {@code design} with its endpoint's id replaced by {@code endpointId} (null: a new endpoint). */
    public static EndpointDesign withEndpointId(EndpointDesign design, String endpointId) {
        ClientVpnEndpoint e = design.endpoint();
        ClientVpnEndpoint n = new ClientVpnEndpoint(endpointId, e.description(), e.status(), e.creationTime(), e.dnsName(), e.clientCidrBlock(),
                e.serverCertificateArn(), e.authenticationOptions(), e.connectionLogOptions(), e.dnsServers(), e.transportProtocol(), e.vpnPort(),
                e.splitTunnel(), e.securityGroupIds(), e.vpcId(), e.selfServicePortal(), e.clientConnectOptions(), e.sessionTimeoutHours(),
                e.clientLoginBannerOptions(), e.clientRouteEnforcement(), e.disconnectOnSessionTimeout(), e.endpointIpAddressType(),
                e.trafficIpAddressType(), e.transitGatewayId(), e.tags());
        return new EndpointDesign(design.name(), n, design.targetNetworks(), design.routes(), design.authorizationRules());
    }
}
