package crew.aws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.aws.local.LocalLogs;
import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementMode;
import crew.enforce.EnforcementSession;
import crew.enforce.SessionSpec;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.sim.SimulatedRoutingBackend;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** The CloudWatch Logs sink against the embedded Logs API through the unmodified SDK, with the clock injected. */
class CloudWatchEventSinkTest {
    private static final String GROUP = "/crew/fleet";
    @TempDir
    Path dir;
    private LocalAwsServer server;
    private LocalLogs logs;
    private MutableClock clock;
    private CloudWatchLogsClient client;
    private final List<String> reports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = LocalAwsServer.start(LocalAccount.inMemory(), 0);
        logs = server.logs();
        clock = new MutableClock(Instant.now());
        logs.setClock(clock);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private EventsSettings settings(String device) {
        return new EventsSettings(GROUP, device, null, "us-east-1", server.endpoint(), dir.resolve("spool"), Duration.ofMillis(20), true);
    }

    private CloudWatchEventSink sink(String device, boolean background) throws Exception {
        EventsSettings s = settings(device);
        if (client == null) {
            client = LogsClients.open(s, false);
        }
        return new CloudWatchEventSink(s, client, clock, reports::add, background);
    }

    private static EnforcementEvent event(String session, EnforcementEvent.Kind kind, Instant at, String route) {
        return new EnforcementEvent(at, session, kind, route, "detail", List.of(EnforcementEvent.TAG, EnforcementEvent.tagOf(kind)));
    }

    private List<JsonObject> stored(String stream) {
        return logs.events(GROUP, stream).stream().map(e -> JsonParser.parseString(e.message()).getAsJsonObject()).toList();
    }

    private List<JsonObject> storedAll() {
        List<JsonObject> all = new ArrayList<>();
        logs.streams(GROUP).forEach(s -> all.addAll(stored(s)));
        return all;
    }

    @Test
    void givenARealEngineSession_whenTamperedWith_thenItsEventsArriveExactlyOnceInTheDeviceSessionStream() throws Exception {
        SimulatedRoutingBackend backend = new SimulatedRoutingBackend(List.of());
        SessionSpec spec = new SessionSpec("lab-user", "tun0", IpAddress.parse("10.200.0.1"), List.of(Cidr.parse("172.31.0.0/16")), List.of(),
                List.of(), EnforcementMode.AWS, null, Duration.ofSeconds(60));
        EnforcementSession session = new EnforcementSession(spec, backend, null, dir.resolve("j").resolve("lab.journal"));
        List<EnforcementEvent> local = new CopyOnWriteArrayList<>();
        try (CloudWatchEventSink sink = sink("laptop-7", false)) {
            session.addSink(sink);
            session.addSink(local::add);
            session.start();
            for (int i = 1; i <= 3; i++) {
                backend.add(DeviceRoute.of(Cidr.parse("172.31." + i + ".0/24"), IpAddress.parse("192.168.1.1"), "lan0", 0));
                backend.awaitEvents();
                backend.awaitEvents();
            }
            assertEquals(List.of(), session.stop());
            assertTrue(sink.pump(), "the spool is empty after one round: " + sink.stats());
            assertTrue(sink.pump());
            List<String> streams = logs.streams(GROUP);
            assertEquals(1, streams.size(), "one stream for the device's session: " + streams);
            assertTrue(streams.get(0).startsWith("laptop-7/lab-user/"), streams.get(0));
            List<JsonObject> got = stored(streams.get(0));
            assertEquals(local.size(), got.size(), "every event once: " + got);
            for (int i = 0; i < local.size(); i++) {
                assertEquals(local.get(i).kind().name().toLowerCase(), got.get(i).get("event").getAsString());
                assertEquals(local.get(i).time().toString(), got.get(i).get("time").getAsString());
                assertEquals("laptop-7", got.get(i).get("device").getAsString());
            }
            assertEquals(3, got.stream().filter(o -> o.get("event").getAsString().equals("conflict_detected")).count());
            assertEquals(1, logs.calls("PutLogEvents"), "one batch");
        }
    }

