package crew.cli.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;

/**
 * {@code crew help [COMMAND]}: the list of commands, or one command's help. The registry creates it itself (a DS
 * reference from a command back to the registry that binds all commands would be circular).
 */
public class HelpCommand implements CliCommand {

    private final CommandRegistry registry;

    public HelpCommand(CommandRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String summary() {
        return "list the commands, or describe one: crew help COMMAND";
    }

    @Override
    public String synopsis() {
        return "[COMMAND...]";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        List<String> words = arguments.positionals();
        if (!words.isEmpty()) {
            CliCommand command = registry.find(words)
                    .orElseThrow(() -> CommandException.badInput("unknown command '" + String.join(" ", words) + "'"));
            context.out().print(CommandLine.help(command));
            return ExitCode.OK;
        }
        if (context.json()) {
            Map<String, String> list = new LinkedHashMap<>();
            registry.commands().forEach(c -> list.put(c.name(), c.summary()));
            context.printJson(Map.of("commands", list));
            return ExitCode.OK;
        }
        context.out().println("CREW - Client Routes Enforcement Workbench");
        context.out().println();
        context.out().println("Usage: crew                 open the workbench (needs a display)");
        context.out().println("       crew COMMAND [options]  run a headless command");
        context.out().println();
        context.out().println("Commands:");
        for (CliCommand c : registry.commands()) {
            context.out().printf("  %-22s %s%n", c.name(), c.summary());
        }
        context.out().println();
        context.out().println("Every command takes --help and --json. 'crew help COMMAND' describes one.");
        return ExitCode.OK;
    }
}
