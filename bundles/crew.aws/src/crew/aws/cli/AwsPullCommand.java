package crew.aws.cli;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.aws.AccountReader;
import crew.aws.AwsErrors;
import crew.aws.AwsJson;
import crew.aws.PulledEndpoint;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code crew aws pull}: an endpoint as a design (JSON of the crew.model records until the workspace file codec
 * lands), with its active connections and exported client configuration.
 */
@Component(service = CliCommand.class)
public final class AwsPullCommand implements CliCommand {
    @Override
    public String name() {
        return "aws pull";
    }

    @Override
    public String summary() {
        return "pull a Client VPN endpoint into a design file";
    }

    @Override
    public String synopsis() {
        return "[options] ENDPOINT_ID";
    }

    @Override
    public List<Option> options() {
        return AwsCommandOptions.with(Option.value("output", "FILE", "write the design (JSON) to FILE instead of stdout"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        String id = arguments.positional(0, "ENDPOINT_ID (see crew aws endpoints)");
        arguments.expectAtMostPositionals(1);
        try (AwsCommandOptions.Opened o = AwsCommandOptions.open(context, arguments)) {
            PulledEndpoint pulled = new AccountReader(o.session()).pull(id);
            if (context.json()) {
                context.printJson(AwsJson.GSON.toJsonTree(pulled));
                return ExitCode.OK;
            }
            String design = AwsJson.GSON.toJson(pulled.design());
            if (arguments.has("output")) {
                AwsCommandOptions.write(context, arguments.value("output").get(), design + "\n");
                context.out().printf("Pulled %s: %d target networks, %d routes, %d authorization rules, %d connections (%d active) -> %s%n", id,
                        pulled.design().targetNetworks().size(), pulled.design().routes().size(), pulled.design().authorizationRules().size(),
                        pulled.connections().size(), pulled.connections().stream().filter(c -> "active".equals(c.status())).count(),
                        arguments.value("output").get());
            } else {
                context.out().println(design);
            }
            return ExitCode.OK;
        } catch (SdkException e) {
            throw new CommandException(ExitCode.FAILED, AwsErrors.describe(e));
        }
    }
}
