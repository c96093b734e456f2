package crew.tunnel.internal;

import java.io.PrintStream;

/**
 * The state lines {@code crew tunnel connect} prints ("SINCE STATE  DETAIL"), in-process and through the agent
 * alike, each once: a session tells its listeners again when only openvpn's own state changed (its CONNECTED comes
 * after CREW's), which the line does not show.
 */
final class StateLines {
    private final PrintStream out;
    private String last;

    StateLines(PrintStream out) {
        this.out = out;
    }

    synchronized void print(String since, String state, String detail) {
        String line = since + " " + state.toLowerCase() + (detail.isEmpty() ? "" : "  " + detail);
        if (!line.equals(last)) {
            last = line;
            out.println(line);
        }
    }
}
