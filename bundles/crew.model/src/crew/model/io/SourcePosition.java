package crew.model.io;

/**
 * Where something starts in a text file: 1-based line and column. Columns count UTF-16 code units (as Java strings
 * do; SARIF's {@code utf16CodeUnits}); 0 means unknown.
 */
public record SourcePosition(int line, int column) {
}
