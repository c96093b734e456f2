package crew.cli.internal;

/**
 * A registered command that cannot be created: its component failed to activate (a plugin's bug, a class missing
 * from its bundle). The command line reports it as "unavailable here" (exit 3) with this message, not as CREW's bug.
 */
public final class CommandUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public CommandUnavailableException(String message) {
        super(message);
    }
}
