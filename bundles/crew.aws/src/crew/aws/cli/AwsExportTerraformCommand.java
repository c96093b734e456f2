package crew.aws.cli;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.aws.DesignExport;
import crew.aws.PreflightCheck;
import crew.aws.TerraformConfiguration;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.Option;

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
        String file = arguments.value("output").orElse(null);
        if (file != null && !file.endsWith(DesignExport.TERRAFORM.suffix())) {
            throw CommandException.badInput("--output " + file + ": Terraform reads JSON configuration from files named NAME.tf.json");
        }
        return AwsCommandOptions.export(context, arguments, DesignExport.TERRAFORM, checks);
    }
}
