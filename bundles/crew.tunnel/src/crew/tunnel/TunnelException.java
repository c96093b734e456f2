package crew.tunnel;

/** A tunnel that could not be brought up or kept up, with the reason class a user (and a UI) can act on. */
public final class TunnelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a tunnel failed. */
    public enum Reason {
        /** The profile cannot be read or asks for something CREW cannot do. */
        BAD_PROFILE,
        /** The openvpn binary is missing or not executable. */
        OPENVPN_MISSING,
        /** No answer from the server within the connect timeout. */
        UNREACHABLE,
        /** The TLS handshake failed: the server refused our certificate, or we refused the server's. */
        CERTIFICATE_REJECTED,
        /** The server refused the username/password, or none was given. */
        AUTH_FAILED,
        /**
         * A session with this id already runs (in this or another crew process), or one on the same device already
         * protects overlapping routes or uses the same profile.
         */
        ALREADY_RUNNING,
        /** CREW could not configure the device (address, routes, enforcement). */
        DEVICE,
        /** openvpn exited or misbehaved. */
        OPENVPN_FAILED
    }

    private final Reason reason;

    public TunnelException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TunnelException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
