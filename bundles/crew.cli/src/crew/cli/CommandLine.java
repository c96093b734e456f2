package crew.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the words after {@code crew} into one command run: finds the command, handles {@code --help} and
 * {@code --json}, parses options, and maps errors to exit codes. Independent of OSGi so that it can be tested plainly.
 */
public final class CommandLine {
    static final Option HELP = Option.flag("help", "show this help");
    static final Option JSON = Option.flag("json", "print the result as JSON");

    private final CommandRegistry registry;

    public CommandLine(CommandRegistry registry) {
        this.registry = registry;
    }

    /**
     * Runs the command {@code words} name and returns its exit code. Whatever the command throws, Errors included
     * (a stack overflow, out of memory), ends in a message and {@link ExitCode#INTERNAL}, never in 0 and silence.
     */
    public int run(List<String> words, CommandContext context) {
        // user text (a design's name, a typed word) must not drive the terminal: escape its control characters
        context = context.escapingControls();
        try {
            return dispatch(words, context);
        } catch (crew.cli.internal.CommandUnavailableException e) {
            return unavailable(words.isEmpty() ? "" : " " + words.get(0), e, context);
        } catch (Throwable e) {
            return internalError(words.isEmpty() ? "" : " " + words.get(0), e, context);
        } finally {
            context.out().flush();
            context.err().flush();
        }
    }

    private int dispatch(List<String> words, CommandContext context) {
        if (words.isEmpty()) {
            words = List.of("help");
        } else if (words.get(0).equals("--help") || words.get(0).equals("-h")) {
            words = prepend("help", words.subList(1, words.size()));
        } else if (words.get(0).equals("--version")) {
            words = prepend("version", words.subList(1, words.size()));
        }
        Optional<CliCommand> found = registry.find(words);
        if (found.isEmpty()) {
            return unknown(words, context);
        }
        CliCommand command = found.get();
        List<String> rest = words.subList(command.name().split(" ").length, words.size());
        List<Option> accepted;
        try {
            accepted = new ArrayList<>(command.options());
        } catch (crew.cli.internal.CommandUnavailableException e) {
            return unavailable(" " + command.name(), e, context);
        }
        accepted.add(HELP);
        accepted.add(JSON);
        try {
            Arguments arguments = Arguments.parse(rest, accepted);
            if (arguments.has("help")) {
                context.out().print(help(command));
                return ExitCode.OK;
            }
            return command.run(context.withJson(arguments.has("json")), arguments);
        } catch (CommandException e) {
            context.err().println("crew " + command.name() + ": " + e.getMessage());
            if (e.exitCode() == ExitCode.BAD_INPUT && e.getCause() == null && e.getMessage().contains("option")) {
                context.err().println("Run 'crew " + command.name() + " --help' for its options.");
            }
            return e.exitCode();
        } catch (crew.cli.internal.CommandUnavailableException e) {
            return unavailable(" " + command.name(), e, context);
        } catch (Throwable e) {
            return internalError(" " + command.name(), e, context);
        }
    }

    /** A command whose component failed to activate (a plugin's bug): its message, exit 3, no stack trace. */
    private static int unavailable(String command, RuntimeException e, CommandContext context) {
        context.err().println("crew" + command + ": " + e.getMessage());
        return ExitCode.UNAVAILABLE;
    }

    private static int internalError(String command, Throwable e, CommandContext context) {
        try {
            context.err().println("crew" + command + ": internal error (a bug in CREW; please report it with what follows): " + e);
            e.printStackTrace(context.err());
        } catch (Throwable again) {
            // the stream itself failed (or memory ran out while printing): the exit code still says what happened
        }
        return ExitCode.INTERNAL;
    }

    private int unknown(List<String> words, CommandContext context) {
        List<CliCommand> group = registry.startingWith(words.get(0));
        if (!group.isEmpty()) {
            context.err().println("crew " + words.get(0) + ": needs a subcommand:");
            for (CliCommand c : group) {
                context.err().printf("  %-22s %s%n", c.name(), c.summary());
            }
        } else {
            context.err().println("crew: unknown command '" + words.get(0) + "'. Run 'crew help' for the list.");
        }
        return ExitCode.BAD_INPUT;
    }

    /** The text of {@code crew <command> --help}. */
    public static String help(CliCommand command) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: crew ").append(command.name()).append(' ').append(command.synopsis()).append("\n\n");
        sb.append(command.description().strip()).append("\n\nOptions:\n");
        List<Option> all = new ArrayList<>(command.options());
        all.add(JSON);
        all.add(HELP);
        for (Option o : all) {
            sb.append(String.format("  %-24s %s%s%n", o.synopsis(), o.description(), o.repeatable() ? " (repeatable)" : ""));
        }
        sb.append("\nExit codes: 0 ok, 1 findings, 2 bad input, 3 unavailable here, 4 failed, 70 internal error.\n");
        return sb.toString();
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> l = new ArrayList<>();
        l.add(first);
        l.addAll(rest);
        return l;
    }
}
