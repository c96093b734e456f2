package crew.design;

/** How bad a lint finding is. ERROR: AWS would reject the design or traffic breaks; WARNING: likely a mistake; INFO: worth knowing. */
public enum Severity {
    ERROR, WARNING, INFO;

    /** The SARIF level name. */
    public String sarifLevel() {
        return switch (this) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }
}
