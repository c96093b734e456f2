package com.example.crew.policy;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.EndpointDesign;

/**
 * A company policy as a lint rule: no authorization rule may open the whole address space (0.0.0.0/0 or ::/0) to
 * all users; internet access through the tunnel is granted to named groups only. {@code crew lint} and the endpoint
 * editor run it beside CREW's own rules.
 */
@Component(service = LintRule.class)
public class NoInternetForAllUsersRule implements LintRule {

    @Override
    public String id() {
        return "EXAMPLE001";
    }

    @Override
    public String name() {
        return "no-internet-for-all-users";
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public String description() {
        return "Company policy: no authorization rule grants 0.0.0.0/0 or ::/0 to all users; grant internet access"
                + " through the tunnel to a named group.";
    }

    @Override
    public List<LintFinding> check(EndpointDesign design) {
        List<LintFinding> findings = new ArrayList<>();
        List<AuthorizationRule> rules = design.authorizationRules();
        for (int i = 0; i < rules.size(); i++) {
            AuthorizationRule rule = rules.get(i);
            if (rule.authorizeAllGroups() && rule.targetNetworkCidr().isDefault()) {
                findings.add(new LintFinding(id(), severity(), "authorizes " + rule.targetNetworkCidr()
                        + " for all users, which company policy forbids: authorize a group (AccessGroupId) instead",
                        DesignElements.rule(i, rule)));
            }
        }
        return findings;
    }
}
