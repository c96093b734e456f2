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
import crew.model.endpoint.ClientVpnEndpoint;
import software.amazon.awssdk.core.exception.SdkException;

/** {@code crew aws endpoints}: the Client VPN endpoints of a region. */
@Component(service = CliCommand.class)
@Command(name = "aws endpoints", summary = "list the Client VPN endpoints of an AWS region")
public final class AwsEndpointsCommand implements CliCommand {
    @Override
    public String name() {
        return "aws endpoints";
    }

    @Override
    public String summary() {
        return "list the Client VPN endpoints of an AWS region";
    }

    @Override
    public List<Option> options() {
        return AwsCommandOptions.COMMON;
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(0);
        try (AwsCommandOptions.Opened o = AwsCommandOptions.open(context, arguments)) {
            List<ClientVpnEndpoint> endpoints = new AccountReader(o.session()).endpoints();
            if (context.json()) {
                context.printJson(endpoints.stream().map(e -> java.util.Map.of("endpointId", e.endpointId(), "status", String.valueOf(e.status()),
                        "clientCidrBlock", String.valueOf(e.clientCidrBlock()), "clientRouteEnforcement", e.clientRouteEnforcement(),
                        "description", String.valueOf(e.description()))).toList());
            } else if (endpoints.isEmpty()) {
                context.out().println("No Client VPN endpoints in " + o.session().region() + ".");
            } else {
                for (ClientVpnEndpoint e : endpoints) {
                    context.out().printf("%-32s %-18s %-18s CRE %-3s %s%n", e.endpointId(), e.status(), e.clientCidrBlock(),
                            e.clientRouteEnforcement() ? "on" : "off", e.description() == null ? "" : e.description());
                }
            }
            return ExitCode.OK;
        } catch (SdkException e) {
            throw new CommandException(ExitCode.FAILED, AwsErrors.describe(e));
        }
    }
}
