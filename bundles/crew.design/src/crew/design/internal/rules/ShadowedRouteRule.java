package crew.design.internal.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.PrefixTrie;

/** CVPN014 shadowed-route: A route whose whole range is covered by more specific routes never carries traffic (longest prefix wins). */
@Component(service = LintRule.class)
public final class ShadowedRouteRule extends BaseRule {

    public ShadowedRouteRule() {
        super("CVPN014", "shadowed-route", Severity.WARNING, "A route whose whole range is covered by more specific routes never carries traffic (longest prefix wins).");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        PrefixTrie<Boolean> routes = new PrefixTrie<>();
        d.routes().forEach(r -> routes.put(r.destinationCidr(), true));
        Set<Cidr> reported = new HashSet<>();
        for (int i = 0; i < d.routes().size(); i++) {
            ClientVpnRoute r = d.routes().get(i);
            Cidr c = r.destinationCidr();
            if (c.prefixLength() < c.family().bits() && reported.add(c) && coveredBySpecifics(routes, c)) {
                out.add(finding(c + " is entirely covered by more specific routes and never wins", DesignElements.route(i, r)));
            }
        }
    }

    /** Whether the more specific entries of {@code trie} tile all of {@code c}. */
    static boolean coveredBySpecifics(PrefixTrie<Boolean> trie, Cidr c) {
        if (!trie.hasMoreSpecific(c)) {
            return false;
        }
        for (Cidr half : c.halves()) {
            if (!trie.containsKey(half) && (half.prefixLength() == half.family().bits() || !coveredBySpecifics(trie, half))) {
                return false;
            }
        }
        return true;
    }
}
