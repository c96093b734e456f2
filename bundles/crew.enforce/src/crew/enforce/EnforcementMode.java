package crew.enforce;

/**
 * What the engine watches and how hard it protects. See docs/enforcement.md for what each mode protects and what it
 * cannot.
 */
public enum EnforcementMode {
    /** AWS CRE semantics: the main table only; conflicting routes removed, protected routes re-asserted. */
    AWS,
    /** AWS plus bypasses AWS ignores: policy rules that send protected destinations to another table are removed. */
    EXTENDED,
    /**
     * EXTENDED plus a higher-priority policy rule pinning protected destinations to CREW's own table, so main-table
     * tampering cannot divert them at all.
     */
    STRICT;

    public static EnforcementMode parse(String text) {
        for (EnforcementMode m : values()) {
            if (m.name().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("enforcement mode must be aws, extended or strict, not '" + text + "'");
    }
}
