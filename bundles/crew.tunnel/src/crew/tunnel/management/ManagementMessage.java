package crew.tunnel.management;

import java.util.Map;

import crew.tunnel.PushedConfiguration;
import crew.tunnel.StateReport;

/**
 * One message from openvpn's management interface (doc/management-notes.txt): a real-time notification (lines
 * starting with '>') or the answer to a command (SUCCESS:/ERROR:). Multi-line notifications (the UPDOWN ENV block)
 * arrive as one message.
 */
public sealed interface ManagementMessage {

    /** {@code >INFO:} the banner openvpn sends when a client connects to the interface. */
    record Info(String text) implements ManagementMessage {
    }

    /** {@code >HOLD:Waiting for hold release:N}: openvpn waits for {@code hold release}; N is its back-off hint in seconds. */
    record Hold(int waitSeconds) implements ManagementMessage {
    }

    /** {@code >STATE:} a state change. */
    record State(StateReport report) implements ManagementMessage {
    }

    /** {@code >LOG:time,flags,text}: flags carry I (info), F (fatal), N (non-fatal error), W (warning), D (debug). */
    record Log(long epochSeconds, String flags, String text) implements ManagementMessage {
        public boolean isError() {
            return flags.contains("F") || flags.contains("N");
        }
    }

    /** {@code >PASSWORD:Need 'type' ...}: openvpn asks for a password (Auth, Private Key, ...). */
    record PasswordNeeded(String type, boolean usernameToo) implements ManagementMessage {
    }

    /** {@code >PASSWORD:Verification Failed: 'type'}: the server refused the credentials. */
    record PasswordFailed(String type) implements ManagementMessage {
    }

    /** {@code >FATAL:} openvpn is about to exit. */
    record Fatal(String text) implements ManagementMessage {
    }

    /** {@code >NOTIFY:} e.g. info,server-pushed-connection-reset. */
    record Notify(String text) implements ManagementMessage {
    }

    /**
     * {@code >UPDOWN:UP} or {@code >UPDOWN:DOWN} with its ENV block (openvpn with --management-up-down). For UP the
     * configuration is what the server pushed; openvpn with --route-noexec/--ifconfig-noexec applied none of it.
     */
    record UpDown(boolean up, PushedConfiguration configuration, Map<String, String> environment) implements ManagementMessage {
    }

    /** The answer to a command: {@code SUCCESS: text} or {@code ERROR: text}. */
    record Response(boolean success, String text) implements ManagementMessage {
    }

    /** A notification CREW does not act on (BYTECOUNT, NEED-OK, INFOMSG, ...), kept for the log. */
    record Other(String line) implements ManagementMessage {
    }
}
