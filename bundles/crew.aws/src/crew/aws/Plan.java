package crew.aws;

import java.util.List;

/**
 * An ordered list of changes that turns an account's endpoint into a design, with what stops it from being applied.
 *
 * @param endpointId null when the plan creates the endpoint
 * @param blockers   create-only fields that differ: they need a new endpoint, so the plan cannot be applied in place
 * @param problems   preflight findings (AWS request constraints, design lint)
 */
public record Plan(String designName, String endpointId, List<PlanStep> steps, List<String> blockers, List<PreflightProblem> problems) {

    public Plan {
        steps = List.copyOf(steps);
        blockers = List.copyOf(blockers);
        problems = List.copyOf(problems);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    public boolean canApply() {
        return blockers.isEmpty() && problems.isEmpty();
    }

    public long count(char sign) {
        return steps.stream().filter(s -> s.action().sign() == sign).count();
    }

    /** The plan as a person reads it: one + / ~ / - line per change, resets and blockers flagged, a summary line. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("Plan for ").append(designName).append(" (").append(endpointId == null ? "new endpoint" : endpointId).append(")\n");
        for (PreflightProblem p : problems) {
            b.append("  ! ").append(p).append('\n');
        }
        for (String blocker : blockers) {
            b.append("  ! ").append(blocker).append('\n');
        }
        for (PlanStep s : steps) {
            b.append("  ").append(s.action().sign()).append(' ').append(s.summary());
            if (s.resetsConnections()) {
                b.append("   [resets client connections]");
            }
            b.append('\n');
        }
        long resets = steps.stream().filter(PlanStep::resetsConnections).count();
        if (steps.isEmpty()) {
            b.append("No changes: the account matches the design.\n");
        } else {
            b.append(String.format("%d to add, %d to change, %d to remove; %d reset client connections.%n", count('+'), count('~'), count('-'), resets));
        }
        if (!canApply()) {
            b.append("This plan cannot be applied: fix the findings marked ! first.\n");
        }
        return b.toString();
    }
}
