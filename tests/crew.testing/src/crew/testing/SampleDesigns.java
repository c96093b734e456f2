package crew.testing;

import java.util.List;
import java.util.Map;

import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.endpoint.TransportProtocol;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** A small but complete endpoint design for UI tests: two subnets, routes (one missing a subnet), group rules. */
public final class SampleDesigns {
    private SampleDesigns() {
    }

    public static EndpointDesign corporate() {
        ClientVpnEndpoint endpoint = new ClientVpnEndpoint(null, "Corporate VPN", null, null, null, Cidr.parse("10.100.0.0/22"),
                "arn:aws:acm:eu-west-1:123456789012:certificate/server", List.of(AuthenticationOption.certificate(
                        "arn:aws:acm:eu-west-1:123456789012:certificate/client-ca")),
                null, List.of(IpAddress.parse("10.0.0.2")), TransportProtocol.UDP, 443, true, List.of("sg-0123"), "vpc-0abc",
                false, null, 24, null, true, true, null, null, null, Map.of("team", "network"));
        List<TargetNetwork> subnets = List.of(
                new TargetNetwork(null, "subnet-a", "vpc-0abc", "eu-west-1a", Cidr.parse("10.0.1.0/24"), null, 0),
                new TargetNetwork(null, "subnet-b", "vpc-0abc", "eu-west-1b", Cidr.parse("10.0.2.0/24"), null, 0));
        List<ClientVpnRoute> routes = List.of(
                new ClientVpnRoute(Cidr.parse("10.0.0.0/16"), "subnet-a", "associate", null, "VPC", null),
                new ClientVpnRoute(Cidr.parse("10.0.0.0/16"), "subnet-b", "associate", null, "VPC", null),
                new ClientVpnRoute(Cidr.parse("192.168.50.0/24"), "subnet-a", "add-route", null, "on-premises", null));
        List<AuthorizationRule> rules = List.of(
                AuthorizationRule.group(Cidr.parse("10.0.0.0/16"), "engineering", "engineers reach the VPC"),
                AuthorizationRule.group(Cidr.parse("10.0.5.0/24"), "finance", "finance subnet"),
                AuthorizationRule.allUsers(Cidr.parse("192.168.50.0/24"), "everyone reaches on-premises"));
        return new EndpointDesign("corporate", endpoint, subnets, routes, rules);
    }
}
