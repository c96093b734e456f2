package crew.design.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.AwsCliImport;
import crew.model.io.SourceFormatException;
import crew.model.io.TextFiles;
import crew.model.io.WorkspaceFile;

/** {@code crew import aws-cli}: the AWS CLI's describe-client-vpn-* outputs as workspace designs, one per endpoint. */
@Component(service = CliCommand.class)
@Command(name = "import aws-cli", summary = "turn aws ec2 describe-client-vpn-* output into workspace designs (one per endpoint)")
public final class ImportAwsCliCommand implements CliCommand {

    @Override
    public String name() {
        return "import aws-cli";
    }

    @Override
    public String summary() {
        return "turn aws ec2 describe-client-vpn-* output into workspace designs (one per endpoint)";
    }

    @Override
    public String synopsis() {
        return "DIR|FILE... [--endpoint ID] [--output NAME.crew.json] [--force]";
    }

    @Override
    public String description() {
        return "Reads the JSON that aws ec2 describe-client-vpn-endpoints, describe-client-vpn-routes,\n"
                + "describe-client-vpn-authorization-rules and describe-client-vpn-target-networks print (--output json), in any\n"
                + "combination of files and directories (a directory's *.json files), and writes one NAME.crew.json design per\n"
                + "endpoint into the working directory (NAME from its Name tag, else its description or id), or the one design\n"
                + "--output names. Every design command (lint, access, predict, conflicts, trace, aws plan, aws export-template)\n"
                + "also takes such a directory or file directly. Exit 0: written; 2: bad input (file:line and JSON path).";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("endpoint", "ID", "import only this endpoint"),
                Option.value("output", "FILE", "the design file to write (one endpoint only)"),
                Option.flag("force", "overwrite existing design files"));
    }

    @Override
    public int run(CommandContext ctx, Arguments args) throws CommandException {
        if (args.positionals().isEmpty()) {
            throw CommandException.badInput("give the AWS CLI output: one or more directories or .json files");
        }
        List<Path> inputs = new ArrayList<>();
        args.positionals().forEach(p -> inputs.add(ctx.resolve(p)));
        AwsCliImport.Result r;
        try {
            r = AwsCliImport.read(inputs);
        } catch (IOException e) {
            throw CommandException.badInput("cannot read " + inputs.get(0) + ": " + TextFiles.reason(e));
        } catch (SourceFormatException e) {
            throw CommandException.badInput(e.getMessage());
        }
        List<EndpointDesign> chosen = args.has("endpoint") || args.has("output")
                ? List.of(DesignInputs.choose(r, args.value("endpoint").orElse(null), String.join(" ", args.positionals())))
                : r.designs();
        if (chosen.isEmpty()) {
            throw CommandException.badInput(String.join(" ", args.positionals()) + ": no describe-client-vpn-endpoints output, so no endpoint to import");
        }
        Map<Path, EndpointDesign> out = new LinkedHashMap<>();
        for (EndpointDesign d : chosen) {
            Path target = args.has("output") ? ctx.resolve(args.value("output").get()) : ctx.resolve(AwsCliImport.fileName(d));
            if (!target.getFileName().toString().endsWith(WorkspaceFile.SUFFIX)) {
                throw CommandException.badInput("--output " + target + ": a design file's name ends in " + WorkspaceFile.SUFFIX);
            }
            if (out.containsKey(target)) {
                throw CommandException.badInput("two endpoints would be written to " + target + ": import them one at a time with --endpoint and --output");
            }
            if (Files.exists(target) && !args.has("force")) {
                throw CommandException.badInput(target + " exists: pass --force to overwrite it, or choose another --output");
            }
            out.put(target, d);
        }
        for (Map.Entry<Path, EndpointDesign> e : out.entrySet()) {
            try {
                WorkspaceFile.write(e.getKey(), e.getValue());
            } catch (IOException x) {
                throw new CommandException(ExitCode.FAILED, "cannot write " + e.getKey() + ": " + TextFiles.reason(x));
            }
        }
        if (ctx.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> files = new ArrayList<>();
            r.files().forEach((f, kind) -> files.add(Map.of("file", f.toString(), "kind", kind)));
            m.put("read", files);
            List<Object> designs = new ArrayList<>();
            out.forEach((f, d) -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("file", f.toString());
                x.put("endpoint", d.endpoint().endpointId());
                x.put("name", d.name());
                x.put("targetNetworks", d.targetNetworks().size());
                x.put("routes", d.routes().size());
                x.put("authorizationRules", d.authorizationRules().size());
                designs.add(x);
            });
            m.put("designs", designs);
            m.put("notes", r.notes());
            ctx.printJson(m);
        } else {
            r.files().forEach((f, kind) -> ctx.out().println("read " + f + " (" + kind + ")"));
            out.forEach((f, d) -> ctx.out().println("wrote " + f + ": " + d.endpoint().endpointId() + " \"" + d.name() + "\", "
                    + d.targetNetworks().size() + " target networks, " + d.routes().size() + " routes, " + d.authorizationRules().size()
                    + " authorization rules"));
            r.notes().forEach(n -> ctx.out().println("note: " + n));
        }
        return ExitCode.OK;
    }
}
