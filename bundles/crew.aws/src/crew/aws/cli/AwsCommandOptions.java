package crew.aws.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import crew.aws.AwsJson;
import crew.aws.AwsSession;
import crew.aws.AwsTarget;
import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.endpoint.EndpointDesign;

/** The options every {@code crew aws} command shares, and opening a session (with the embedded local account for --local). */
final class AwsCommandOptions {
    static final List<Option> COMMON = List.of(
            Option.value("profile", "NAME", "named profile from ~/.aws/config and ~/.aws/credentials (default: the default credentials chain)"),
            Option.value("region", "REGION", "AWS region (default: the profile's or AWS_REGION)"),
            Option.flag("local", "use the embedded local account (state in ~/.crew/aws-local.json), no AWS account needed"),
            Option.value("local-state", "FILE", "with --local: the local account's state file"),
            Option.value("endpoint-url", "URL", "talk to a running local account at URL (dummy credentials)"));

    private AwsCommandOptions() {
    }

    static List<Option> with(Option... extra) {
        List<Option> all = new ArrayList<>(COMMON);
        all.addAll(List.of(extra));
        return all;
    }

    /** An open session, and the embedded local server when --local was given; close both. */
    record Opened(AwsSession session, LocalAwsServer server) implements AutoCloseable {
        @Override
        public void close() {
            session.close();
            if (server != null) {
                server.close();
            }
        }
    }

    static Opened open(CommandContext context, Arguments arguments) throws CommandException {
        String region = arguments.value("region").orElse(null);
        LocalAwsServer server = null;
        AwsTarget target;
        if (arguments.has("local")) {
            Path state = arguments.value("local-state").map(context::resolve)
                    .orElse(Path.of(System.getProperty("user.home"), ".crew", "aws-local.json"));
            try {
                server = LocalAwsServer.start(LocalAccount.open(state), 0);
            } catch (IOException | RuntimeException e) {
                throw new CommandException(ExitCode.UNAVAILABLE, "cannot start the local account (" + state + "): " + e.getMessage());
            }
            target = AwsTarget.local(server.endpoint(), region);
        } else if (arguments.has("endpoint-url")) {
            target = AwsTarget.local(URI.create(arguments.value("endpoint-url").get()), region);
        } else {
            target = new AwsTarget(arguments.value("profile").orElse(null), region, null);
        }
        try {
            return new Opened(new AwsSession(target), server);
        } catch (IllegalArgumentException e) {
            if (server != null) {
                server.close();
            }
            throw CommandException.badInput(e.getMessage());
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw new CommandException(ExitCode.UNAVAILABLE, "cannot set up the AWS clients: " + e.getMessage());
        }
    }

    static EndpointDesign readDesign(CommandContext context, String file) throws CommandException {
        Path path = context.resolve(file);
        try {
            EndpointDesign d = AwsJson.GSON.fromJson(Files.readString(path, StandardCharsets.UTF_8), EndpointDesign.class);
            if (d == null || d.endpoint() == null) {
                throw CommandException.badInput(path + ": not an endpoint design (no \"endpoint\" object)");
            }
            return d;
        } catch (IOException e) {
            throw CommandException.badInput("cannot read " + path + ": " + e.getMessage());
        } catch (com.google.gson.JsonParseException | IllegalArgumentException e) {
            throw CommandException.badInput(path + ": " + e.getMessage());
        }
    }

    static void write(CommandContext context, String file, String text) throws CommandException {
        Path path = context.resolve(file);
        try {
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "cannot write " + path + ": " + e.getMessage());
        }
    }
}
