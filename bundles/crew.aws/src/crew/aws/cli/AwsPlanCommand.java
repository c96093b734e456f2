package crew.aws.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.aws.AccountReader;
import crew.aws.AppliedEndpoints;
import crew.aws.AwsJson;
import crew.aws.Plan;
import crew.aws.Planner;
import crew.aws.PreflightCheck;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import software.amazon.awssdk.core.exception.SdkException;

/** {@code crew aws plan}: what applying a design would change. Exit 1 when the plan cannot be applied. */
@Component(service = CliCommand.class)
@Command(name = "aws plan", summary = "show what applying a design to its endpoint would create, change and remove")
public final class AwsPlanCommand implements CliCommand {
    /** Preflight checks registered by other bundles (the design lint). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<PreflightCheck> checks;

    @Override
    public String name() {
        return "aws plan";
    }

    @Override
    public String summary() {
        return "show what applying a design to its endpoint would create, change and remove";
    }

    @Override
    public String synopsis() {
        return "[options] DESIGN.crew.json | --example NAME";
    }

    @Override
    public List<Option> options() {
        List<Option> all = new java.util.ArrayList<>(AwsCommandOptions.COMMON);
        all.addAll(AwsCommandOptions.DESIGN);
        return all;
    }

    static List<PreflightCheck> checks(List<PreflightCheck> registered) {
        return registered == null ? List.of() : List.copyOf(registered);
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        Path file = AwsCommandOptions.designPath(context, arguments);
        var design = AwsCommandOptions.readDesign(file, arguments);
        Path state = AwsCommandOptions.statePath(context, arguments, file);
        try (AwsCommandOptions.Opened o = AwsCommandOptions.open(context, arguments)) {
            AwsCommandOptions.provide(context, arguments, o, design);
            Plan plan = new Planner(checks(checks)).plan(design, new AccountReader(o.session()));
            if (context.json()) {
                context.printJson(AwsJson.GSON.toJsonTree(plan));
            } else {
                context.out().print(plan.render());
            }
            // the plan itself is right; what apply would refuse is said here first
            List<AppliedEndpoints.Found> applied = AwsCommandOptions.alreadyApplied(arguments, o, design, plan, state);
            if (!applied.isEmpty()) {
                (context.json() ? context.err() : context.out()).println("Note: " + AwsCommandOptions.refusal(applied)
                        + " crew aws apply refuses it without that flag.");
            }
            return plan.canApply() ? ExitCode.OK : ExitCode.FINDINGS;
        } catch (SdkException e) {
            throw AwsCommandOptions.failure(e, design);
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "apply state " + state + ": " + e.getMessage());
        }
    }
}
