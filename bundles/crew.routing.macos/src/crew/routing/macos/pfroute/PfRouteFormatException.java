package crew.routing.macos.pfroute;

/** Bytes that are not a well-formed routing-socket message; says at which byte and why. */
public class PfRouteFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public PfRouteFormatException(int offset, String reason) {
        super("malformed routing-socket data at byte " + offset + ": " + reason);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
