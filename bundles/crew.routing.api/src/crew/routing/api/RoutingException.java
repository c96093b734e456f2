package crew.routing.api;

/**
 * The OS refused a routing operation. The message says what was attempted and why the OS refused it; {@link #errno()}
 * is the OS error number (Linux errno; Windows Win32 error code; 0 when none applies).
 */
public class RoutingException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Linux errno values consumers commonly test for. */
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;

    private final String operation;
    private final int errno;
    private final String osReason;

    public RoutingException(String operation, int errno, String osReason) {
        super(operation + ": " + osReason + (errno != 0 ? " (errno " + errno + ")" : "") + hint(errno));
        this.operation = operation;
        this.errno = errno;
        this.osReason = osReason;
    }

    private static String hint(int errno) {
        return errno == EPERM ? "; changing routes needs root (CAP_NET_ADMIN)" : "";
    }

    /** What was attempted, e.g. {@code add route 10.0.0.0/8 via 192.168.1.1 dev eth0}. */
    public String operation() {
        return operation;
    }

    public int errno() {
        return errno;
    }

    /** The OS's reason in words (strerror). */
    public String osReason() {
        return osReason;
    }

    public boolean isPermissionDenied() {
        return errno == EPERM;
    }

    public boolean isAlreadyExists() {
        return errno == EEXIST;
    }

    public boolean isNotFound() {
        return errno == ESRCH || errno == ENOENT;
    }
}
