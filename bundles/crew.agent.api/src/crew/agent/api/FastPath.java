package crew.agent.api;

/**
 * The crew command's fast path (docs/startup.md): the launcher runs {@code crew --version} and the agent's read-only
 * commands in a plain JVM without the OSGi framework (crew.agent's PlainClient). There, a command that finds no
 * agent and would then work in this process answers nothing: it ends with {@link #NOT_ANSWERED}, and the launcher
 * runs it in the framework as always.
 */
public final class FastPath {
    /** The system property PlainClient sets to {@code true}. */
    public static final String PROPERTY = "crew.fastPath";
    /** The exit code of a command the fast path does not answer (EX_TEMPFAIL; no crew command returns it). */
    public static final int NOT_ANSWERED = 75;

    private FastPath() {
    }

    /** Whether this JVM is the fast path's (no framework: only an agent's answer can be given here). */
    public static boolean active() {
        return Boolean.getBoolean(PROPERTY);
    }
}
