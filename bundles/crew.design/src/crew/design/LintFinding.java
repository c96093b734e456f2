package crew.design;

import java.util.List;

/**
 * One problem a lint rule found.
 *
 * @param ruleId   the rule's id ({@code CVPN005})
 * @param severity how bad it is
 * @param message  what is wrong and what to do, for a human
 * @param element  the design element it concerns, as a path a user recognises: {@code endpoint.ClientCidrBlock},
 *                 {@code routes[2] 10.0.0.0/16 -> subnet-a}, {@code authorizationRules[0] 10.0.0.0/16 (all users)}
 * @param fields   the endpoint settings the finding concerns, by their AWS CLI names, nested ones with dots
 *                 ({@code ClientCidrBlock}, {@code ConnectionLogOptions.CloudwatchLogGroup}), so that an editor can
 *                 mark the fields a user would change; a finding about a route can name the setting it conflicts
 *                 with. Not part of the {@code crew lint} output. Null: {@link DesignElements#endpointFields(String)}
 *                 of {@code element}.
 */
public record LintFinding(String ruleId, Severity severity, String message, String element, List<String> fields) {

    public LintFinding {
        fields = fields == null ? DesignElements.endpointFields(element) : List.copyOf(fields);
    }

    /** A finding whose fields are the endpoint field its element names (none for routes, rules, target networks). */
    public LintFinding(String ruleId, Severity severity, String message, String element) {
        this(ruleId, severity, message, element, null);
    }

    @Override
    public String toString() {
        return severity + " " + ruleId + " " + element + ": " + message;
    }
}
