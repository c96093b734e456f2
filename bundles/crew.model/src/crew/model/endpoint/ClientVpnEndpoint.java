package crew.model.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Set;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * Every setting of an AWS Client VPN endpoint, as CreateClientVpnEndpoint / ModifyClientVpnEndpoint /
 * DescribeClientVpnEndpoints name them. Identity and status fields ({@code endpointId}, {@code status},
 * {@code dnsName}, {@code creationTime}) are null in a design that has not been created yet.
 *
 * @param clientRouteEnforcement CRE: {@code ClientRouteEnforcementOptions.Enforced}
 */
public record ClientVpnEndpoint(
        String endpointId,
        String description,
        String status,
        String creationTime,
        String dnsName,
        Cidr clientCidrBlock,
        String serverCertificateArn,
        List<AuthenticationOption> authenticationOptions,
        ConnectionLogOptions connectionLogOptions,
        List<IpAddress> dnsServers,
        TransportProtocol transportProtocol,
        int vpnPort,
        boolean splitTunnel,
        List<String> securityGroupIds,
        String vpcId,
        boolean selfServicePortal,
        ClientConnectOptions clientConnectOptions,
        int sessionTimeoutHours,
        ClientLoginBannerOptions clientLoginBannerOptions,
        boolean clientRouteEnforcement,
        boolean disconnectOnSessionTimeout,
        IpAddressType endpointIpAddressType,
        IpAddressType trafficIpAddressType,
        String transitGatewayId,
        Map<String, String> tags) {

    /** Fields that CreateClientVpnEndpoint accepts and ModifyClientVpnEndpoint does not: changing one needs a new endpoint. */
    public static final Set<String> CREATE_ONLY_FIELDS = Set.of("clientCidrBlock", "authenticationOptions", "transportProtocol",
            "endpointIpAddressType", "trafficIpAddressType", "transitGatewayId", "tags");

    /**
     * Fields whose modification resets the endpoint's client connections (AWS: DNS servers, split tunnel, routes,
     * authorization rules and the port; routes and rules are separate objects, see {@link EndpointDesign}).
     */
    public static final Set<String> CONNECTION_RESETTING_FIELDS = Set.of("dnsServers", "splitTunnel", "vpnPort");

    public ClientVpnEndpoint {
        authenticationOptions = authenticationOptions == null ? List.of() : List.copyOf(authenticationOptions);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        connectionLogOptions = connectionLogOptions == null ? ConnectionLogOptions.DISABLED : connectionLogOptions;
        clientConnectOptions = clientConnectOptions == null ? ClientConnectOptions.DISABLED : clientConnectOptions;
        clientLoginBannerOptions = clientLoginBannerOptions == null ? ClientLoginBannerOptions.DISABLED : clientLoginBannerOptions;
        transportProtocol = transportProtocol == null ? TransportProtocol.UDP : transportProtocol;
        endpointIpAddressType = endpointIpAddressType == null ? IpAddressType.IPV4 : endpointIpAddressType;
        trafficIpAddressType = trafficIpAddressType == null ? IpAddressType.IPV4 : trafficIpAddressType;
    }

    /** This endpoint with another id (null: an endpoint not created yet), everything else the same. */
    public ClientVpnEndpoint withEndpointId(String id) {
        return new ClientVpnEndpoint(id, description, status, creationTime, dnsName, clientCidrBlock, serverCertificateArn,
                authenticationOptions, connectionLogOptions, dnsServers, transportProtocol, vpnPort, splitTunnel, securityGroupIds, vpcId,
                selfServicePortal, clientConnectOptions, sessionTimeoutHours, clientLoginBannerOptions, clientRouteEnforcement,
                disconnectOnSessionTimeout, endpointIpAddressType, trafficIpAddressType, transitGatewayId, tags);
    }

    /** This endpoint with SplitTunnel set to {@code split}, everything else the same. */
    public ClientVpnEndpoint withSplitTunnel(boolean split) {
        return new ClientVpnEndpoint(endpointId, description, status, creationTime, dnsName, clientCidrBlock, serverCertificateArn,
                authenticationOptions, connectionLogOptions, dnsServers, transportProtocol, vpnPort, split, securityGroupIds, vpcId,
                selfServicePortal, clientConnectOptions, sessionTimeoutHours, clientLoginBannerOptions, clientRouteEnforcement,
                disconnectOnSessionTimeout, endpointIpAddressType, trafficIpAddressType, transitGatewayId, tags);
    }

    /** Connection logging: CloudWatch Logs group and stream. */
    public record ConnectionLogOptions(boolean enabled, String cloudwatchLogGroup, String cloudwatchLogStream) {
        public static final ConnectionLogOptions DISABLED = new ConnectionLogOptions(false, null, null);
    }

    /** The client connect handler: a Lambda function that authorizes new connections. */
    public record ClientConnectOptions(boolean enabled, String lambdaFunctionArn) {
        public static final ClientConnectOptions DISABLED = new ClientConnectOptions(false, null);
    }

    /** The banner shown by the AWS client after connecting (at most 1400 characters). */
    public record ClientLoginBannerOptions(boolean enabled, String bannerText) {
        public static final ClientLoginBannerOptions DISABLED = new ClientLoginBannerOptions(false, null);
    }
}