    @Test
    void givenATenMinuteOutage_whenEventsKeepComing_thenNothingIsLostAndTheSpoolDrainsAfterIt() throws Exception {
        try (CloudWatchEventSink sink = sink("laptop-1", false)) {
            Instant outageEnd = clock.instant().plus(Duration.ofMinutes(10));
            logs.setOutageUntil(outageEnd);
            int sent = 0;
            Instant end = clock.instant().plus(Duration.ofMinutes(12));
            while (clock.instant().isBefore(end)) {
                sink.accept(event("s1", EnforcementEvent.Kind.CONFLICT_DETECTED, clock.instant(), "172.31." + (sent % 250) + ".0/24"));
                sink.accept(event("s1", EnforcementEvent.Kind.ROUTE_REMOVED, clock.instant(), "172.31." + (sent % 250) + ".0/24"));
                sent += 2;
                sink.pump();
                clock.advance(Duration.ofSeconds(1));
            }
            for (int i = 0; i < 400 && !sink.pump(); i++) {
                clock.advance(Duration.ofSeconds(1));
            }
            CloudWatchEventSink.Stats st = sink.stats();
            assertEquals(0, st.pending(), "drained: " + st);
            assertEquals(0, st.rejected());
            assertTrue(st.failures() > 5, "it retried during the outage: " + st);
            assertTrue(st.failures() < 60, "with backoff, not every second: " + st);
            List<JsonObject> got = storedAll();
            assertEquals(sent, got.size(), "nothing lost");
            Set<Long> seqs = new HashSet<>();
            got.forEach(o -> seqs.add(o.get("seq").getAsLong()));
            assertEquals(sent, seqs.size(), "nothing twice");
            assertTrue(reports.stream().anyMatch(r -> r.contains("unavailable")), String.valueOf(reports));
            assertTrue(reports.stream().anyMatch(r -> r.contains("reached again")), String.valueOf(reports));
        }
    }

    @Test
    void givenThrottling_whenPumped_thenTheBatchIsRetriedAfterABackoffAndArrivesOnce() throws Exception {
        try (CloudWatchEventSink sink = sink("laptop-2", false)) {
            sink.accept(event("s", EnforcementEvent.Kind.SESSION_STARTED, clock.instant(), null));
            logs.throttle("PutLogEvents", 2);
            assertFalse(sink.pump());
            assertFalse(sink.pump(), "backing off: no call before its time");
            assertEquals(1, logs.calls("PutLogEvents"));
            clock.advance(Duration.ofSeconds(2));
            assertFalse(sink.pump());
            clock.advance(Duration.ofSeconds(5));
            assertTrue(sink.pump());
            assertEquals(1, storedAll().size());
        }
    }

