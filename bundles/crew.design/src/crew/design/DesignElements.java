package crew.design;

import java.util.List;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.TargetNetwork;

/** How findings name design elements, the same way in every rule. */
public final class DesignElements {
    private DesignElements() {
    }

    public static String route(int index, ClientVpnRoute r) {
        return "routes[" + index + "] " + r.destinationCidr() + " -> " + r.targetSubnet();
    }

    public static String rule(int index, AuthorizationRule r) {
        return "authorizationRules[" + index + "] " + r.targetNetworkCidr() + " (" + who(r) + ")";
    }

    public static String who(AuthorizationRule r) {
        return r.authorizeAllGroups() ? "all users" : "group " + r.accessGroupId();
    }

    public static String target(int index, TargetNetwork t) {
        return "targetNetworks[" + index + "] " + t.subnetId() + (t.subnetCidr() == null ? "" : " " + t.subnetCidr());
    }

    public static String endpoint(String field) {
        return "endpoint." + field;
    }

    /**
     * Where in a workspace design file ({@code NAME.crew.json}) an element is, as a JSON path:
     * {@code routes[2] 10.0.0.0/16 -> subnet-a} is {@code $.Routes[2]}, {@code endpoint.VpnPort} is
     * {@code $.ClientVpnEndpoint.VpnPort}, {@code targetNetworks} is {@code $.ClientVpnTargetNetworks}; null for an
     * element that is no place in the file ({@code design}).
     */
    public static String jsonPath(String element) {
        if (element == null) {
            return null;
        }
        String head = element.split(" ", 2)[0];
        for (String[] m : new String[][] {{"routes", "$.Routes"}, {"authorizationRules", "$.AuthorizationRules"},
                {"targetNetworks", "$.ClientVpnTargetNetworks"}, {"endpoint", "$.ClientVpnEndpoint"}}) {
            if (head.equals(m[0]) || head.startsWith(m[0] + "[") || head.startsWith(m[0] + ".")) {
                return m[1] + head.substring(m[0].length());
            }
        }
        return null;
    }

    /**
     * The endpoint field an element names: {@code endpoint.VpnPort} names {@code VpnPort},
     * {@code endpoint.ClientLoginBannerOptions.BannerText} names {@code ClientLoginBannerOptions.BannerText}; routes,
     * rules, target networks and the endpoint as a whole name none.
     */
    public static List<String> endpointFields(String element) {
        String prefix = "endpoint.";
        if (element == null || !element.startsWith(prefix) || element.length() == prefix.length()) {
            return List.of();
        }
        return List.of(element.substring(prefix.length()));
    }
}
