package crew.tunnel;

import java.time.Instant;
import java.util.Objects;

/**
 * One {@code >STATE:time,NAME,detail,local,remote,...} line of openvpn's management interface.
 * The name is openvpn's (CONNECTING, WAIT, AUTH, GET_CONFIG, ASSIGN_IP, ADD_ROUTES, CONNECTED, RECONNECTING,
 * EXITING, ...); {@code detail} carries the reason on RECONNECTING/EXITING (e.g. "tls-error", "SIGTERM").
 */
public record StateReport(Instant time, String name, String detail, String tunnelAddress, String remoteAddress) {
    private static final String PREFIX = ">STATE:";

    public StateReport {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(name, "name");
    }

    public static StateReport parse(String line) {
        if (!line.startsWith(PREFIX)) {
            throw new ManagementProtocolException("expected '>STATE:...', got: " + line);
        }
        String[] fields = line.substring(PREFIX.length()).split(",", -1);
        if (fields.length < 2 || fields[1].isEmpty()) {
            throw new ManagementProtocolException("STATE line without a state name: " + line);
        }
        long seconds;
        try {
            seconds = Long.parseLong(fields[0]);
        } catch (NumberFormatException e) {
            throw new ManagementProtocolException("STATE line with a bad time '" + fields[0] + "': " + line);
        }
        return new StateReport(Instant.ofEpochSecond(seconds), fields[1], field(fields, 2), field(fields, 3),
                field(fields, 4));
    }

    private static String field(String[] fields, int index) {
        return index < fields.length ? fields[index] : "";
    }
}
