package crew.tunnel;

/** Where a tunnel session is, in words a user understands (openvpn's own state name is in {@link TunnelStatus}). */
public enum TunnelState {
    IDLE,
    /** openvpn is starting and reaching the server. */
    CONNECTING,
    /** TLS handshake, login, pulling the configuration. */
    AUTHENTICATING,
    /** CREW is configuring the device: address, routes, enforcement. */
    CONFIGURING,
    /** Routes installed (and protected when the session is enforced). */
    CONNECTED,
    /** The server went away; openvpn reconnects. The session's routes stay, so traffic fails closed instead of leaking. */
    RECONNECTING,
    DISCONNECTING,
    /** Stopped on request; the device is back as it was. */
    DISCONNECTED,
    /** Stopped by an error (see {@link TunnelStatus#error()}); the device is back as it was. */
    FAILED;

    public boolean isFinal() {
        return this == DISCONNECTED || this == FAILED;
    }
}
