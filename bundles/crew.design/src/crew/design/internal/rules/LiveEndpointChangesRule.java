package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/** CVPN029 changes-reset-connections: Changing DNS servers, split tunnel, port, routes or authorization rules resets every client connection; changes can take up to 4 hours to apply. */
@Component(service = LintRule.class)
public final class LiveEndpointChangesRule extends BaseRule {

    public LiveEndpointChangesRule() {
        super("CVPN029", "changes-reset-connections", Severity.INFO, "Changing DNS servers, split tunnel, port, routes or authorization rules resets every client connection; changes can take up to 4 hours to apply.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        if (d.endpoint().endpointId() != null && "available".equals(d.endpoint().status())) {
            out.add(finding("edits to DNS, split tunnel, port, routes or rules of this live endpoint reset its connections; "
                    + "client CIDR, authentication, transport and IP types need a new endpoint", "endpoint"));
        }
    }
}
