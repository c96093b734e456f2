package crew.aws.local;

/** An error the local account answers with, as AWS would: an error code, a message and an HTTP status. */
public final class LocalApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int httpStatus;

    public LocalApiException(String code, String message) {
        this(code, message, 400);
    }

    public LocalApiException(String code, String message, int httpStatus) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
