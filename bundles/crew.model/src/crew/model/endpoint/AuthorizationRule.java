package crew.model.endpoint;

import crew.model.net.Cidr;

/**
 * An authorization (ingress) rule: who may reach {@code targetNetworkCidr}. Exactly one of {@code accessGroupId}
 * (a directory or IdP group) and {@code authorizeAllGroups} applies.
 */
public record AuthorizationRule(Cidr targetNetworkCidr, String accessGroupId, boolean authorizeAllGroups, String description,
        String status) {

    public static AuthorizationRule allUsers(Cidr target, String description) {
        return new AuthorizationRule(target, null, true, description, null);
    }

    public static AuthorizationRule group(Cidr target, String groupId, String description) {
        return new AuthorizationRule(target, groupId, false, description, null);
    }
}
