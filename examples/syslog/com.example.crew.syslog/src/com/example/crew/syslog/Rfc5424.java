package com.example.crew.syslog;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import crew.enforce.EnforcementEvent;

/**
 * An enforcement event as an RFC 5424 syslog message: facility 13 (log audit), a severity by kind, the kind's tag as
 * MSGID, the session and route as structured data under the documentation enterprise number 32473 (RFC 5612), and
 * the detail as a UTF-8 message with its byte order mark.
 */
public final class Rfc5424 {

    static final int FACILITY_LOG_AUDIT = 13;
    static final String SD_ID = "crew@32473";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private Rfc5424() {
    }

    /** RFC 5424 severities: 3 error, 4 warning, 5 notice, 6 informational. */
    static int severity(EnforcementEvent.Kind kind) {
        return switch (kind) {
            case ERROR -> 3;
            case CONFLICT_DETECTED, ROUTE_REMOVED, RULE_REMOVED, FIGHT, OVERRUN -> 4;
            case SESSION_STARTED, SESSION_STOPPED, RECOVERED, PROTECTED_ROUTE_RESTORED, ROUTE_RESTORED -> 5;
            case ROUTE_INSTALLED, RECONCILED -> 6;
        };
    }

    /** The message's bytes (without transport framing). */
    public static byte[] format(EnforcementEvent event, String hostname, long pid) {
        StringBuilder header = new StringBuilder();
        header.append('<').append(FACILITY_LOG_AUDIT * 8 + severity(event.kind())).append(">1 ");
        header.append(TIMESTAMP.format(event.time())).append(' ');
        header.append(field(hostname, 255)).append(' ');
        header.append("crew ");
        header.append(pid).append(' ');
        header.append(field(EnforcementEvent.tagOf(event.kind()), 32)).append(' ');
        header.append('[').append(SD_ID);
        param(header, "session", event.sessionId());
        param(header, "route", event.route());
        param(header, "tags", String.join(",", event.tags()));
        header.append("] ");
        String msg = EnforcementEvent.tagOf(event.kind()) + (event.route() == null ? "" : " " + event.route())
                + (event.detail() == null || event.detail().isEmpty() ? "" : ": " + event.detail());
        byte[] head = header.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] body = msg.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + BOM.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(BOM, 0, all, head.length, BOM.length);
        System.arraycopy(body, 0, all, head.length + BOM.length, body.length);
        return all;
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters, "-" when empty. */
    static String field(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (sb.length() == max) {
                break;
            }
            sb.append(c > 32 && c < 127 ? c : '_');
        }
        return sb.toString();
    }

    /** An SD-PARAM; '"', '\' and ']' are escaped with a backslash (RFC 5424 section 6.3.3). */
    private static void param(StringBuilder sb, String name, String value) {
        if (value == null) {
            return;
        }
        sb.append(' ').append(name).append("=\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\' || c == ']') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
