package crew.pki;

/** A certificate operation failed, or a certificate or key is not acceptable; the message says which and why. */
public class PkiException extends Exception {
    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
