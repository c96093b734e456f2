package crew.aws.cli;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.aws.AccountReader;
import crew.aws.AwsErrors;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import software.amazon.awssdk.core.exception.SdkException;

/** {@code crew aws export-profile}: the endpoint's client configuration (.ovpn), as AWS exports it. */
@Component(service = CliCommand.class)
@Command(name = "aws export-profile", summary = "export an endpoint's client configuration (.ovpn)")
public final class AwsExportProfileCommand implements CliCommand {
    @Override
    public String name() {
        return "aws export-profile";
    }

    @Override
    public String summary() {
        return "export an endpoint's client configuration (.ovpn)";
    }

    @Override
    public String synopsis() {
        return "[options] ENDPOINT_ID";
    }

    @Override
    public List<Option> options() {
        return AwsCommandOptions.with(Option.value("output", "FILE", "write the profile to FILE instead of stdout"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        String id = arguments.positional(0, "ENDPOINT_ID");
        arguments.expectAtMostPositionals(1);
        try (AwsCommandOptions.Opened o = AwsCommandOptions.open(context, arguments)) {
            String profile = new AccountReader(o.session()).clientConfiguration(id);
            if (context.json()) {
                context.printJson(java.util.Map.of("endpointId", id, "clientConfiguration", profile));
            } else if (arguments.has("output")) {
                AwsCommandOptions.write(context, arguments.value("output").get(), profile);
                context.out().println("Wrote the client configuration of " + id + " to " + arguments.value("output").get());
            } else {
                context.out().print(profile);
            }
            return ExitCode.OK;
        } catch (SdkException e) {
            throw new CommandException(ExitCode.FAILED, AwsErrors.describe(e));
        }
    }
}
