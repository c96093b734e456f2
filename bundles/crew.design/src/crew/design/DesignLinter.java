package crew.design;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import crew.model.endpoint.EndpointDesign;

/** Runs a set of lint rules over a design; a rule that throws is reported as a finding, not as a crash. */
public final class DesignLinter {
    private final List<LintRule> rules;

    public DesignLinter(List<? extends LintRule> rules) {
        List<LintRule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparing(LintRule::id));
        this.rules = List.copyOf(sorted);
    }

    public List<LintRule> rules() {
        return rules;
    }

    public List<LintFinding> lint(EndpointDesign design) {
        List<LintFinding> out = new ArrayList<>();
        for (LintRule rule : rules) {
            try {
                out.addAll(rule.check(design));
            } catch (RuntimeException e) {
                out.add(new LintFinding(rule.id(), Severity.ERROR, "rule failed: " + e, "design"));
            }
        }
        out.sort(Comparator.comparing(LintFinding::severity).thenComparing(LintFinding::ruleId));
        return out;
    }
}
