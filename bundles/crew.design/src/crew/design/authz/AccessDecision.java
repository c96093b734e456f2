package crew.design.authz;

import java.util.List;

import crew.model.endpoint.AuthorizationRule;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * The answer for one destination and one user.
 *
 * @param allowed       whether traffic may pass the endpoint
 * @param destination   the destination asked about
 * @param matchedCidr   the most specific rule CIDR containing it (the only one that decides), or null (no rule: deny)
 * @param rulesAtMatch  every rule on {@code matchedCidr}; their groups combine
 * @param grantedBy     the rule that lets this user in, or null
 * @param reason        the decision in one sentence
 */
public record AccessDecision(boolean allowed, IpAddress destination, Cidr matchedCidr, List<AuthorizationRule> rulesAtMatch,
        AuthorizationRule grantedBy, String reason) {
}
