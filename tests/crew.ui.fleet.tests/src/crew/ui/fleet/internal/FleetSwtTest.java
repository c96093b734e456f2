package crew.ui.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import crew.aws.events.CloudWatchEventSink;
import crew.aws.events.EventsSettings;
import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.enforce.EnforcementEvent;
import crew.testing.Prerequisites;
import crew.testing.Screenshots;
import crew.testing.UiWait;

/**
 * Real SWT under Xvfb: twelve devices ship sessions through the CloudWatch Logs sink to the embedded local Logs
 * API; the fleet view reads them with FilterLogEvents (pages of 25), lists the devices with their tamper attempts
 * and removals (most first), the timeline, and one device's events when selected.
 */
class FleetSwtTest {
    private static final String GROUP = "/crew/fleet-ui";
    private Display display;
    private Shell shell;
    private LocalAwsServer server;

    @BeforeEach
    void open() throws Exception {
        Prerequisites.requireDisplay();
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1300, 760);
        server = LocalAwsServer.start(LocalAccount.inMemory(), 0);
    }

    @AfterEach
    void close() {
        if (shell != null) {
            shell.dispose();
        }
        if (server != null) {
            server.close();
        }
    }

    private static EnforcementEvent event(String session, EnforcementEvent.Kind kind, Instant at, String route, String detail) {
        return new EnforcementEvent(at, session, kind, route, detail, List.of(EnforcementEvent.TAG, EnforcementEvent.tagOf(kind)));
    }

    @Test
    void givenTwelveDevicesSessions_whenRead_thenDevicesTimelineAndOneDevicesEventsAreShown() throws Exception {
        Path spool = Files.createTempDirectory("crew-fleet-ui");
        Instant start = Instant.now().minus(Duration.ofMinutes(40));
        EventsSettings base = new EventsSettings(GROUP, "x", null, "us-east-1", server.endpoint(), spool, Duration.ofMillis(50), true);
        {
            for (int d = 0; d < 12; d++) {
                String device = String.format("laptop-%02d", d);
                try (CloudWatchEventSink sink = CloudWatchEventSink.open(base.withDevice(device), Clock.systemUTC(), l -> { }, false)) {
                    Instant t = start.plus(Duration.ofMinutes(3L * d));
                    sink.accept(event("lab-user", EnforcementEvent.Kind.SESSION_STARTED, t, null, "4 routes protected"));
                    for (int k = 0; k < d % 5; k++) {
                        String route = "172.31." + k + ".0/24";
                        sink.accept(event("lab-user", EnforcementEvent.Kind.CONFLICT_DETECTED, t.plusSeconds(10 + k), route,
                                "more specific than protected 172.31.0.0/16, so it wins for " + route));
                        sink.accept(event("lab-user", EnforcementEvent.Kind.ROUTE_REMOVED, t.plusSeconds(10 + k).plusMillis(1), route, "removed"));
                    }
                    sink.accept(event("lab-user", EnforcementEvent.Kind.SESSION_STOPPED, t.plusSeconds(60), null, "table restored"));
                    assertTrue(sink.pump());
                }
            }
        }
        server.logs().setPageSize(25);
        FleetPart part = new FleetPart();
        part.createControls(shell);
        shell.open();
        part.group().setText(GROUP);
        part.endpoint().setText(server.endpoint().toString());
        part.read();
        UiWait.until(display, () -> part.report() != null, 20_000, "the fleet's events read");
        assertTrue(part.status().startsWith("12 events of 12 devices") || part.status().contains("of 12 devices"), part.status());
        assertEquals(12, part.devices().rows().size());
        assertEquals("laptop-04", part.devices().rows().get(0).cells().get(0), "most tamper attempts first");
        assertEquals("4", part.devices().rows().get(0).cells().get(3));
        assertEquals("4", part.devices().rows().get(0).cells().get(4));
        assertTrue(part.report().pages() > 1, "paginated: " + part.report().pages());
        int total = part.timeline().rows().stream().mapToInt(r -> Integer.parseInt(r.cells().get(1))).sum();
        assertEquals(part.report().events().size(), total, "the timeline counts every event");
        part.select("laptop-09");
        assertEquals(2 + 4 * 2, part.events().rows().size());
        assertEquals("conflict_detected", part.events().rows().get(1).cells().get(2));
        UiWait.drain(display);
        Screenshots.save(shell, "fleet-view");
    }
}
