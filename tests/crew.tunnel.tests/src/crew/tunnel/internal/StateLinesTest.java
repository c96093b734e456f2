package crew.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link StateLines}: a status told again with nothing the line shows changed is not printed twice. */
class StateLinesTest {
    @Test
    void givenTheSameStatusToldTwice_whenPrinted_thenItsLineAppearsOnce_andAChangeIsPrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StateLines lines = new StateLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        lines.print("2026-12-08T01:57:14Z", "CONNECTING", "WAIT");
        lines.print("2026-12-08T01:57:15Z", "CONNECTED", "enforced, 3 routes through tun0");
        lines.print("2026-12-08T01:57:15Z", "CONNECTED", "enforced, 3 routes through tun0"); // openvpn's own CONNECTED
        lines.print("2026-12-08T01:57:20Z", "DISCONNECTING", "");
        assertEquals(List.of("2026-12-08T01:57:14Z connecting  WAIT", "2026-12-08T01:57:15Z connected  enforced, 3 routes through tun0",
                "2026-12-08T01:57:20Z disconnecting"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
