package crew.tunnel;

/** Follows a tunnel session; called on the session's own thread, so keep it short. */
public interface TunnelListener {

    /** The session changed state. */
    void stateChanged(TunnelStatus status);

    /** A line of openvpn's log (already without the management framing). */
    default void log(String line) {
    }
}
