package crew.aws.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.aws.AccountReader;
import crew.aws.AppliedEndpoints;
import crew.aws.ApplyReport;
import crew.aws.ApplyState;
import crew.aws.AwsJson;
import crew.aws.Plan;
import crew.aws.PlanExecutor;
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

/** {@code crew aws apply}: plan and apply a design; an unfinished apply (its state file) is resumed first. */
@Component(service = CliCommand.class)
@Command(name = "aws apply", summary = "apply a design to its endpoint (resumes an interrupted apply)")
public final class AwsApplyCommand implements CliCommand {
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<PreflightCheck> checks;

    @Override
    public String name() {
        return "aws apply";
    }

    @Override
    public String summary() {
        return "apply a design to its endpoint (resumes an interrupted apply)";
    }

    @Override
    public String synopsis() {
        return "[options] DESIGN.crew.json | --example NAME";
    }

    @Override
    public List<Option> options() {
        List<Option> all = new java.util.ArrayList<>(AwsCommandOptions.DESIGN);
        all.add(Option.value("state", "FILE", "the apply state file (default: DESIGN.crew.json.apply-state)"));
        all.add(Option.flag("restart", "discard an unfinished apply's state and plan afresh"));
        all.add(Option.value("poll-ms", "MS", "how often to poll for associations and routes to become active (default 5000)"));
        all.add(Option.value("concurrency", "N", "independent calls at once, 1..10 (default 10: AWS's limit of concurrent operations per endpoint)"));
        return AwsCommandOptions.with(all.toArray(Option[]::new));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        Path file = AwsCommandOptions.designPath(context, arguments);
        var design = AwsCommandOptions.readDesign(file, arguments);
        Path state = AwsCommandOptions.statePath(context, arguments, file);
        int poll = arguments.intValue("poll-ms", 5000);
        try (AwsCommandOptions.Opened o = AwsCommandOptions.open(context, arguments)) {
            int concurrency = arguments.intValue("concurrency", PlanExecutor.AWS_CONCURRENT_OPERATIONS);
            if (concurrency < 1 || concurrency > PlanExecutor.AWS_CONCURRENT_OPERATIONS) {
                throw CommandException.badInput("--concurrency must be 1.." + PlanExecutor.AWS_CONCURRENT_OPERATIONS
                        + " (AWS allows 10 concurrent operations per endpoint), not " + concurrency);
            }
            PlanExecutor executor = new PlanExecutor(o.session(), context.json() ? context.err() : context.out())
                    .waiting(Duration.ofMillis(poll), Duration.ofMinutes(15)).concurrency(concurrency);
            AwsCommandOptions.provide(context, arguments, o, design);
            ApplyReport report;
            if (Files.exists(state) && !arguments.has("restart") && !ApplyState.load(state).complete()) {
                context.out().println("Resuming the unfinished apply in " + state);
                report = executor.resume(state);
            } else {
                Plan plan = new Planner(AwsPlanCommand.checks(checks)).plan(design, new AccountReader(o.session()));
                if (!context.json()) {
                    context.out().print(plan.render());
                }
                if (!plan.canApply()) {
                    return ExitCode.FINDINGS;
                }
                if (plan.isEmpty()) {
                    return ExitCode.OK;
                }
                List<AppliedEndpoints.Found> applied = AwsCommandOptions.alreadyApplied(arguments, o, design, plan, state);
                if (!applied.isEmpty()) {
                    throw new CommandException(ExitCode.FINDINGS, AwsCommandOptions.refusal(applied));
                }
                report = executor.apply(plan, state);
            }
            if (context.json()) {
                context.printJson(AwsJson.GSON.toJsonTree(report));
            } else {
                context.out().print(report.render());
            }
            return report.succeeded() ? ExitCode.OK : ExitCode.FAILED;
        } catch (SdkException e) {
            throw AwsCommandOptions.failure(e, design);
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "apply state " + state + ": " + e.getMessage());
        }
    }
}
