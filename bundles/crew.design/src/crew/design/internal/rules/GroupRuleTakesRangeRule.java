package crew.design.internal.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.PrefixTrie;

/** CVPN025 group-rule-narrows-access: A more specific group rule takes its range away from users who only match a wider rule (longest prefix wins). */
@Component(service = LintRule.class)
public final class GroupRuleTakesRangeRule extends BaseRule {

    public GroupRuleTakesRangeRule() {
        super("CVPN025", "group-rule-narrows-access", Severity.INFO, "A more specific group rule takes its range away from users who only match a wider rule (longest prefix wins).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        PrefixTrie<List<AuthorizationRule>> trie = new PrefixTrie<>();
        d.authorizationRules().forEach(a -> {
            if (trie.get(a.targetNetworkCidr()).isEmpty()) {
                trie.put(a.targetNetworkCidr(), new ArrayList<>());
            }
            trie.get(a.targetNetworkCidr()).get().add(a);
        });
        Set<String> said = new HashSet<>();
        for (int i = 0; i < d.authorizationRules().size(); i++) {
            AuthorizationRule a = d.authorizationRules().get(i);
            Cidr c = a.targetNetworkCidr();
            List<AuthorizationRule> atC = trie.get(c).get();
            if (atC.stream().anyMatch(AuthorizationRule::authorizeAllGroups)) {
                continue; // everyone keeps the range
            }
            for (var wider : trie.covering(c)) {
                if (wider.cidr().equals(c)) {
                    continue;
                }
                for (AuthorizationRule w : wider.value()) {
                    boolean regranted = !w.authorizeAllGroups() && atC.stream().anyMatch(x -> w.accessGroupId().equals(x.accessGroupId()));
                    if (!regranted && said.add(c + " " + DesignElements.who(w))) {
                        out.add(finding(DesignElements.who(w) + " (through " + w.targetNetworkCidr() + ") cannot reach " + c
                                + ": only the rules on " + c + " apply there", DesignElements.rule(i, a)));
                    }
                }
            }
        }
    }
}
