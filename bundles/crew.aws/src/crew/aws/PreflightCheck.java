package crew.aws;

import java.util.ArrayList;
import java.util.List;

import crew.model.endpoint.EndpointDesign;

/**
 * Runs before a plan is made: the hook through which the design lint (crew.design's LintRule set, registered as an
 * OSGi service of this type) checks a design before anything is sent to AWS. {@link AwsRequestConstraints} is
 * always run.
 */
public interface PreflightCheck {
    List<PreflightProblem> check(EndpointDesign design);

    /**
     * What {@link AwsRequestConstraints} and then each of {@code checks} find in {@code design}: the preflight of a plan
     * and of a CloudFormation export.
     */
    static List<PreflightProblem> runAll(List<PreflightCheck> checks, EndpointDesign design) {
        List<PreflightProblem> problems = new ArrayList<>(new AwsRequestConstraints().check(design));
        for (PreflightCheck c : checks) {
            problems.addAll(c.check(design));
        }
        return problems;
    }
}
