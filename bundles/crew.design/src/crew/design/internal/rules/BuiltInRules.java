package crew.design.internal.rules;

import java.util.List;

import crew.design.LintRule;

/** CREW's own rules as plain objects, for tests and for running without an OSGi service registry. */
public final class BuiltInRules {
    private BuiltInRules() {
    }

    public static List<LintRule> all() {
        return List.of(new ClientCidrSizeRule(), new ClientCidrSubnetOverlapRule(), new ClientCidrRouteOverlapRule(), new SubnetSizeRule(), new SubnetPerAzRule(), new SubnetSameVpcRule(), new SubnetDuplicateRule(), new RouteMissingForSubnetRule(), new RouteTargetAssociatedRule(), new RouteWithoutAuthorizationRule(), new AuthorizationWithoutRouteRule(), new ClientToClientRule(), new DuplicateRouteRule(), new ShadowedRouteRule(), new DuplicateAuthorizationRule(), new AuthorizationQuotaRule(), new RouteQuotaRule(), new DnsServerCountRule(), new BannerLengthRule(), new SessionTimeoutRule(), new VpnPortRule(), new SecurityGroupRule(), new TransitGatewayRule(), new FullTunnelEnforcementRule(), new GroupRuleTakesRangeRule(), new AuthenticationRule(), new EndpointOptionsRule(), new TrafficFamilyRule(), new LiveEndpointChangesRule(), new SpecialRangeRouteRule(), new FleetNetworksRule());
    }
}
