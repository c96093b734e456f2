package crew.aws.cli;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.aws.AccountReader;
import crew.aws.AwsErrors;
import crew.aws.PulledEndpoint;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.io.WorkspaceFile;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code crew aws pull}: an endpoint as a workspace design file ({@code *.crew.json}, format crew-design/1, the file
 * {@code crew aws plan}, the designer and {@code crew lint} read). With --json: the design in that format, the
 * endpoint's client connections and its exported client configuration.
 */
@Component(service = CliCommand.class)
@Command(name = "aws pull", summary = "pull a Client VPN endpoint into a design file")
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
        return AwsCommandOptions.with(Option.value("output", "FILE", "write the design to FILE (NAME" + WorkspaceFile.SUFFIX + ") instead of stdout"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        String id = arguments.positional(0, "ENDPOINT_ID (see crew aws endpoints)");
        arguments.expectAtMostPositionals(1);
        try (AwsCommandOptions.Opened o = AwsCommandOptions.open(context, arguments)) {
            PulledEndpoint pulled = new AccountReader(o.session()).pull(id);
            String design = WorkspaceFile.write(pulled.design());
            if (context.json()) {
                com.google.gson.JsonObject j = new com.google.gson.JsonObject();
                j.add("design", com.google.gson.JsonParser.parseString(design));
                com.google.gson.JsonArray connections = new com.google.gson.JsonArray();
                for (crew.aws.ActiveConnection c : pulled.connections()) {
                    com.google.gson.JsonObject x = new com.google.gson.JsonObject();
                    x.addProperty("connectionId", c.connectionId());
                    x.addProperty("commonName", c.commonName());
                    x.addProperty("username", c.username());
                    x.addProperty("clientIp", c.clientIp());
                    x.addProperty("establishedTime", c.establishedTime());
                    x.addProperty("status", c.status());
                    connections.add(x);
                }
                j.add("connections", connections);
                j.addProperty("clientConfiguration", pulled.clientConfiguration());
                context.printJson(j);
                return ExitCode.OK;
            }
            if (arguments.has("output")) {
                AwsCommandOptions.write(context, arguments.value("output").get(), design);
                context.out().printf("Pulled %s: %d target networks, %d routes, %d authorization rules, %d connections (%d active) -> %s%n", id,
                        pulled.design().targetNetworks().size(), pulled.design().routes().size(), pulled.design().authorizationRules().size(),
                        pulled.connections().size(), pulled.connections().stream().filter(c -> "active".equals(c.status())).count(),
                        arguments.value("output").get());
            } else {
                context.out().print(design);
            }
            return ExitCode.OK;
        } catch (SdkException e) {
            throw new CommandException(ExitCode.FAILED, AwsErrors.describe(e));
        }
    }
}
