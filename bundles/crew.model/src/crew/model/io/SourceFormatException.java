package crew.model.io;

/**
 * A file CREW reads is malformed or has content it does not understand. The message is {@code source:line: reason}
 * or {@code source:line:column: reason} so that editors and CI logs can jump to it; nothing in the file is silently
 * skipped.
 */
public class SourceFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String reason;

    public SourceFormatException(String source, int line, String reason) {
        this(source, line, 0, reason, null);
    }

    public SourceFormatException(String source, int line, String reason, Throwable cause) {
        this(source, line, 0, reason, cause);
    }

    public SourceFormatException(String source, int line, int column, String reason, Throwable cause) {
        super((source == null ? "<input>" : source) + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + reason, cause);
        this.source = source;
        this.line = line;
        this.column = line > 0 ? column : 0;
        this.reason = reason;
    }

    /** The file name (or another name for the input). */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 when the problem concerns the whole input. */
    public int line() {
        return line;
    }

    /** 1-based column (in UTF-16 code units, as Java strings count), or 0 when unknown. */
    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
