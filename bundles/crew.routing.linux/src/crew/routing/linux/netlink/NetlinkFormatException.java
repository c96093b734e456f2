package crew.routing.linux.netlink;

/** Bytes that are not a well-formed netlink message; says where and why. */
public class NetlinkFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public NetlinkFormatException(int offset, String reason) {
        super("malformed netlink data at byte " + offset + ": " + reason);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
