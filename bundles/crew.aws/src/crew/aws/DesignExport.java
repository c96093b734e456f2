package crew.aws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import crew.model.endpoint.EndpointDesign;

/**
 * The formats a design can be exported to without an AWS account: what {@code crew aws export-template} and
 * {@code crew aws export-terraform} write, and the endpoint editor's two export buttons. Each format says why a design
 * gets no export ({@link #blockers}: the preflight, then what the format cannot express), writes the text, and names
 * where the workbench keeps it and what to run next.
 */
public enum DesignExport {
    /** An AWS CloudFormation template ({@link CloudFormationTemplate}). */
    CLOUDFORMATION("the CloudFormation template", "cloudformation", ".template.json", CloudFormationTemplate.REFUSED,
            CloudFormationTemplate::unsupported, CloudFormationTemplate::text) {
        @Override
        public String next(Path file) {
            return "aws cloudformation deploy --template-file " + file + " --stack-name NAME";
        }
    },
    /** Terraform configuration in JSON syntax for the AWS provider ({@link TerraformConfiguration}). */
    TERRAFORM("the Terraform configuration", "terraform", ".tf.json", TerraformConfiguration.REFUSED,
            TerraformConfiguration::unsupported, TerraformConfiguration::text) {
        @Override
        public String next(Path file) {
            Path folder = file.toAbsolutePath().getParent();
            return (folder == null ? "" : "in " + folder + ": ") + "terraform init && terraform plan";
        }
    };

    private final String what;
    private final String folder;
    private final String suffix;
    private final String refused;
    private final Function<EndpointDesign, List<String>> unsupported;
    private final Function<EndpointDesign, String> text;

    DesignExport(String what, String folder, String suffix, String refused, Function<EndpointDesign, List<String>> unsupported,
            Function<EndpointDesign, String> text) {
        this.what = what;
        this.folder = folder;
        this.suffix = suffix;
        this.refused = refused;
        this.unsupported = unsupported;
        this.text = text;
    }

    /** What is written, as a sentence names it ("the CloudFormation template"). */
    public String what() {
        return what;
    }

    /** The workspace folder the workbench writes it to. */
    public String folder() {
        return folder;
    }

    /** The file name's ending (".template.json", ".tf.json": Terraform reads only files so named). */
    public String suffix() {
        return suffix;
    }

    /** The heading of a refused export, above its {@link #blockers}. */
    public String refused() {
        return refused;
    }

    /**
     * Why {@code design} gets no export, one line each, empty when it can be exported: what the preflight finds
     * ({@link PreflightCheck#runAll}: AWS's request constraints and {@code checks}, the design lint where it is
     * registered), then what the format cannot express.
     */
    public List<String> blockers(EndpointDesign design, List<PreflightCheck> checks) {
        List<String> out = new ArrayList<>();
        PreflightCheck.runAll(checks, design).forEach(p -> out.add(p.toString()));
        out.addAll(unsupported.apply(design));
        return out;
    }

    /**
     * The export of {@code design} as text.
     *
     * @throws IllegalArgumentException naming what the format cannot express
     */
    public String text(EndpointDesign design) {
        return text.apply(design);
    }

    /**
     * The export's text after the {@link #blockers} check.
     *
     * @throws IllegalStateException with {@link #refused} and the blockers, one an indented line
     */
    public String checkedText(EndpointDesign design, List<PreflightCheck> checks) {
        List<String> blockers = blockers(design, checks);
        if (!blockers.isEmpty()) {
            throw new IllegalStateException(refused + "\n  " + String.join("\n  ", blockers));
        }
        return text(design);
    }

    /** What to run with the written {@code file}. */
    public abstract String next(Path file);

    /** The line that reports {@code file} written for the design {@code designName}, with what to run next. */
    public String written(String designName, Path file) {
        return "Wrote " + what + " of '" + designName + "' to " + file + "\nThen: " + next(file);
    }
}
