package crew.plugins.internal;

import java.io.IOException;
import java.nio.file.Path;
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
import crew.plugins.PluginManager;
import crew.plugins.PluginOperation;

/** {@code crew plugin install REPOSITORY-OR-ZIP}: installs a plugin through the p2 director, signers checked. */
@Component(service = CliCommand.class)
@Command(name = "plugin install", summary = "install a plugin from a p2 repository (a folder or a zip): signed by a trusted signer, or --allow-unsigned")
public class PluginInstallCommand implements CliCommand {

    @Override
    public String name() {
        return "plugin install";
    }

    @Override
    public String summary() {
        return "install a plugin from a p2 repository (a folder or a zip): signed by a trusted signer, or --allow-unsigned";
    }

    @Override
    public String synopsis() {
        return "[options] REPOSITORY-OR-ZIP";
    }

    @Override
    public String description() {
        return """
                Installs the features of a p2 repository (a folder holding content.xml or content.jar, or a zip of one) \
                into this CREW product through the p2 director, in the product's own p2 profile. It takes effect at \
                the next start of crew or the workbench. Every jar must be signed by a trusted signer (crew plugin \
                trust; or a certificate anchored in the JDK's cacerts): unsigned content, content signed by anyone \
                else and a jar whose content does not match its signature are refused, and the refusal names the \
                units. The product folder must be writable by you (an admin installs into /opt/crew). No network: \
                download a remote repository first.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.repeatable("unit", "ID", "install this unit only (repeatable; default: every feature in the repository)"),
                Option.flag("allow-unsigned", "also install unsigned content and content from signers not trusted (never content whose signature does not match)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        PluginManager plugins = Installer.get();
        Path repository = context.resolve(arguments.positional(0, "REPOSITORY-OR-ZIP (a p2 repository folder or zip)"));
        arguments.expectAtMostPositionals(1);
        PluginOperation result;
        try {
            result = plugins.install(repository, arguments.values("unit"), arguments.has("allow-unsigned"));
        } catch (IOException e) {
            throw new CommandException(ExitCode.BAD_INPUT, e.getMessage(), e);
        }
        return report(context, "installed", result);
    }

    static int report(CommandContext context, String verb, PluginOperation result) {
        if (context.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("ok", result.ok());
            json.put("units", result.units());
            json.put("messages", result.messages());
            context.printJson(json);
        } else if (result.ok()) {
            context.out().println(verb + ": " + String.join(", ", result.units()) + " (from the next start of crew)");
            result.messages().stream().filter(m -> m.startsWith("headless configuration: ")).forEach(m -> context.err().println("crew: " + m));
        } else {
            context.err().println("crew: not " + verb + (result.units().isEmpty() ? "" : ": " + String.join(", ", result.units())));
            for (String m : result.messages()) {
                context.err().println("  " + m);
            }
        }
        return result.exitCode();
    }
}
