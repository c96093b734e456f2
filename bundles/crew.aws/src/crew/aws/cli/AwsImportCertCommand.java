package crew.aws.cli;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.aws.AwsErrors;
import crew.aws.CertificateImporter;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import software.amazon.awssdk.core.exception.SdkException;

/** {@code crew aws import-cert}: import a PEM certificate (server, or client root CA) into ACM. */
@Component(service = CliCommand.class)
@Command(name = "aws import-cert", summary = "import a PEM certificate and key (server or client root CA) into ACM")
public final class AwsImportCertCommand implements CliCommand {
    @Override
    public String name() {
        return "aws import-cert";
    }

    @Override
    public String summary() {
        return "import a PEM certificate and key (server or client root CA) into ACM";
    }

    @Override
    public List<Option> options() {
        return AwsCommandOptions.with(Option.value("cert", "FILE", "the certificate (PEM)"), Option.value("key", "FILE", "its private key (PEM)"),
                Option.value("chain", "FILE", "the CA chain (PEM), for a server certificate"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(0);
        String cert = arguments.value("cert").orElseThrow(() -> CommandException.badInput("missing --cert FILE"));
        String key = arguments.value("key").orElseThrow(() -> CommandException.badInput("missing --key FILE"));
        try (AwsCommandOptions.Opened o = AwsCommandOptions.open(context, arguments)) {
            String arn = new CertificateImporter(o.session()).importPem(context.resolve(cert), context.resolve(key),
                    arguments.value("chain").map(context::resolve).orElse(null));
            if (context.json()) {
                context.printJson(java.util.Map.of("certificateArn", arn));
            } else {
                context.out().println(arn);
            }
            return ExitCode.OK;
        } catch (IllegalArgumentException | IOException e) {
            throw CommandException.badInput(e.getMessage());
        } catch (SdkException e) {
            throw new CommandException(ExitCode.FAILED, AwsErrors.describe(e));
        }
    }
}
