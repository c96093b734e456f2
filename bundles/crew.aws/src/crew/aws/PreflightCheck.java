package crew.aws;

import java.util.List;

import crew.model.endpoint.EndpointDesign;

/**
 * Runs before a plan is made: the hook through which the design lint (crew.design's LintRule set, registered as an
 * OSGi service of this type) checks a design before anything is sent to AWS. {@link AwsRequestConstraints} is
 * always run.
 */
public interface PreflightCheck {
    List<PreflightProblem> check(EndpointDesign design);
}
