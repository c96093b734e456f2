package crew.design.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import crew.model.endpoint.AuthorizationRule;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** The authorization examples of aws-client-vpn.md and the AWS admin guide (cvpn-working-rules). */
class AuthorizationEvaluatorTest {

    private static AuthorizationRule all(String c) {
        return AuthorizationRule.allUsers(Cidr.parse(c), null);
    }

    private static AuthorizationRule group(String c, String g) {
        return AuthorizationRule.group(Cidr.parse(c), g, null);
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }

    @Test
    void givenNoRules_whenEvaluated_thenDefaultDeny() {
        AccessDecision d = new AuthorizationEvaluator(List.of()).evaluate(ip("10.0.0.1"), Set.of("a"));
        assertFalse(d.allowed());
        assertNull(d.matchedCidr());
        assertTrue(d.reason().contains("default deny"), d.reason());
    }

    @Test
    void givenMoreSpecificGroupRule_whenOtherGroupAsks_thenTheRangeIsTakenAway() {
        // AWS example: 10.0.0.0/16 for group A, 10.0.1.0/24 for group B: A loses 10.0.1.0/24
        AuthorizationEvaluator e = new AuthorizationEvaluator(List.of(group("10.0.0.0/16", "A"), group("10.0.1.0/24", "B")));
        assertTrue(e.allows(ip("10.0.2.5"), Set.of("A")));
        assertFalse(e.allows(ip("10.0.1.5"), Set.of("A")));
        assertTrue(e.allows(ip("10.0.1.5"), Set.of("B")));
        assertFalse(e.allows(ip("10.0.2.5"), Set.of("B")));
        AccessDecision d = e.evaluate(ip("10.0.1.5"), Set.of("A"));
        assertEquals(Cidr.parse("10.0.1.0/24"), d.matchedCidr());
        assertTrue(d.reason().contains("wider rules do not apply"), d.reason());
    }

    @Test
    void givenDefaultRouteRuleForAll_whenSpecificGroupRuleCovers_thenOnlyThatGroup() {
        // 0.0.0.0/0 applies only where nothing more specific covers
        AuthorizationEvaluator e = new AuthorizationEvaluator(List.of(all("0.0.0.0/0"), group("172.16.0.0/24", "admins")));
        assertTrue(e.allows(ip("8.8.8.8"), Set.of()));
        assertFalse(e.allows(ip("172.16.0.10"), Set.of()));
        assertTrue(e.allows(ip("172.16.0.10"), Set.of("admins")));
        assertTrue(e.allows(ip("172.16.1.10"), Set.of()));
    }

    @Test
    void givenRulesOnTheSameCidr_whenEvaluated_thenGroupsCombine() {
        AuthorizationEvaluator e = new AuthorizationEvaluator(List.of(group("10.0.0.0/16", "A"), group("10.0.0.0/16", "B")));
        assertTrue(e.allows(ip("10.0.0.1"), Set.of("A")));
        assertTrue(e.allows(ip("10.0.0.1"), Set.of("B")));
        assertFalse(e.allows(ip("10.0.0.1"), Set.of("C")));
        assertEquals(2, e.evaluate(ip("10.0.0.1"), Set.of("C")).rulesAtMatch().size());
    }

    @Test
    void givenRules_whenMatrix_thenOneRowPerRuleCidrWithNestedExceptions() {
        AuthorizationEvaluator e = new AuthorizationEvaluator(List.of(all("10.0.0.0/16"), group("10.0.1.0/24", "eng"), group("10.0.1.128/25", "ops")));
        AccessMatrix m = e.matrix();
        assertEquals(List.of("eng", "ops", AuthorizationEvaluator.ANY_USER), m.groups());
        assertEquals(3, m.rows().size());
        AccessMatrix.Row top = m.rows().get(0);
        assertEquals(List.of(Cidr.parse("10.0.1.0/24")), top.except());
        assertTrue(top.allowedByGroup().get(AuthorizationEvaluator.ANY_USER));
        AccessMatrix.Row eng = m.rows().get(1);
        assertTrue(eng.allowedByGroup().get("eng"));
        assertFalse(eng.allowedByGroup().get("ops"));
        assertFalse(eng.allowedByGroup().get(AuthorizationEvaluator.ANY_USER));
        assertEquals(List.of(Cidr.parse("10.0.1.128/25")), eng.except());
    }

    @Test
    void givenIpv6Rules_whenEvaluated_thenFamiliesStaySeparate() {
        AuthorizationEvaluator e = new AuthorizationEvaluator(List.of(all("0.0.0.0/0"), all("2600:1f14::/32")));
        assertTrue(e.allows(ip("2600:1f14::1"), Set.of()));
        assertFalse(e.allows(ip("2600:1f15::1"), Set.of()));
    }
}
