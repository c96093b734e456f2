package crew.aws.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import crew.aws.AccountReader;
import crew.aws.AppliedEndpoints;
import crew.aws.ApplyState;
import crew.aws.AwsSession;
import crew.aws.AwsTarget;
import crew.aws.DesignExport;
import crew.aws.Plan;
import crew.aws.PlanStep;
import crew.aws.PreflightCheck;
import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.CrewHome;
import crew.model.io.SourceFormatException;
import crew.model.io.TextFiles;
import crew.model.io.WorkspaceFile;

/** The options every {@code crew aws} command shares, and opening a session (with the embedded local account for --local). */
final class AwsCommandOptions {
    static final List<Option> COMMON = List.of(
            Option.value("profile", "NAME", "named profile from ~/.aws/config and ~/.aws/credentials (default: the default credentials chain)"),
            Option.value("region", "REGION", "AWS region (default: the profile's or AWS_REGION)"),
            Option.flag("local", "use the embedded local account (state in $CREW_HOME/aws-local.json, CREW_HOME default ~/.crew), no AWS account needed"),
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
            Path state = arguments.value("local-state").map(context::resolve).orElseGet(CrewHome::localAwsAccount);
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

    /** The options of the commands that read a design: plan and apply. */
    static final List<Option> DESIGN = List.of(
            Option.value("example", "NAME", "use an example design of the workspace (split-tunnel, full-tunnel, dual-stack) instead of a file"),
            Option.value("endpoint", "ID", "with AWS CLI describe-client-vpn-* output as DESIGN (a directory or file): the endpoint to use"),
            Option.flag("new", "plan a new endpoint: ignore the design's ClientVpnEndpointId (a design from another account or region)"),
            Option.flag("local-provide", "with --local: first add the subnets, VPC and certificates the design refers to the local account"),
            Option.flag("allow-duplicate", "create a new endpoint even though the account has one this design was already applied to "
                    + "(recorded in its apply state, or with the design's Name tag or description)"));

    /** The apply state file: --state, else DESIGN.crew.json.apply-state beside the design (for --example, in the current folder). */
    static Path statePath(CommandContext context, Arguments arguments, Path design) {
        return arguments.value("state").map(context::resolve).orElse(arguments.has("example") ? context.resolve(design.getFileName() + ".apply-state")
                : design.resolveSibling(design.getFileName() + ".apply-state"));
    }

    /** Why apply refuses a plan that {@link #alreadyApplied} found endpoints for, and the two ways on. */
    static String refusal(List<AppliedEndpoints.Found> found) {
        return AppliedEndpoints.describe(found) + " Applying it as a new endpoint would create another one. To update that endpoint, set the design's"
                + " ClientVpnEndpointId (or crew aws pull it) and apply without --new; to create a second endpoint anyway, pass --allow-duplicate.";
    }

    /**
     * For a plan that creates an endpoint: the account's endpoints this design was already applied to (none with
     * --allow-duplicate), so that a second apply does not silently make a second endpoint.
     */
    static List<AppliedEndpoints.Found> alreadyApplied(Arguments arguments, Opened opened, EndpointDesign design, Plan plan,
            Path state) throws IOException {
        if (plan.endpointId() != null || arguments.has("allow-duplicate")
                || plan.steps().stream().noneMatch(s -> s.action() == PlanStep.Action.CREATE_ENDPOINT)) {
            return List.of();
        }
        ApplyState recorded = Files.exists(state) ? ApplyState.load(state) : null;
        return AppliedEndpoints.find(design, recorded, state.toString(), new AccountReader(opened.session()).endpoints());
    }

    /** The design file: the positional DESIGN argument, or {@code --example NAME} from the example workspace. */
    static Path designPath(CommandContext context, Arguments arguments) throws CommandException {
        if (arguments.has("example")) {
            if (!arguments.positionals().isEmpty()) {
                throw CommandException.badInput("give a DESIGN file or --example, not both");
            }
            String dir = System.getProperty("crew.examples");
            if (dir == null || dir.isBlank()) {
                throw CommandException.badInput("no example workspace here (crew.examples is not set); give a design file instead");
            }
            Path p = Path.of(dir, "designs", arguments.value("example").get() + WorkspaceFile.SUFFIX);
            if (!Files.isRegularFile(p)) {
                throw CommandException.badInput("no example design '" + arguments.value("example").get() + "' (try split-tunnel, full-tunnel, dual-stack)");
            }
            return p;
        }
        String file = arguments.positional(0, "DESIGN" + WorkspaceFile.SUFFIX);
        arguments.expectAtMostPositionals(1);
        return context.resolve(file);
    }

    /**
     * Reads a workspace design file ({@code *.crew.json}, format crew-design/1: what {@code crew aws pull},
     * the designer and {@code crew lint} use). With {@code --new} the endpoint id is dropped, so the plan creates
     * a new endpoint.
     */
    static EndpointDesign readDesign(Path path, Arguments arguments) throws CommandException {
        EndpointDesign d;
        try {
            if (Files.isDirectory(path) || (!path.getFileName().toString().endsWith(WorkspaceFile.SUFFIX)
                    && crew.model.io.AwsCliImport.isAwsCliOutput(TextFiles.read(path)))) {
                // the AWS CLI's describe-client-vpn-* output, as crew import aws-cli reads it
                d = imported(crew.model.io.AwsCliImport.read(List.of(path)), arguments.value("endpoint").orElse(null), path);
                return arguments.has("new") ? crew.aws.Designs.withEndpointId(d, null) : d;
            }
            if (arguments.has("endpoint")) {
                throw CommandException.badInput("--endpoint chooses among the endpoints of AWS CLI output; " + path + " is a design file");
            }
            d = WorkspaceFile.read(path);
        } catch (IOException e) {
            throw CommandException.badInput("cannot read " + path + ": " + TextFiles.reason(e));
        } catch (SourceFormatException e) {
            throw CommandException.badInput(e.getMessage() + " (crew aws reads workspace design files, " + WorkspaceFile.FORMAT
                    + ", as written by crew aws pull)");
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(path + ": " + e.getMessage());
        }
        return arguments.has("new") ? crew.aws.Designs.withEndpointId(d, null) : d;
    }

    /** With {@code --local --local-provide}: adds what the design refers to to the local account, and says what. */
    private static EndpointDesign imported(crew.model.io.AwsCliImport.Result r, String endpointId, Path where) throws CommandException {
        List<String> ids = r.designs().stream().map(x -> x.endpoint().endpointId()).toList();
        if (endpointId != null) {
            EndpointDesign d = r.design(endpointId);
            if (d == null) {
                throw CommandException.badInput("--endpoint " + endpointId + ": " + where + " describes " + (ids.isEmpty() ? "no endpoint" : String.join(", ", ids)));
            }
            return d;
        }
        if (ids.size() != 1) {
            throw CommandException.badInput(where + " describes " + (ids.isEmpty() ? "no endpoint" : ids.size() + " endpoints (" + String.join(", ", ids)
                    + "): choose one with --endpoint ID"));
        }
        return r.designs().get(0);
    }

    static void provide(CommandContext context, Arguments arguments, Opened opened, EndpointDesign design) throws CommandException {
        if (!arguments.has("local-provide")) {
            return;
        }
        if (opened.server() == null) {
            throw CommandException.badInput("--local-provide needs --local");
        }
        for (String line : opened.server().account().provide(design)) {
            (context.json() ? context.err() : context.out()).println("Local account: added " + line);
        }
    }

    /** The failure of a plan or apply: AWS's refusal, and for an endpoint id the account lacks, the way out. */
    static CommandException failure(software.amazon.awssdk.core.exception.SdkException e, EndpointDesign design) {
        String message = crew.aws.AwsErrors.describe(e);
        if ("InvalidClientVpnEndpointId.NotFound".equals(crew.aws.AwsErrors.code(e)) && design.endpoint().endpointId() != null) {
            message += "; the design's endpoint " + design.endpoint().endpointId()
                    + " is not in this account and region: pass --new to plan a new endpoint from the design";
        }
        return new CommandException(ExitCode.FAILED, message);
    }

    static void write(CommandContext context, String file, String text) throws CommandException {
        Path path = context.resolve(file);
        try {
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "cannot write " + path + ": " + e.getMessage());
        }
    }

    /**
     * What both export commands do: the design of the arguments, refused with its blockers (exit 1) as
     * {@link DesignExport#blockers} finds them, else written to {@code --output} or stdout.
     */
    static int export(CommandContext context, Arguments arguments, DesignExport format, List<PreflightCheck> registered)
            throws CommandException {
        EndpointDesign design = readDesign(designPath(context, arguments), arguments);
        List<String> blockers = format.blockers(design, AwsPlanCommand.checks(registered));
        if (!blockers.isEmpty()) {
            context.err().println(format.refused());
            blockers.forEach(b -> context.err().println("  " + b));
            return ExitCode.FINDINGS;
        }
        String text = format.text(design);
        if (arguments.has("output")) {
            String file = arguments.value("output").get();
            write(context, file, text);
            context.out().println(format.written(design.name(), Path.of(file)));
        } else {
            context.out().print(text);
        }
        return ExitCode.OK;
    }
}
