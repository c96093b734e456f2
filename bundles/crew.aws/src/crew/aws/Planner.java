package crew.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;

/**
 * Compares a design with the account's endpoint and orders the changes: endpoint, associations, routes, rules to
 * add, then rules, routes and associations to remove. Routes created by associations (origin "associate") belong
 * to their association and are never planned on their own. Route and rule descriptions cannot be modified in AWS
 * and are not compared.
 */
public final class Planner {
    private final List<PreflightCheck> checks;

    /** {@code checks} run first (the design lint); the AWS request constraints always run. */
    public Planner(List<PreflightCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    public Planner() {
        this(List.of());
    }

    /** Plans against a live account: reads the endpoint named by the design (if it has an id) in a few paged calls. */
    public Plan plan(EndpointDesign design, AccountReader reader) {
        String id = design.endpoint().endpointId();
        return plan(design, id == null ? null : reader.design(id));
    }

    /** Plans {@code design} against {@code current} (null: the endpoint does not exist yet). */
    public Plan plan(EndpointDesign design, EndpointDesign current) {
        List<PreflightProblem> problems = PreflightCheck.runAll(checks, design);
        List<String> blockers = new ArrayList<>();
        List<PlanStep> steps = new ArrayList<>();
        ClientVpnEndpoint want = design.endpoint();
        boolean live = current != null; // a new endpoint has no client connections to reset
        if (current == null) {
            steps.add(new PlanStep(PlanStep.Action.CREATE_ENDPOINT, "endpoint " + design.name() + " (client CIDR " + want.clientCidrBlock() + ", "
                    + want.transportProtocol().awsValue() + "/" + want.vpnPort() + ", CRE " + (want.clientRouteEnforcement() ? "on" : "off") + ")",
                    List.of(), false, want, null, null, null, null));
        } else {
            List<String> changed = new ArrayList<>();
            for (Map.Entry<String, Function<ClientVpnEndpoint, Object>> f : FIELDS.entrySet()) {
                Object a = f.getValue().apply(want);
                Object b = f.getValue().apply(current.endpoint());
                if (a == null && !ClientVpnEndpoint.CREATE_ONLY_FIELDS.contains(f.getKey())) {
                    continue; // not specified by the design: keep what the account has
                }
                if (!Objects.equals(a, b)) {
                    if (ClientVpnEndpoint.CREATE_ONLY_FIELDS.contains(f.getKey())) {
                        blockers.add(f.getKey() + " differs (" + b + " -> " + a + "): create-only, needs a new endpoint");
                    } else {
                        changed.add(f.getKey());
                    }
                }
            }
            if (!changed.isEmpty()) {
                StringBuilder s = new StringBuilder("endpoint " + current.endpoint().endpointId() + ":");
                for (String c : changed) {
                    s.append(' ').append(c).append(" ").append(FIELDS.get(c).apply(current.endpoint())).append(" -> ").append(FIELDS.get(c).apply(want)).append(';');
                }
                boolean resets = changed.stream().anyMatch(ClientVpnEndpoint.CONNECTION_RESETTING_FIELDS::contains);
                steps.add(new PlanStep(PlanStep.Action.MODIFY_ENDPOINT, s.substring(0, s.length() - 1), changed, resets, want, null, null, null, null));
            }
        }
        Map<String, TargetNetwork> haveTargets = new LinkedHashMap<>();
        if (current != null) {
            current.targetNetworks().forEach(t -> haveTargets.put(t.subnetId(), t));
        }
        Map<String, TargetNetwork> wantTargets = new LinkedHashMap<>();
        design.targetNetworks().forEach(t -> wantTargets.put(t.subnetId(), t));
        for (TargetNetwork t : wantTargets.values()) {
            if (!haveTargets.containsKey(t.subnetId())) {
                steps.add(new PlanStep(PlanStep.Action.ASSOCIATE, "target network " + t.subnetId() + (t.availabilityZone() == null ? "" : " (" + t.availabilityZone() + ")"),
                        List.of(), false, null, t.subnetId(), null, null, null));
            }
        }
        Map<String, ClientVpnRoute> haveRoutes = new LinkedHashMap<>();
        if (current != null) {
            current.routes().forEach(r -> haveRoutes.put(routeKey(r), r));
        }
        Map<String, ClientVpnRoute> wantRoutes = new LinkedHashMap<>();
        design.routes().forEach(r -> wantRoutes.put(routeKey(r), r));
        for (Map.Entry<String, ClientVpnRoute> r : wantRoutes.entrySet()) {
            if (!haveRoutes.containsKey(r.getKey()) && !"associate".equals(r.getValue().origin())) {
                steps.add(new PlanStep(PlanStep.Action.CREATE_ROUTE, "route " + r.getValue().destinationCidr() + " via " + r.getValue().targetSubnet(), List.of(),
                        live, null, null, null, r.getValue(), null));
            }
        }
        Map<String, AuthorizationRule> haveRules = new LinkedHashMap<>();
        if (current != null) {
            current.authorizationRules().forEach(r -> haveRules.put(ruleKey(r), r));
        }
        Map<String, AuthorizationRule> wantRules = new LinkedHashMap<>();
        design.authorizationRules().forEach(r -> wantRules.put(ruleKey(r), r));
        for (Map.Entry<String, AuthorizationRule> r : wantRules.entrySet()) {
            if (!haveRules.containsKey(r.getKey())) {
                steps.add(new PlanStep(PlanStep.Action.AUTHORIZE, "authorization rule " + ruleLabel(r.getValue()), List.of(), live, null, null, null, null, r.getValue()));
            }
        }
        for (Map.Entry<String, AuthorizationRule> r : haveRules.entrySet()) {
            if (!wantRules.containsKey(r.getKey())) {
                steps.add(new PlanStep(PlanStep.Action.REVOKE, "authorization rule " + ruleLabel(r.getValue()), List.of(), true, null, null, null, null, r.getValue()));
            }
        }
        for (Map.Entry<String, ClientVpnRoute> r : haveRoutes.entrySet()) {
            ClientVpnRoute route = r.getValue();
            // association routes go with their association; routes on a subnet being disassociated go with it too
            if (!wantRoutes.containsKey(r.getKey()) && !"associate".equals(route.origin()) && (route.isLocal() || wantTargets.containsKey(route.targetSubnet()))) {
                steps.add(new PlanStep(PlanStep.Action.DELETE_ROUTE, "route " + route.destinationCidr() + " via " + route.targetSubnet(), List.of(), true, null, null,
                        null, route, null));
            }
        }
        for (TargetNetwork t : haveTargets.values()) {
            if (!wantTargets.containsKey(t.subnetId())) {
                steps.add(new PlanStep(PlanStep.Action.DISASSOCIATE, "target network " + t.subnetId() + " (" + t.associationId() + ", removes its routes)", List.of(),
                        true, null, t.subnetId(), t.associationId(), null, null));
            }
        }
        steps.sort((a, b) -> Integer.compare(a.action().ordinal(), b.action().ordinal()));
        return new Plan(design.name(), current == null ? null : current.endpoint().endpointId(), steps, blockers, problems);
    }

    static String routeKey(ClientVpnRoute r) {
        return r.destinationCidr() + "|" + r.targetSubnet();
    }

    static String ruleKey(AuthorizationRule r) {
        return r.targetNetworkCidr() + "|" + (r.authorizeAllGroups() ? "*" : r.accessGroupId());
    }

    private static String ruleLabel(AuthorizationRule r) {
        return r.targetNetworkCidr() + (r.authorizeAllGroups() ? " for all groups" : " for group " + r.accessGroupId());
    }

    /** The compared endpoint fields, by ClientVpnEndpoint component name. */
    private static final Map<String, Function<ClientVpnEndpoint, Object>> FIELDS = new LinkedHashMap<>();
    static {
        FIELDS.put("clientCidrBlock", ClientVpnEndpoint::clientCidrBlock);
        FIELDS.put("authenticationOptions", ClientVpnEndpoint::authenticationOptions);
        FIELDS.put("transportProtocol", ClientVpnEndpoint::transportProtocol);
        FIELDS.put("endpointIpAddressType", ClientVpnEndpoint::endpointIpAddressType);
        FIELDS.put("trafficIpAddressType", ClientVpnEndpoint::trafficIpAddressType);
        FIELDS.put("transitGatewayId", ClientVpnEndpoint::transitGatewayId);
        FIELDS.put("tags", ClientVpnEndpoint::tags);
        FIELDS.put("description", ClientVpnEndpoint::description);
        FIELDS.put("serverCertificateArn", ClientVpnEndpoint::serverCertificateArn);
        FIELDS.put("connectionLogOptions", ClientVpnEndpoint::connectionLogOptions);
        FIELDS.put("dnsServers", ClientVpnEndpoint::dnsServers);
        FIELDS.put("vpnPort", ClientVpnEndpoint::vpnPort);
        FIELDS.put("splitTunnel", ClientVpnEndpoint::splitTunnel);
        FIELDS.put("securityGroupIds", ClientVpnEndpoint::securityGroupIds);
        FIELDS.put("vpcId", ClientVpnEndpoint::vpcId);
        FIELDS.put("selfServicePortal", ClientVpnEndpoint::selfServicePortal);
        FIELDS.put("clientConnectOptions", ClientVpnEndpoint::clientConnectOptions);
        FIELDS.put("sessionTimeoutHours", ClientVpnEndpoint::sessionTimeoutHours);
        FIELDS.put("clientLoginBannerOptions", ClientVpnEndpoint::clientLoginBannerOptions);
        FIELDS.put("clientRouteEnforcement", ClientVpnEndpoint::clientRouteEnforcement);
        FIELDS.put("disconnectOnSessionTimeout", ClientVpnEndpoint::disconnectOnSessionTimeout);
    }
}
