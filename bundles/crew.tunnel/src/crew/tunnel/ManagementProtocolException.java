package crew.tunnel;

/** A management-interface line openvpn sent that CREW cannot read; the message names the line. */
public final class ManagementProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ManagementProtocolException(String message) {
        super(message);
    }
}
