package crew.aws;

/** A reason AWS would reject (or a design rule would forbid) a plan, found before any call. {@code where} names the object. */
public record PreflightProblem(String check, String where, String message) {
    @Override
    public String toString() {
        return where + ": " + message + " [" + check + "]";
    }
}
