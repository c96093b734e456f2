package crew.aws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import crew.aws.Plan;
import crew.aws.Planner;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;
import crew.testing.SampleDesigns;

/** The design lint runs before a plan: its errors stop the plan, its warnings do not. */
class LintPreflightTest {
    static LintRule rule(String id, Severity severity) {
        return new LintRule() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String name() {
                return "test-rule";
            }

            @Override
            public Severity severity() {
                return severity;
            }

            @Override
            public String description() {
                return "a test rule";
            }

            @Override
            public List<LintFinding> check(EndpointDesign design) {
                return List.of(new LintFinding(id, severity, "found by " + id, "route 10.0.0.0/16"));
            }
        };
    }

    @Test
    void givenALintErrorAndAWarning_whenPlanned_thenTheErrorBlocksThePlanAndTheWarningDoesNot() {
        LintPreflight preflight = new LintPreflight();
        preflight.rules = List.of(rule("TEST001", Severity.ERROR), rule("TEST002", Severity.WARNING));
        Plan plan = new Planner(List.of(preflight)).plan(SampleDesigns.corporate(), (EndpointDesign) null);
        assertFalse(plan.canApply(), plan.render());
        assertEquals(1, plan.problems().size(), plan.render());
        assertTrue(plan.render().contains("found by TEST001"), plan.render());
        assertFalse(plan.render().contains("TEST002"), plan.render());
    }
}
