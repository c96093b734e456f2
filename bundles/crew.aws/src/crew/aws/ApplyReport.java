package crew.aws;

import java.util.List;

/**
 * What an apply did: the steps done (in this run or before), the step that failed and why, and the steps not done.
 */
public record ApplyReport(String endpointId, List<String> done, String failedStep, String failure, String failureCode, List<String> notDone) {

    public boolean succeeded() {
        return failedStep == null;
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        done.forEach(d -> b.append("  done     ").append(d).append('\n'));
        if (failedStep != null) {
            b.append("  FAILED   ").append(failedStep).append("\n           ").append(failure).append('\n');
        }
        notDone.forEach(d -> b.append("  not done ").append(d).append('\n'));
        b.append(succeeded() ? "Apply complete" : "Apply stopped at the first failure; run apply again to resume").append(" (endpoint ")
                .append(endpointId == null ? "not created" : endpointId).append(").\n");
        return b.toString();
    }
}
