package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/** CVPN027 endpoint-options: Enabled options need their settings: connection logging a log group, the client connect handler a Lambda ARN; a server certificate is required. */
@Component(service = LintRule.class)
public final class EndpointOptionsRule extends BaseRule {

    public EndpointOptionsRule() {
        super("CVPN027", "endpoint-options", Severity.ERROR, "Enabled options need their settings: connection logging a log group, the client connect handler a Lambda ARN; a server certificate is required.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        var e = d.endpoint();
        if (e.connectionLogOptions().enabled() && e.connectionLogOptions().cloudwatchLogGroup() == null) {
            out.add(finding("connection logging enabled without a CloudWatch log group", DesignElements.endpoint("ConnectionLogOptions"),
                    List.of("ConnectionLogOptions.CloudwatchLogGroup")));
        }
        if (e.clientConnectOptions().enabled() && e.clientConnectOptions().lambdaFunctionArn() == null) {
            out.add(finding("client connect handler enabled without a Lambda function ARN", DesignElements.endpoint("ClientConnectOptions"),
                    List.of("ClientConnectOptions.LambdaFunctionArn")));
        }
        if (e.serverCertificateArn() == null) {
            out.add(finding("no server certificate ARN", DesignElements.endpoint("ServerCertificateArn")));
        }
    }
}
