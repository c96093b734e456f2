package crew.design.authz;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import crew.design.DesignElements;
import crew.model.endpoint.AuthorizationRule;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.PrefixTrie;

/**
 * AWS Client VPN authorization: default deny; among the rules whose CIDR contains the destination only the most
 * specific CIDR decides (longest prefix match); the rules on that CIDR combine their groups; so 0.0.0.0/0 applies
 * only where nothing more specific covers, and a more specific group rule takes its range away from users who only
 * match a wider rule. Immutable and thread-safe once built.
 */
public final class AuthorizationEvaluator {
    /** The column name for a user who belongs to no listed group (gets only all-users rules). */
    public static final String ANY_USER = "(any user)";

    private final PrefixTrie<List<AuthorizationRule>> trie = new PrefixTrie<>();
    private final List<AuthorizationRule> rules;

    public AuthorizationEvaluator(Collection<AuthorizationRule> rules) {
        this.rules = List.copyOf(rules);
        for (AuthorizationRule r : rules) {
            Optional<List<AuthorizationRule>> at = trie.get(r.targetNetworkCidr());
            if (at.isPresent()) {
                at.get().add(r);
            } else {
                List<AuthorizationRule> l = new ArrayList<>(2);
                l.add(r);
                trie.put(r.targetNetworkCidr(), l);
            }
        }
    }

    /**
     * Decides for a user in {@code groups} (empty: a user in no group, or certificate authentication without groups).
     */
    public AccessDecision evaluate(IpAddress destination, Set<String> groups) {
        Optional<PrefixTrie.Entry<List<AuthorizationRule>>> match = trie.longestMatch(destination);
        if (match.isEmpty()) {
            return new AccessDecision(false, destination, null, List.of(), null,
                    "denied: no authorization rule covers " + destination + " (default deny)");
        }
        Cidr cidr = match.get().cidr();
        List<AuthorizationRule> at = List.copyOf(match.get().value());
        for (AuthorizationRule r : at) {
            if (r.authorizeAllGroups() || groups.contains(r.accessGroupId())) {
                return new AccessDecision(true, destination, cidr, at, r,
                        "allowed: " + cidr + " is the most specific rule CIDR containing " + destination + ", and its rule for "
                                + DesignElements.who(r) + " applies");
            }
        }
        StringBuilder who = new StringBuilder();
        for (AuthorizationRule r : at) {
            who.append(who.length() == 0 ? "" : ", ").append(DesignElements.who(r));
        }
        return new AccessDecision(false, destination, cidr, at, null,
                "denied: " + cidr + " is the most specific rule CIDR containing " + destination + " and it admits only " + who
                        + (groups.isEmpty() ? "; the user is in no group" : "; the user is in " + new TreeSet<>(groups))
                        + (trie.covering(cidr).size() > 1 ? " (wider rules do not apply inside a more specific rule's range)" : ""));
    }

    /** Whether access is allowed; the fast path of {@link #evaluate} without building a reason. */
    public boolean allows(IpAddress destination, Set<String> groups) {
        Optional<PrefixTrie.Entry<List<AuthorizationRule>>> match = trie.longestMatch(destination);
        if (match.isEmpty()) {
            return false;
        }
        for (AuthorizationRule r : match.get().value()) {
            if (r.authorizeAllGroups() || groups.contains(r.accessGroupId())) {
                return true;
            }
        }
        return false;
    }

    /** Every group named in a rule, sorted, then {@link #ANY_USER}. */
    public List<String> groups() {
        TreeSet<String> g = new TreeSet<>();
        rules.forEach(r -> {
            if (r.accessGroupId() != null) {
                g.add(r.accessGroupId());
            }
        });
        List<String> out = new ArrayList<>(g);
        out.add(ANY_USER);
        return out;
    }

    /**
     * The access matrix: one row per rule CIDR (the range it decides: the CIDR minus the more specific rule CIDRs
     * inside it, listed as {@code except}), one column per group, each cell whether a member of only that group
     * gets in.
     */
    public AccessMatrix matrix() {
        List<String> groups = groups();
        List<AccessMatrix.Row> rows = new ArrayList<>();
        for (PrefixTrie.Entry<List<AuthorizationRule>> e : trie.entries()) {
            Map<String, Boolean> cells = new LinkedHashMap<>();
            for (String g : groups) {
                boolean ok = false;
                for (AuthorizationRule r : e.value()) {
                    ok |= r.authorizeAllGroups() || (r.accessGroupId() != null && r.accessGroupId().equals(g));
                }
                cells.put(g, ok);
            }
            List<Cidr> except = new ArrayList<>();
            for (PrefixTrie.Entry<List<AuthorizationRule>> in : trie.inside(e.cidr())) {
                if (!in.cidr().equals(e.cidr()) && trie.covering(in.cidr()).stream()
                        .filter(c -> !c.cidr().equals(in.cidr()) && e.cidr().contains(c.cidr())).count() == 1) {
                    except.add(in.cidr()); // only the directly nested ones
                }
            }
            rows.add(new AccessMatrix.Row(e.cidr(), except, cells));
        }
        return new AccessMatrix(groups, rows);
    }
}
