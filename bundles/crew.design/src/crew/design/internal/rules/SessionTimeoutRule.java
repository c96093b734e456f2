package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/** CVPN020 session-timeout: The session timeout is 8, 10, 12 or 24 hours. */
@Component(service = LintRule.class)
public final class SessionTimeoutRule extends BaseRule {

    public SessionTimeoutRule() {
        super("CVPN020", "session-timeout", Severity.ERROR, "The session timeout is 8, 10, 12 or 24 hours.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        int h = d.endpoint().sessionTimeoutHours();
        if (h != 8 && h != 10 && h != 12 && h != 24) {
            out.add(finding("session timeout " + h + " h; AWS accepts 8, 10, 12 or 24", DesignElements.endpoint("SessionTimeoutHours")));
        }
    }
}
