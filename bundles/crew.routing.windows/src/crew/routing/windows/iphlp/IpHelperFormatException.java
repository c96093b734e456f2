package crew.routing.windows.iphlp;

/** Bytes that are not a well-formed IP Helper row or table; says at which byte and why. */
public class IpHelperFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public IpHelperFormatException(int offset, String reason) {
        super("malformed IP Helper data at byte " + offset + ": " + reason);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
