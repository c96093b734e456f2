package crew.cli;

/** Exit codes of the crew command. Scripts can tell a clean result, findings and bad input apart. */
public final class ExitCode {
    /** Done; nothing to report (a clean lint, a successful change). */
    public static final int OK = 0;
    /** Done, and the result has findings (lint problems, conflicts, leaks). */
    public static final int FINDINGS = 1;
    /** Bad arguments or bad input: an unknown option, a malformed file. Nothing was changed. */
    public static final int BAD_INPUT = 2;
    /** This machine cannot do it now: missing privilege, binary, display or backend. */
    public static final int UNAVAILABLE = 3;
    /** The operation was attempted and failed (the OS or a remote service refused it). */
    public static final int FAILED = 4;
    /** A bug in CREW: an unexpected exception. */
    public static final int INTERNAL = 70;

    private ExitCode() {
    }
}
