package crew.aws;

import java.util.List;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;

/**
 * One change of a plan, with what is needed to execute it.
 *
 * @param changedFields      for endpoint changes: the ClientVpnEndpoint field names that differ
 * @param resetsConnections  whether AWS drops the endpoint's client connections when this step runs
 */
public record PlanStep(Action action, String summary, List<String> changedFields, boolean resetsConnections, ClientVpnEndpoint endpoint,
        String subnetId, String associationId, ClientVpnRoute route, AuthorizationRule rule) {

    public PlanStep {
        changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
    }

    /** Step kinds in the order a plan runs them: the endpoint, then what routes need, then removals. */
    public enum Action {
        CREATE_ENDPOINT('+'), MODIFY_ENDPOINT('~'), ASSOCIATE('+'), CREATE_ROUTE('+'), AUTHORIZE('+'), REVOKE('-'), DELETE_ROUTE('-'), DISASSOCIATE('-');

        private final char sign;

        Action(char sign) {
            this.sign = sign;
        }

        /** +, ~ or -, as infrastructure tools show them. */
        public char sign() {
            return sign;
        }
    }
}
