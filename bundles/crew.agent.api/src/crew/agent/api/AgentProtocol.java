package crew.agent.api;

import java.util.List;

/**
 * The agent's local API: JSON-RPC 2.0 messages, each framed by a {@code Content-Length} header (as LSP frames them),
 * over a transport ({@link AgentTransport}). A connection starts with {@link #INITIALIZE}, which agrees on the
 * protocol version and tells the client its role; fields are only ever added within a version, so an older client
 * ignores what it does not know. Events arrive as {@link #EVENT} notifications after {@link #SUBSCRIBE}.
 */
public final class AgentProtocol {
    /** The protocol version this side speaks; an agent refuses a client whose version it does not speak. */
    public static final int VERSION = 1;

    /** The largest message body either side accepts: larger ones are refused before they are read. */
    public static final int MAX_MESSAGE_BYTES = 1 << 20;
    /** The largest header block (the Content-Length line and any others). */
    public static final int MAX_HEADER_BYTES = 1024;

    public static final String INITIALIZE = "initialize";
    public static final String STATUS = "status";
    public static final String SUBSCRIBE = "events.subscribe";
    public static final String EVENT = "event";
    public static final String TUNNEL_CONNECT = "tunnel.connect";
    public static final String TUNNEL_DISCONNECT = "tunnel.disconnect";
    public static final String TUNNEL_ATTACK = "tunnel.attack";
    public static final String LAB_UP = "lab.up";
    public static final String LAB_DOWN = "lab.down";
    public static final String LAB_PROFILE = "lab.profile";
    public static final String ENFORCE_START = "enforce.start";
    public static final String ENFORCE_STOP = "enforce.stop";

    /** Methods anyone who can reach the socket may call. */
    public static final List<String> READ_METHODS = List.of(INITIALIZE, STATUS, SUBSCRIBE);
    /** Methods that change the device: root and members of the control group only. */
    public static final List<String> CONTROL_METHODS = List.of(TUNNEL_CONNECT, TUNNEL_DISCONNECT, TUNNEL_ATTACK, LAB_UP, LAB_DOWN, LAB_PROFILE,
            ENFORCE_START, ENFORCE_STOP);

    // JSON-RPC 2.0's own error codes
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    // the agent's (JSON-RPC's server range)
    /** The caller's role does not allow the method; the message names the rule. */
    public static final int REFUSED = -32000;
    /** A message over {@link #MAX_MESSAGE_BYTES}, or a header CREW does not accept. */
    public static final int TOO_LARGE = -32001;
    /** The operation was attempted and failed. */
    public static final int FAILED = -32002;
    /** A call before {@link #INITIALIZE}, or a protocol version the agent does not speak. */
    public static final int NOT_INITIALIZED = -32003;
    /** Bad input inside valid parameters (a profile directive, a design). */
    public static final int BAD_INPUT = -32004;
    /** Too many connections or requests. */
    public static final int BUSY = -32005;

    private AgentProtocol() {
    }
}
