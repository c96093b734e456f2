package crew.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;

/** What the EC2 API itself rejects (parameter ranges, quotas, required combinations), checked before any call. */
public final class AwsRequestConstraints implements PreflightCheck {
    static final String NAME = "aws-request";

    @Override
    public List<PreflightProblem> check(EndpointDesign design) {
        List<PreflightProblem> p = new ArrayList<>();
        ClientVpnEndpoint e = design.endpoint();
        String at = "endpoint " + (e.endpointId() == null ? design.name() : e.endpointId());
        if (e.clientCidrBlock() == null) {
            p.add(problem(at, "clientCidrBlock is required"));
        } else if (!e.clientCidrBlock().network().isIpv4() || e.clientCidrBlock().prefixLength() < 12 || e.clientCidrBlock().prefixLength() > 22) {
            p.add(problem(at, "clientCidrBlock " + e.clientCidrBlock() + " must be an IPv4 block between /12 and /22"));
        }
        if (e.serverCertificateArn() == null || e.serverCertificateArn().isBlank()) {
            p.add(problem(at, "serverCertificateArn is required (import one with crew aws import-cert)"));
        }
        if (e.authenticationOptions().isEmpty()) {
            p.add(problem(at, "at least one authentication option is required"));
        }
        if (e.dnsServers().size() > 2) {
            p.add(problem(at, "at most 2 DNS servers, not " + e.dnsServers().size()));
        }
        if (e.vpnPort() != 443 && e.vpnPort() != 1194) {
            p.add(problem(at, "vpnPort must be 443 or 1194, not " + e.vpnPort()));
        }
        if (!Set.of(8, 10, 12, 24).contains(e.sessionTimeoutHours())) {
            p.add(problem(at, "sessionTimeoutHours must be 8, 10, 12 or 24, not " + e.sessionTimeoutHours()));
        }
        String banner = e.clientLoginBannerOptions().bannerText();
        if (banner != null && banner.length() > 1400) {
            p.add(problem(at, "the login banner has " + banner.length() + " characters; at most 1400"));
        }
        if (e.securityGroupIds().size() > 5) {
            p.add(problem(at, "at most 5 security groups, not " + e.securityGroupIds().size()));
        }
        if (!e.securityGroupIds().isEmpty() && e.vpcId() == null) {
            p.add(problem(at, "security groups need a vpcId"));
        }
        Set<String> subnets = new HashSet<>();
        Set<String> zones = new HashSet<>();
        for (TargetNetwork t : design.targetNetworks()) {
            subnets.add(t.subnetId());
            if (t.availabilityZone() != null && !zones.add(t.availabilityZone())) {
                p.add(problem("target network " + t.subnetId(), "a second subnet in availability zone " + t.availabilityZone()));
            }
            if (t.subnetCidr() != null && e.clientCidrBlock() != null && t.subnetCidr().overlaps(e.clientCidrBlock())) {
                p.add(problem("target network " + t.subnetId(), "subnet " + t.subnetCidr() + " overlaps the client CIDR " + e.clientCidrBlock()));
            }
        }
        Map<String, Integer> perTarget = new HashMap<>();
        Set<String> seenRoutes = new HashSet<>();
        for (ClientVpnRoute r : design.routes()) {
            String where = "route " + r.destinationCidr() + " via " + r.targetSubnet();
            if (!r.isLocal() && !subnets.contains(r.targetSubnet())) {
                p.add(problem(where, "target subnet " + r.targetSubnet() + " is not one of the design's target networks"));
            }
            if (!seenRoutes.add(r.destinationCidr() + "|" + r.targetSubnet())) {
                p.add(problem(where, "listed twice"));
            }
            if (perTarget.merge(r.targetSubnet(), 1, Integer::sum) == 101) {
                p.add(problem(where, "more than 100 routes target " + r.targetSubnet() + " (quota: 100 per association)"));
            }
        }
        if (design.authorizationRules().size() > 200) {
            p.add(problem(at, design.authorizationRules().size() + " authorization rules; the quota is 200 per endpoint"));
        }
        Set<String> seenRules = new HashSet<>();
        for (AuthorizationRule r : design.authorizationRules()) {
            String where = "authorization rule " + r.targetNetworkCidr() + (r.authorizeAllGroups() ? " (all groups)" : " group " + r.accessGroupId());
            boolean hasGroup = r.accessGroupId() != null && !r.accessGroupId().isEmpty();
            if (hasGroup == r.authorizeAllGroups()) {
                p.add(problem(where, "needs exactly one of accessGroupId and authorizeAllGroups"));
            }
            if (!seenRules.add(Planner.ruleKey(r))) {
                p.add(problem(where, "listed twice"));
            }
        }
        return p;
    }

    private static PreflightProblem problem(String where, String message) {
        return new PreflightProblem(NAME, where, message);
    }
}
