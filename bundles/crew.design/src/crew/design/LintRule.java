package crew.design;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import crew.model.endpoint.EndpointDesign;

/**
 * One check of an endpoint design. Register an implementation as an OSGi service (a DS {@code @Component}) and
 * {@code crew lint} and the designer run it; CREW's own rules (ids {@code CVPNnnn}) are registered the same way.
 * Rules are stateless and thread-safe.
 */
@ConsumerType
public interface LintRule {

    /** A stable id for suppressions and SARIF ({@code CVPN005}); plugins should use their own prefix. */
    String id();

    /** A short kebab-case name ({@code subnet-too-small}). */
    String name();

    /** The severity of this rule's findings. */
    Severity severity();

    /** One sentence: what the rule checks and why (AWS's rule, quota or failure mode). */
    String description();

    /** The findings for {@code design}; empty when clean. */
    List<LintFinding> check(EndpointDesign design);
}
