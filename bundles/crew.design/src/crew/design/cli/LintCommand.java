package crew.design.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.design.DesignLinter;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.WorkspaceFile;

/** {@code crew lint}: every registered LintRule over one design; text, JSON or SARIF. */
@Component(service = CliCommand.class)
@Command(name = "lint", summary = "check an endpoint design against AWS's rules and quotas")
public final class LintCommand implements CliCommand {

    private final List<LintRule> rules = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRule(LintRule rule) {
        rules.add(rule);
    }

    void removeRule(LintRule rule) {
        rules.remove(rule);
    }

    @Override
    public String name() {
        return "lint";
    }

    @Override
    public String summary() {
        return "check an endpoint design against AWS's rules and quotas";
    }

    @Override
    public String synopsis() {
        return "[--example NAME | DESIGN.crew.json | AWS-CLI-DIR [--endpoint ID]] [--format text|json|sarif] [--rules]";
    }

    @Override
    public String description() {
        return "Runs every lint rule (CREW's CVPNnnn rules and any plugin's) over a design file (a *.crew.json workspace file)\n"
                + "or an example design. Exit code 0: no errors or warnings; 1: findings; 2: bad input.";
    }

    @Override
    public List<Option> options() {
        return List.of(DesignInputs.EXAMPLE, DesignInputs.ENDPOINT, Option.value("format", "FORMAT", "text (default), json or sarif (SARIF 2.1.0 for CI annotations)"),
                Option.flag("rules", "list the registered rules instead of linting"));
    }

    @Override
    public int run(CommandContext ctx, Arguments args) throws CommandException {
        args.expectAtMostPositionals(1);
        String format = ctx.json() ? "json" : args.value("format", "text");
        if (!List.of("text", "json", "sarif").contains(format)) {
            throw CommandException.badInput("--format must be text, json or sarif, not '" + format + "'");
        }
        DesignLinter linter = new DesignLinter(rules);
        if (args.has("rules")) {
            for (LintRule r : linter.rules()) {
                ctx.out().printf("%-8s %-7s %-32s %s%n", r.id(), r.severity(), r.name(), r.description());
            }
            return ExitCode.OK;
        }
        Path file = DesignInputs.designPath(ctx, args, 0);
        String path = file.toString();
        WorkspaceFile.Located located = DesignInputs.located(ctx, args, 0);
        EndpointDesign design = located.design();
        List<LintFinding> findings = linter.lint(design);
        boolean bad = findings.stream().anyMatch(f -> f.severity() != Severity.INFO);
        switch (format) {
            case "json" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("design", design.name());
                m.put("file", path);
                m.put("rules", linter.rules().size());
                m.put("findings", findings.stream().map(LintCommand::json).toList());
                ctx.printJson(m);
            }
            case "sarif" -> {
                String typed = args.positionals().isEmpty() ? null : args.positionals().get(0);
                Sarif.Artifact artifact = typed != null && !Path.of(typed).isAbsolute() ? Sarif.Artifact.relative(Path.of(typed), ctx.resolve(""))
                        : Sarif.Artifact.absolute(file);
                ctx.out().println(Sarif.log(linter.rules(), findings, artifact, located::position));
            }
            default -> {
                ctx.out().println(design.name() + " (" + path + "): " + linter.rules().size() + " rules, " + findings.size() + " finding"
                        + (findings.size() == 1 ? "" : "s"));
                for (LintFinding f : findings) {
                    ctx.out().printf("  %-7s %s %s%n          %s%n", f.severity(), f.ruleId(), f.element(), f.message());
                }
            }
        }
        return bad ? ExitCode.FINDINGS : ExitCode.OK;
    }

    /** A finding as JSON: rule id, severity, message and element (the fields it concerns are for editors, not output). */
    static Map<String, Object> json(LintFinding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ruleId", f.ruleId());
        m.put("severity", f.severity().name());
        m.put("message", f.message());
        m.put("element", f.element());
        return m;
    }

    /** For tests: the rules this command currently sees. */
    List<LintRule> rules() {
        return new ArrayList<>(rules);
    }
}
