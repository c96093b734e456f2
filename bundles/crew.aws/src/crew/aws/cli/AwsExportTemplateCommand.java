package crew.aws.cli;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.aws.CloudFormationTemplate;
import crew.aws.DesignExport;
import crew.aws.PreflightCheck;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.Option;

/**
 * {@code crew aws export-template}: a design as an AWS CloudFormation template ({@link CloudFormationTemplate}); no AWS
 * account is needed. The design lint runs first, as before a plan: a design AWS would reject gives its findings and
 * exit 1, and no template.
 */
@Component(service = CliCommand.class)
@Command(name = "aws export-template", summary = "write a design as an AWS CloudFormation template (endpoint, associations, routes, authorization rules)")
public final class AwsExportTemplateCommand implements CliCommand {
    /** Preflight checks registered by other bundles (the design lint). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<PreflightCheck> checks;

    @Override
    public String name() {
        return "aws export-template";
    }

    @Override
    public String summary() {
        return "write a design as an AWS CloudFormation template (endpoint, associations, routes, authorization rules)";
    }

    @Override
    public String synopsis() {
        return "[--output FILE] DESIGN.crew.json | AWS-CLI-DIR [--endpoint ID] | --example NAME";
    }

    @Override
    public List<Option> options() {
        return List.of(AwsCommandOptions.DESIGN.get(0), AwsCommandOptions.DESIGN.get(1),
                Option.value("output", "FILE", "write the template to FILE instead of stdout"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        return AwsCommandOptions.export(context, arguments, DesignExport.CLOUDFORMATION, checks);
    }
}