    @Test
    void givenACrashWithEventsInTheSpool_whenANewSinkStarts_thenItSendsThemAndTheSpoolIsPrivate() throws Exception {
        logs.setOutageUntil(clock.instant().plus(Duration.ofHours(1)));
        CloudWatchEventSink first = sink("laptop-3", false);
        for (int i = 0; i < 5; i++) {
            first.accept(event("s", EnforcementEvent.Kind.FIGHT, clock.instant().plusMillis(i), null));
        }
        assertFalse(first.pump());
        // no close: the process died with the events only on disk
        Path spool = dir.resolve("spool");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool)));
        try (var files = Files.list(spool)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        logs.setOutageUntil(null);
        try (CloudWatchEventSink second = sink("laptop-3", false)) {
            assertTrue(reports.stream().anyMatch(r -> r.contains("5 events from an earlier run")), String.valueOf(reports));
            assertTrue(second.pump());
            assertEquals(5, storedAll().size());
        }
        try (CloudWatchEventSink third = sink("laptop-3", false)) {
            assertTrue(third.pump());
            assertEquals(5, storedAll().size(), "sent ones are not sent again");
        }
    }

    @Test
    void givenEventsOlderThanAwsAccepts_whenShipped_thenTheyAreReportedAndKeptNotDropped() throws Exception {
        try (CloudWatchEventSink sink = sink("laptop-4", false)) {
            sink.accept(event("s", EnforcementEvent.Kind.SESSION_STARTED, clock.instant().minus(Duration.ofDays(20)), null));
            sink.accept(event("s", EnforcementEvent.Kind.SESSION_STOPPED, clock.instant(), null));
            assertTrue(sink.pump());
            assertEquals(1, storedAll().size());
            assertEquals(1, sink.stats().rejected());
            List<String> rejected = Files.readAllLines(dir.resolve("spool").resolve(EventSpool.REJECTED), StandardCharsets.UTF_8);
            assertEquals(1, rejected.size());
            assertTrue(rejected.get(0).contains("older than CloudWatch Logs accepts"), rejected.get(0));
            assertTrue(rejected.get(0).contains("session_started"), rejected.get(0));
            assertTrue(reports.stream().anyMatch(r -> r.contains("older than CloudWatch Logs accepts")), String.valueOf(reports));
        }
    }

    @Test
    void givenMoreThanOneBatch_whenShipped_thenEachRequestStaysWithinPutLogEventsLimits() throws Exception {
        try (CloudWatchEventSink sink = sink("laptop-5", false)) {
            for (int i = 0; i < 25_000; i++) {
                sink.accept(event("s", EnforcementEvent.Kind.ROUTE_REMOVED, clock.instant().plusMillis(i % 1000), "172.31.0." + (i % 250) + "/32"));
            }
            assertTrue(sink.pump());
            assertEquals(25_000, storedAll().size(), "the local API refuses any request over a limit, so every request was within them");
            assertEquals(0, sink.stats().rejected());
            long bytes = 0;
            for (LocalLogs.StoredEvent e : logs.events(GROUP, logs.streams(GROUP).get(0))) {
                bytes += e.message().getBytes(StandardCharsets.UTF_8).length + LocalLogs.EVENT_OVERHEAD;
            }
            int fewest = (int) Math.max(Math.ceil(25_000 / 10_000.0), Math.ceil(bytes / (double) LocalLogs.MAX_BATCH_BYTES));
            int calls = logs.calls("PutLogEvents");
            assertTrue(calls >= fewest && calls <= fewest + 1, calls + " requests for " + bytes + " bytes: about as few as the limits allow");
        }
    }

    @Test
    void givenAServiceThatIsDown_whenTheEngineEmitsEvents_thenAcceptTakesThemAll() throws Exception {
        logs.setOutageUntil(Instant.MAX);
        try (CloudWatchEventSink sink = sink("laptop-6", true)) {
            for (int i = 0; i < 100_000; i++) {
                sink.accept(event("s", EnforcementEvent.Kind.FIGHT, Instant.now(), null));
            }
            assertEquals(100_000, sink.stats().accepted(), "all taken while the service is down");
        }
    }

    @Test
    void givenOneHundredDevices_whenTheirSessionsShip_thenTheFleetViewCountsEachDevice() throws Exception {
        for (int d = 0; d < 100; d++) {
            try (CloudWatchEventSink sink = sink(String.format("device-%03d", d), false)) {
                Instant t = clock.instant().minus(Duration.ofMinutes(30)).plusSeconds(d);
                sink.accept(event("s" + d, EnforcementEvent.Kind.SESSION_STARTED, t, null));
                for (int k = 0; k < d % 4; k++) {
                    sink.accept(event("s" + d, EnforcementEvent.Kind.CONFLICT_DETECTED, t.plusMillis(10 + k), "172.31." + k + ".0/24"));
                    sink.accept(event("s" + d, EnforcementEvent.Kind.ROUTE_REMOVED, t.plusMillis(11 + k), "172.31." + k + ".0/24"));
                }
                sink.accept(event("s" + d, EnforcementEvent.Kind.SESSION_STOPPED, t.plusSeconds(5), null));
                assertTrue(sink.pump());
            }
        }
        logs.setPageSize(100); // FilterLogEvents pages of 100: the reader must follow nextToken
        FleetEvents.Report r = FleetEvents.read(client, GROUP, clock.instant().minus(Duration.ofHours(1)), null, Duration.ofMinutes(1));
        assertEquals(100, r.devices().size());
        int expectedTampers = 0;
        for (int d = 0; d < 100; d++) {
            expectedTampers += d % 4;
        }
        assertEquals(expectedTampers, r.devices().stream().mapToInt(FleetEvents.Device::tamperAttempts).sum());
        assertEquals(expectedTampers, r.devices().stream().mapToInt(FleetEvents.Device::removals).sum());
        assertEquals(3, r.devices().get(0).tamperAttempts(), "most tamper attempts first");
        assertEquals((r.events().size() + 99) / 100, r.pages(), "every page of 100 read");
        FleetEvents.Device d7 = r.devices().stream().filter(x -> x.name().equals("device-007")).findFirst().orElseThrow();
        assertEquals(1, d7.sessions());
        assertEquals(2 + 3 * 2, d7.events());
        assertEquals("session_stopped", d7.lastKind());
        FleetEvents.Report one = FleetEvents.read(client, GROUP, null, "device-007", null);
        assertEquals(List.of("device-007"), one.devices().stream().map(FleetEvents.Device::name).toList());
        assertEquals(8, one.events().size());
        assertEquals(r.events().size(), r.timeline().values().stream().mapToInt(c -> c[0]).sum());
    }

    @Test
    void givenABatchStoredTwice_whenRead_thenTheFleetViewCountsItOnce() throws Exception {
        try (CloudWatchEventSink sink = sink("laptop-8", false)) {
            sink.accept(event("s", EnforcementEvent.Kind.CONFLICT_DETECTED, clock.instant(), "172.31.9.0/24"));
            assertTrue(sink.pump());
        }
        // the same message once more, as a batch whose answer was lost and which was sent again would be stored
        String stream = logs.streams(GROUP).get(0);
        LocalLogs.StoredEvent e = logs.events(GROUP, stream).get(0);
        client.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(stream)
                .logEvents(software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder().timestamp(e.timestamp()).message(e.message()).build()));
        FleetEvents.Report r = FleetEvents.read(client, GROUP, null, null, null);
        assertEquals(1, r.events().size());
        assertEquals(1, r.duplicates());
    }
}
