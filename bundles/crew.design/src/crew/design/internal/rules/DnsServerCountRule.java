package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/** CVPN018 dns-servers: At most two DNS servers. */
@Component(service = LintRule.class)
public final class DnsServerCountRule extends BaseRule {

    public DnsServerCountRule() {
        super("CVPN018", "dns-servers", Severity.ERROR, "At most two DNS servers.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        int n = d.endpoint().dnsServers().size();
        if (n > 2) {
            out.add(finding(n + " DNS servers; AWS accepts at most 2", DesignElements.endpoint("DnsServers")));
        }
    }
}
