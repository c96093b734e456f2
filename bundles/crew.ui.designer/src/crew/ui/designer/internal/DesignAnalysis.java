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
import crew.design.device.PredictionDefaults;
import crew.design.device.PredictionRequest;
import crew.model.device.DeviceRoute;
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

    /** What a prediction is made against: the device table before connecting and where the client stands. */
    record Inputs(List<DeviceRoute> deviceTable, String deviceSource, Settings settings) {
        Inputs {
            deviceTable = List.copyOf(deviceTable);
            settings = settings == null ? Settings.DEFAULTS : settings;
        }

        Inputs(List<DeviceRoute> deviceTable, String deviceSource) {
            this(deviceTable, deviceSource, Settings.DEFAULTS);
        }
    }

    /**
     * The client's side of a prediction, as {@code crew predict}'s --client-ip, --client-ipv6, --endpoint-ip and --tunnel
     * options; a null field takes that command's default.
     */
    record Settings(IpAddress client, IpAddress clientIpv6, IpAddress endpoint, String tunnel) {
        static final Settings DEFAULTS = new Settings(null, null, null, null);

        /**
         * Reads the four fields as typed (blank = the default).
         *
         * @throws IllegalArgumentException naming the field and what is wrong with it
         */
        static Settings parse(String client, String clientIpv6, String endpoint, String tunnel) {
            IpAddress c = address("Client address", client);
            if (c != null && !c.isIpv4()) {
                throw new IllegalArgumentException("Client address: " + c + " is not an IPv4 address (the tunnel's IPv4 address; "
                        + "the IPv6 one goes in Client IPv6)");
            }
            IpAddress v6 = address("Client IPv6", clientIpv6);
            if (v6 != null && v6.isIpv4()) {
                throw new IllegalArgumentException("Client IPv6: " + v6 + " is not an IPv6 address");
            }
            IpAddress e = address("Endpoint address", endpoint);
            String t = tunnel == null || tunnel.isBlank() ? null : tunnel.strip();
            if (t != null && (t.length() > 15 || !t.matches("[A-Za-z0-9_.-]+"))) {
                throw new IllegalArgumentException("Tunnel interface: '" + t + "' is not an interface name (1 to 15 letters, digits, "
                        + "'.', '-' or '_')");
            }
            return new Settings(c, v6, e, t);
        }

        private static IpAddress address(String field, String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return IpAddress.parse(text.strip());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(field + ": " + ex.getMessage(), ex);
            }
        }

        String tunnelOrDefault() {
            return tunnel == null ? PredictionDefaults.TUNNEL : tunnel;
        }

        IpAddress endpointOrDefault() {
            return endpoint == null ? PredictionDefaults.ENDPOINT_ADDRESS : endpoint;
        }
    }

    static DesignAnalysis compute(EndpointDesign design, Inputs inputs) {
        AuthorizationEvaluator evaluator = new AuthorizationEvaluator(design.authorizationRules());
        AccessMatrix matrix = evaluator.matrix();
        DevicePrediction asIs = null;
        DevicePrediction flipped = null;
        String error = null;
        try {
            asIs = DevicePredictor.predict(request(design, inputs.deviceTable(), inputs.settings()));
            flipped = DevicePredictor.predict(request(withSplitTunnel(design, !design.endpoint().splitTunnel()), inputs.deviceTable(),
                    inputs.settings()));
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        }
        return new DesignAnalysis(design, inputs, evaluator, matrix, asIs, flipped, error);
    }

    /**
     * The request the designer predicts with: the settings' values, and where one is not set {@code crew predict}'s
     * defaults ({@link PredictionDefaults}: the client CIDR's third address, a documentation address for the endpoint
     * and for the client's IPv6 address when the design carries IPv6, tun0).
     */
    static PredictionRequest request(EndpointDesign design, List<DeviceRoute> table, Settings settings) {
        IpAddress client = settings.client() != null ? settings.client() : PredictionDefaults.clientAddress(design);
        IpAddress v6 = !design.endpoint().trafficIpAddressType().carriesIpv6() ? null
                : settings.clientIpv6() != null ? settings.clientIpv6() : PredictionDefaults.clientIpv6(design);
        return new PredictionRequest(design, client, v6, settings.endpointOrDefault(), settings.tunnelOrDefault(), table, null);
    }

    /** The client's tunnel address the predictions use, or null when there is none (no client CIDR, none typed). */
    IpAddress clientAddress() {
        if (inputs.settings().client() != null) {
            return inputs.settings().client();
        }
        try {
            return PredictionDefaults.clientAddress(design);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The design with SplitTunnel set to {@code split}, everything else the same. */
    static EndpointDesign withSplitTunnel(EndpointDesign d, boolean split) {
        return d.withEndpoint(d.endpoint().withSplitTunnel(split));
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
