package crew.ui.designer.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import crew.design.authz.AccessDecision;
import crew.design.authz.AccessMatrix;
import crew.design.authz.AuthorizationEvaluator;
import crew.design.device.DevicePrediction;
import crew.design.device.DevicePredictor;
import crew.design.device.PredictionRequest;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * Everything the designer's analysis tabs show for one design and one device table, computed off the UI thread by
 * crew.design (the same classes the {@code crew access} and {@code crew predict} commands use): the authorization
 * evaluator and its matrix, and the device prediction for the design as it is and with SplitTunnel flipped.
 *
 * @param asIs        prediction of the design as it is, or null when it cannot be predicted ({@link #predictionError})
 * @param flipped     prediction with SplitTunnel flipped, or null
 */
record DesignAnalysis(EndpointDesign design, Inputs inputs, AuthorizationEvaluator evaluator, AccessMatrix matrix,
        DevicePrediction asIs, DevicePrediction flipped, String predictionError) {

    /** The tunnel interface the predictions use (as {@code crew predict}'s default). */
    static final String TUNNEL = "tun0";
    /** The endpoint's public address when none is known (as {@code crew predict}'s default: a documentation address). */
    static final IpAddress ENDPOINT_ADDRESS = IpAddress.parse("203.0.113.10");
    /** The client's IPv6 tunnel address for designs that carry IPv6 (a documentation address). */
    static final IpAddress CLIENT_IPV6 = IpAddress.parse("2001:db8:ffff::2");

    /** What a prediction is made against. */
    record Inputs(List<DeviceRoute> deviceTable, String deviceSource) {
        Inputs {
            deviceTable = List.copyOf(deviceTable);
        }
    }

    static DesignAnalysis compute(EndpointDesign design, Inputs inputs) {
        AuthorizationEvaluator evaluator = new AuthorizationEvaluator(design.authorizationRules());
        AccessMatrix matrix = evaluator.matrix();
        DevicePrediction asIs = null;
        DevicePrediction flipped = null;
        String error = null;
        try {
            asIs = DevicePredictor.predict(request(design, inputs.deviceTable()));
            flipped = DevicePredictor.predict(request(withSplitTunnel(design, !design.endpoint().splitTunnel()), inputs.deviceTable()));
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        }
        return new DesignAnalysis(design, inputs, evaluator, matrix, asIs, flipped, error);
    }

    /** The request the designer predicts with: the client CIDR's third address (as {@code crew predict}), tun0. */
    static PredictionRequest request(EndpointDesign design, List<DeviceRoute> table) {
        Cidr clientCidr = design.endpoint().clientCidrBlock();
        if (clientCidr == null || !clientCidr.first().isIpv4()) {
            throw new IllegalArgumentException("the design has no IPv4 client CIDR, so the client's tunnel address is unknown: set ClientCidrBlock");
        }
        IpAddress client = clientCidr.first().next().next();
        IpAddress v6 = design.endpoint().trafficIpAddressType().carriesIpv6() ? CLIENT_IPV6 : null;
        return new PredictionRequest(design, client, v6, ENDPOINT_ADDRESS, TUNNEL, table, null);
    }

    /** The design with SplitTunnel set to {@code split}, everything else the same. */
    static EndpointDesign withSplitTunnel(EndpointDesign d, boolean split) {
        ClientVpnEndpoint e = d.endpoint();
        ClientVpnEndpoint changed = new ClientVpnEndpoint(e.endpointId(), e.description(), e.status(), e.creationTime(), e.dnsName(),
                e.clientCidrBlock(), e.serverCertificateArn(), e.authenticationOptions(), e.connectionLogOptions(), e.dnsServers(),
                e.transportProtocol(), e.vpnPort(), split, e.securityGroupIds(), e.vpcId(), e.selfServicePortal(),
                e.clientConnectOptions(), e.sessionTimeoutHours(), e.clientLoginBannerOptions(), e.clientRouteEnforcement(),
                e.disconnectOnSessionTimeout(), e.endpointIpAddressType(), e.trafficIpAddressType(), e.transitGatewayId(), e.tags());
        return new EndpointDesign(d.name(), changed, d.targetNetworks(), d.routes(), d.authorizationRules());
    }

    DevicePrediction split() {
        return design.endpoint().splitTunnel() ? asIs : flipped;
    }

    DevicePrediction full() {
        return design.endpoint().splitTunnel() ? flipped : asIs;
    }

    /** The design as it is, or with SplitTunnel flipped. */
    EndpointDesign design(boolean split) {
        return design.endpoint().splitTunnel() == split ? design : withSplitTunnel(design, split);
    }

    /**
     * Why a member of only {@code group} ({@link AuthorizationEvaluator#ANY_USER}: of no group) is allowed or denied
     * in {@code row}'s range: the evaluator's decision for an address of the range that no nested rule decides.
     */
    String reason(AccessMatrix.Row row, String group) {
        boolean allowed = row.allowedByGroup().get(group);
        String who = AuthorizationEvaluator.ANY_USER.equals(group) ? "a user in no listed group" : "group " + group;
        String head = (allowed ? "Allowed: " : "Denied: ") + who + " \u2192 " + row.range()
                + (row.except().isEmpty() ? "" : " (except " + row.except().stream().map(Cidr::toString).reduce((a, b) -> a + ", " + b).get() + ")");
        IpAddress sample = representative(row);
        if (sample == null) {
            return head + ". More specific rules decide the whole range.";
        }
        Set<String> groups = AuthorizationEvaluator.ANY_USER.equals(group) ? Set.of() : Set.of(group);
        AccessDecision d = evaluator.evaluate(sample, groups);
        String rule = d.grantedBy() != null ? " Rule: " + describe(d.grantedBy()) + "." : "";
        String why = d.reason().replaceFirst("^(allowed|denied): ", "");
        return head + ". " + capitalize(why) + " (decided for " + sample + ")." + rule;
    }

    private static String describe(crew.model.endpoint.AuthorizationRule r) {
        return r.targetNetworkCidr() + " for " + (r.authorizeAllGroups() ? "all users" : "group " + r.accessGroupId())
                + (r.description() == null || r.description().isBlank() ? "" : " (\"" + r.description() + "\")");
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The first address of {@code row.range()} that none of its nested rule ranges contains, or null. */
    static IpAddress representative(AccessMatrix.Row row) {
        List<Cidr> except = new ArrayList<>(row.except());
        except.sort(Comparator.naturalOrder());
        IpAddress candidate = row.range().first();
        boolean moved = true;
        while (candidate != null && moved) {
            moved = false;
            for (Cidr c : except) {
                if (c.contains(candidate)) {
                    candidate = c.last().next();
                    moved = true;
                }
            }
        }
        return candidate != null && row.range().contains(candidate) ? candidate : null;
    }
}
