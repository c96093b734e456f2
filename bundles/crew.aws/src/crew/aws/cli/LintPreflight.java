package crew.aws.cli;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.aws.PreflightCheck;
import crew.aws.PreflightProblem;
import crew.design.DesignLinter;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/**
 * The design lint as a plan preflight: every registered {@link LintRule} (the rules {@code crew lint} runs) checks
 * the design before {@code crew aws plan} and {@code apply} read the account; its errors (what AWS would reject, or
 * traffic that would break) stop the plan. Warnings are left to {@code crew lint}.
 */
@Component(service = PreflightCheck.class)
public final class LintPreflight implements PreflightCheck {
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<LintRule> rules;

    @Override
    public List<PreflightProblem> check(EndpointDesign design) {
        List<LintRule> current = rules;
        if (current == null || current.isEmpty()) {
            return List.of();
        }
        List<PreflightProblem> out = new ArrayList<>();
        for (LintFinding f : new DesignLinter(List.copyOf(current)).lint(design)) {
            if (f.severity() == Severity.ERROR) {
                out.add(new PreflightProblem("lint " + f.ruleId(), f.element(), f.message()));
            }
        }
        return out;
    }
}
