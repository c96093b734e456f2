package crew.tunnel.management;

import java.util.Optional;

import crew.tunnel.ManagementProtocolException;
import crew.tunnel.StateReport;
import crew.tunnel.UpDownEnvironment;

/**
 * Turns the management interface's lines into {@link ManagementMessage}s: pure, no I/O, so captured sessions replay
 * in plain unit tests. Feed lines in order; a line inside an UPDOWN block yields nothing until the block ends.
 */
public final class ManagementReader {
    private static final String UPDOWN = ">UPDOWN:";
    private UpDownEnvironment block;
    private boolean blockUp;

    /** The message the line completes, if any; a malformed line is a {@link ManagementProtocolException} naming it. */
    public Optional<ManagementMessage> accept(String line) {
        if (block != null) {
            if (!line.startsWith(UPDOWN + "ENV,")) {
                // openvpn writes a block in one go; anything else inside it means we lost our place
                block = null;
                throw new ManagementProtocolException("'" + line + "' inside an UPDOWN ENV block (expected >UPDOWN:ENV,...)");
            }
            if (!block.accept(line)) {
                return Optional.empty();
            }
            UpDownEnvironment done = block;
            block = null;
            return Optional.of(new ManagementMessage.UpDown(blockUp, blockUp ? done.toConfiguration() : null, done.variables()));
        }
        if (line.startsWith("SUCCESS:")) {
            return Optional.of(new ManagementMessage.Response(true, line.substring(8).trim()));
        }
        if (line.startsWith("ERROR:")) {
            return Optional.of(new ManagementMessage.Response(false, line.substring(6).trim()));
        }
        if (!line.startsWith(">")) {
            return Optional.of(new ManagementMessage.Other(line));
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
            return Optional.of(new ManagementMessage.Other(line));
        }
        String kind = line.substring(1, colon);
        String body = line.substring(colon + 1);
        return switch (kind) {
            case "INFO" -> Optional.of(new ManagementMessage.Info(body));
            case "HOLD" -> Optional.of(new ManagementMessage.Hold(holdSeconds(body)));
            case "STATE" -> Optional.of(new ManagementMessage.State(StateReport.parse(line)));
            case "LOG" -> Optional.of(log(line, body));
            case "PASSWORD" -> Optional.of(password(line, body));
            case "FATAL" -> Optional.of(new ManagementMessage.Fatal(body));
            case "NOTIFY" -> Optional.of(new ManagementMessage.Notify(body));
            case "UPDOWN" -> {
                if (body.equals("UP") || body.equals("DOWN")) {
                    block = new UpDownEnvironment();
                    blockUp = body.equals("UP");
                    yield Optional.empty();
                }
                throw new ManagementProtocolException("unexpected UPDOWN line (expected UP, DOWN or an ENV block after them): " + line);
            }
            default -> Optional.of(new ManagementMessage.Other(line));
        };
    }

    private static int holdSeconds(String body) {
        int colon = body.lastIndexOf(':');
        if (colon < 0) {
            return 0;
        }
        try {
            return Integer.parseInt(body.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static ManagementMessage log(String line, String body) {
        String[] f = body.split(",", 3);
        if (f.length < 3) {
            throw new ManagementProtocolException("LOG line without time, flags and text: " + line);
        }
        long t;
        try {
            t = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            throw new ManagementProtocolException("LOG line with a bad time '" + f[0] + "': " + line);
        }
        return new ManagementMessage.Log(t, f[1], f[2]);
    }

    private static ManagementMessage password(String line, String body) {
        // Need 'Auth' username/password | Need 'Private Key' password | Verification Failed: 'Auth'
        int q1 = body.indexOf('\'');
        int q2 = q1 < 0 ? -1 : body.indexOf('\'', q1 + 1);
        if (q2 < 0) {
            throw new ManagementProtocolException("PASSWORD line without a quoted type: " + line);
        }
        String type = body.substring(q1 + 1, q2);
        if (body.startsWith("Verification Failed")) {
            return new ManagementMessage.PasswordFailed(type);
        }
        if (body.startsWith("Need")) {
            return new ManagementMessage.PasswordNeeded(type, body.substring(q2 + 1).contains("username"));
        }
        return new ManagementMessage.Other(line);
    }

    /** Quotes a value for a management command (username/password): backslashes and double quotes escaped. */
    public static String quote(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a management-interface value cannot contain a line break");
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
