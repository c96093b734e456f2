package crew.aws.cli;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.aws.PreflightCheck;
import crew.aws.TerraformConfiguration;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.endpoint.EndpointDesign;

/**
 * {@code crew aws export-terraform}: a design as Terraform configuration for the AWS provider, in JSON syntax
 * ({@link TerraformConfiguration}); no AWS account is needed. As for the CloudFormation export, the design lint runs
 * first: a design AWS would reject gives its findings and exit 1, and no configuration.
 */
@Component(service = CliCommand.class)
@Command(name = "aws export-terraform", summary = "write a design as Terraform (.tf.json) for the AWS provider (endpoint, associations, routes, authorization rules)")
public final class AwsExportTerraformCommand implements CliCommand {
    /** Preflight checks registered by other bundles (the design lint). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<PreflightCheck> checks;

    @Override
    public String name() {
        return "aws export-terraform";
    }

    @Override
    public String summary() {
        return "write a design as Terraform (.tf.json) for the AWS provider (endpoint, associations, routes, authorization rules)";
    }

    @Override
    public String synopsis() {
        return "[--output FILE.tf.json] DESIGN.crew.json | AWS-CLI-DIR [--endpoint ID] | --example NAME";
    }

    @Override
    public List<Option> options() {
        return List.of(AwsCommandOptions.DESIGN.get(0), AwsCommandOptions.DESIGN.get(1),
                Option.value("output", "FILE", "write the configuration to FILE (NAME.tf.json, so that Terraform reads it) instead of stdout"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        EndpointDesign design = AwsCommandOptions.readDesign(AwsCommandOptions.designPath(context, arguments), arguments);
        List<String> blockers = TerraformConfiguration.blockers(design, AwsPlanCommand.checks(checks));
        if (!blockers.isEmpty()) {
            context.err().println(TerraformConfiguration.REFUSED);
            blockers.forEach(b -> context.err().println("  " + b));
            return ExitCode.FINDINGS;
        }
        String text = TerraformConfiguration.text(design);
        if (arguments.has("output")) {
            String file = arguments.value("output").get();
            if (!file.endsWith(".tf.json")) {
                throw CommandException.badInput("--output " + file + ": Terraform reads JSON configuration from files named NAME.tf.json");
            }
            AwsCommandOptions.write(context, file, text);
            context.out().println("Wrote the Terraform configuration of '" + design.name() + "' to " + file + " (then: terraform init && terraform plan)");
        } else {
            context.out().print(text);
        }
        return ExitCode.OK;
    }
}
