package crew.cli;

/** A command failed in a way the user can understand; the message is printed and the exit code returned. */
public class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CommandException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CommandException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad arguments or input ({@link ExitCode#BAD_INPUT}). */
    public static CommandException badInput(String message) {
        return new CommandException(ExitCode.BAD_INPUT, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
