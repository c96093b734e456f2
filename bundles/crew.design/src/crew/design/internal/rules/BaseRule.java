package crew.design.internal.rules;

import java.util.ArrayList;
import java.util.List;

import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/** Id, name, severity and description for CREW's own rules; subclasses add findings in {@link #check(EndpointDesign, List)}. */
abstract class BaseRule implements LintRule {
    private final String id;
    private final String name;
    private final Severity severity;
    private final String description;

    BaseRule(String id, String name, Severity severity, String description) {
        this.id = id;
        this.name = name;
        this.severity = severity;
        this.description = description;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Severity severity() {
        return severity;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public final List<LintFinding> check(EndpointDesign design) {
        List<LintFinding> out = new ArrayList<>();
        check(design, out);
        return out;
    }

    abstract void check(EndpointDesign design, List<LintFinding> out);

    LintFinding finding(String message, String element) {
        return new LintFinding(id, severity, message, element);
    }

    /** A finding that names the endpoint settings it concerns (AWS CLI names), beyond what its element names. */
    LintFinding finding(String message, String element, List<String> fields) {
        return new LintFinding(id, severity, message, element, fields);
    }

    LintFinding finding(Severity s, String message, String element) {
        return new LintFinding(id, s, message, element);
    }
}
