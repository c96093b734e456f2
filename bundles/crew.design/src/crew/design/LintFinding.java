package crew.design;

/**
 * One problem a lint rule found.
 *
 * @param ruleId   the rule's id ({@code CVPN005})
 * @param severity how bad it is
 * @param message  what is wrong and what to do, for a human
 * @param element  the design element it concerns, as a path a user recognises: {@code endpoint.ClientCidrBlock},
 *                 {@code routes[2] 10.0.0.0/16 -> subnet-a}, {@code authorizationRules[0] 10.0.0.0/16 (all users)}
 */
public record LintFinding(String ruleId, Severity severity, String message, String element) {

    @Override
    public String toString() {
        return severity + " " + ruleId + " " + element + ": " + message;
    }
}
