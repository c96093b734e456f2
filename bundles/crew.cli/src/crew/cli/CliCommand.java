package crew.cli;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One command of the headless {@code crew} application. Register an implementation as an OSGi service (a DS
 * {@code @Component}) and {@code crew} finds it: {@code crew help} lists it, {@code crew <name> --help} describes it.
 * Names may have several words ({@code "aws pull"}); the longest registered name that matches the arguments wins.
 * The options {@code --help} and {@code --json} are accepted by every command.
 */
@ConsumerType
public interface CliCommand {

    /** The name users type, for example {@code "lint"} or {@code "aws pull"}. */
    String name();

    /** One line for {@code crew help}. */
    String summary();

    /** Usage after the name, for example {@code "[options] DESIGN"}. */
    default String synopsis() {
        return "[options]";
    }

    /** A longer description printed by {@code --help}, after the synopsis and before the options. */
    default String description() {
        return summary();
    }

    /** Options besides {@code --help} and {@code --json}. */
    default List<Option> options() {
        return List.of();
    }

    /**
     * Runs the command and returns its exit code ({@link ExitCode}).
     *
     * @throws CommandException for an error the user can act on; its message is printed and its code returned
     */
    int run(CommandContext context, Arguments arguments) throws CommandException;
}
