package crew.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.IpAddressType;
import crew.model.endpoint.TargetNetwork;
import crew.model.endpoint.TransportProtocol;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthentication;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Converts SDK model objects into crew.model.endpoint records. */
public final class SdkTranslation {
    private SdkTranslation() {
    }

    public static ClientVpnEndpoint endpoint(software.amazon.awssdk.services.ec2.model.ClientVpnEndpoint e) {
        List<AuthenticationOption> auth = new ArrayList<>();
        for (ClientVpnAuthentication a : e.authenticationOptions()) {
            auth.add(new AuthenticationOption(a.typeAsString(), a.mutualAuthentication() == null ? null : a.mutualAuthentication().clientRootCertificateChain(),
                    a.activeDirectory() == null ? null : a.activeDirectory().directoryId(),
                    a.federatedAuthentication() == null ? null : a.federatedAuthentication().samlProviderArn(),
                    a.federatedAuthentication() == null ? null : a.federatedAuthentication().selfServiceSamlProviderArn()));
        }
        List<IpAddress> dns = new ArrayList<>();
        e.dnsServers().forEach(d -> dns.add(IpAddress.parse(d)));
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : e.tags()) {
            tags.put(t.key(), t.value());
        }
        var log = e.connectionLogOptions();
        var connect = e.clientConnectOptions();
        var banner = e.clientLoginBannerOptions();
        var cre = e.clientRouteEnforcementOptions();
        return new ClientVpnEndpoint(e.clientVpnEndpointId(), e.description(), e.status() == null ? null : e.status().codeAsString(),
                e.creationTime(), e.dnsName(), e.clientCidrBlock() == null ? null : Cidr.parse(e.clientCidrBlock()), e.serverCertificateArn(), auth,
                log == null ? null : new ClientVpnEndpoint.ConnectionLogOptions(Boolean.TRUE.equals(log.enabled()), log.cloudwatchLogGroup(), log.cloudwatchLogStream()),
                dns, e.transportProtocolAsString() == null ? null : TransportProtocol.fromAws(e.transportProtocolAsString()),
                e.vpnPort() == null ? 443 : e.vpnPort(), Boolean.TRUE.equals(e.splitTunnel()), e.securityGroupIds(), e.vpcId(),
                e.selfServicePortalUrl() != null && !e.selfServicePortalUrl().isEmpty(),
                connect == null ? null : new ClientVpnEndpoint.ClientConnectOptions(Boolean.TRUE.equals(connect.enabled()), connect.lambdaFunctionArn()),
                e.sessionTimeoutHours() == null ? 24 : e.sessionTimeoutHours(),
                banner == null ? null : new ClientVpnEndpoint.ClientLoginBannerOptions(Boolean.TRUE.equals(banner.enabled()), banner.bannerText()),
                cre != null && Boolean.TRUE.equals(cre.enforced()), !Boolean.FALSE.equals(e.disconnectOnSessionTimeout()),
                e.endpointIpAddressTypeAsString() == null ? null : IpAddressType.fromAws(e.endpointIpAddressTypeAsString()),
                e.trafficIpAddressTypeAsString() == null ? null : IpAddressType.fromAws(e.trafficIpAddressTypeAsString()),
                e.transitGatewayConfiguration() == null ? null : e.transitGatewayConfiguration().transitGatewayId(), tags);
    }

    public static TargetNetwork targetNetwork(software.amazon.awssdk.services.ec2.model.TargetNetwork t, Subnet subnet) {
        return new TargetNetwork(t.associationId(), t.targetNetworkId(), t.vpcId(), subnet == null ? null : subnet.availabilityZone(),
                subnet == null || subnet.cidrBlock() == null ? null : Cidr.parse(subnet.cidrBlock()), t.status() == null ? null : t.status().codeAsString(),
                subnet == null || subnet.availableIpAddressCount() == null ? 0 : subnet.availableIpAddressCount());
    }

    public static ClientVpnRoute route(software.amazon.awssdk.services.ec2.model.ClientVpnRoute r) {
        return new ClientVpnRoute(Cidr.parse(r.destinationCidr()), r.targetSubnet(), r.origin(), r.type(), r.description(),
                r.status() == null ? null : r.status().codeAsString());
    }

    public static AuthorizationRule rule(software.amazon.awssdk.services.ec2.model.AuthorizationRule r) {
        String group = r.groupId() == null || r.groupId().isEmpty() ? null : r.groupId();
        return new AuthorizationRule(Cidr.parse(r.destinationCidr()), group, Boolean.TRUE.equals(r.accessAll()), r.description(),
                r.status() == null ? null : r.status().codeAsString());
    }
}
