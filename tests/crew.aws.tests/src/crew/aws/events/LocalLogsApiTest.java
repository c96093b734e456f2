package crew.aws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.aws.local.LocalLogs;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ServiceUnavailableException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ThrottlingException;

/**
 * The embedded CloudWatch Logs API through the unmodified AWS SDK: the operations CREW uses, and PutLogEvents'
 * validation and limits as the CloudWatch Logs API Reference states them (PutLogEvents page: 1,048,576 bytes with 26
 * bytes per event, 10,000 events, chronological order, 24-hour span, 14 days back and 2 hours ahead).
 */
class LocalLogsApiTest {
    private static final String GROUP = "/crew/test";
    private static final String STREAM = "dev/s/1";
    private LocalAwsServer server;
    private LocalLogs logs;
    private CloudWatchLogsClient client;
    private MutableClock clock;

    @BeforeEach
    void start() throws Exception {
        server = LocalAwsServer.start(LocalAccount.inMemory(), 0);
        logs = server.logs();
        clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
        logs.setClock(clock);
        client = LogsClients.open(EventsSettings.of(GROUP).withEndpoint(server.endpoint(), "us-east-1"), false);
        client.createLogGroup(b -> b.logGroupName(GROUP));
        client.createLogStream(b -> b.logGroupName(GROUP).logStreamName(STREAM));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private PutLogEventsResponse put(List<InputLogEvent> events) {
        return client.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM).logEvents(events));
    }

    private InputLogEvent event(Instant t, String message) {
        return InputLogEvent.builder().timestamp(t.toEpochMilli()).message(message).build();
    }

    @Test
    void givenTheOperations_whenCalledThroughTheSdk_thenTheyAnswerAsCloudWatchLogs() {
        assertThrows(ResourceAlreadyExistsException.class, () -> client.createLogGroup(b -> b.logGroupName(GROUP)));
        assertThrows(ResourceAlreadyExistsException.class, () -> client.createLogStream(b -> b.logGroupName(GROUP).logStreamName(STREAM)));
        assertThrows(ResourceNotFoundException.class, () -> client.createLogStream(b -> b.logGroupName("/crew/none").logStreamName("x")));
        assertThrows(InvalidParameterException.class, () -> client.createLogStream(b -> b.logGroupName(GROUP).logStreamName("a:b")));
        assertThrows(InvalidParameterException.class, () -> client.createLogGroup(b -> b.logGroupName("bad group")));
        Instant t = clock.instant();
        PutLogEventsResponse r = put(List.of(event(t, "one"), event(t.plusMillis(1), "two tamper")));
        assertNull(r.rejectedLogEventsInfo());
        List<OutputLogEvent> got = client.getLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM).startFromHead(true)).events();
        assertEquals(List.of("one", "two tamper"), got.stream().map(OutputLogEvent::message).toList());
        List<FilteredLogEvent> filtered = client.filterLogEvents(b -> b.logGroupName(GROUP).filterPattern("tamper")).events();
        assertEquals(List.of("two tamper"), filtered.stream().map(FilteredLogEvent::message).toList());
        assertEquals(STREAM, filtered.get(0).logStreamName());
    }

    @Test
    void givenPutLogEventsBeyondItsLimits_whenSent_thenRefusedAsAwsDoes() {
        Instant t = clock.instant();
        InvalidParameterException order = assertThrows(InvalidParameterException.class, () -> put(List.of(event(t, "b"), event(t.minusMillis(1), "a"))));
        assertTrue(order.getMessage().contains("chronological order"), order.getMessage());
        InvalidParameterException span = assertThrows(InvalidParameterException.class,
                () -> put(List.of(event(t.minus(Duration.ofHours(25)), "a"), event(t, "b"))));
        assertTrue(span.getMessage().contains("24 hours"), span.getMessage());
        List<InputLogEvent> many = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            many.add(event(t, "e"));
        }
        assertThrows(InvalidParameterException.class, () -> put(many));
        assertNull(put(many.subList(0, 10_000)).rejectedLogEventsInfo(), "10,000 events are the limit, not over it");
        // 1,048,576 bytes with 26 per event: 8 events of 131,046 bytes make exactly the limit; one byte more is refused
        String big = "x".repeat(131_072 - 26);
        List<InputLogEvent> exact = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            exact.add(event(t, big));
        }
        assertNull(put(exact).rejectedLogEventsInfo());
        exact.set(7, event(t, big + "x"));
        InvalidParameterException size = assertThrows(InvalidParameterException.class, () -> put(exact));
        assertTrue(size.getMessage().contains("1048577 bytes exceeds limit of 1048576"), size.getMessage());
    }

    @Test
    void givenEventsTooOldOrTooNew_whenPut_thenTheyAreRejectedByIndexAndTheRestStored() {
        Instant t = clock.instant();
        // one batch spans at most 24 hours, so too old and too new go in two
        Instant old = t.minus(Duration.ofDays(14)).minusSeconds(1);
        PutLogEventsResponse r = put(List.of(event(old, "old"), event(old.plusMillis(1), "old too"), event(t.minus(Duration.ofDays(14)).plusSeconds(60), "kept")));
        assertEquals(2, r.rejectedLogEventsInfo().tooOldLogEventEndIndex());
        assertNull(r.rejectedLogEventsInfo().tooNewLogEventStartIndex());
        r = put(List.of(event(t, "now"), event(t.plus(Duration.ofHours(2)).plusSeconds(1), "new")));
        assertEquals(1, r.rejectedLogEventsInfo().tooNewLogEventStartIndex());
        assertEquals(List.of("kept", "now"), logs.events(GROUP, STREAM).stream().map(LocalLogs.StoredEvent::message).toList());
    }

    @Test
    void givenInjectedFaults_whenCalled_thenThrottlingAndOutagesAnswerAsTheServiceWould() {
        logs.throttle("PutLogEvents", 1);
        assertThrows(ThrottlingException.class, () -> put(List.of(event(clock.instant(), "a"))));
        put(List.of(event(clock.instant(), "a")));
        logs.setOutageUntil(clock.instant().plus(Duration.ofMinutes(10)));
        ServiceUnavailableException down = assertThrows(ServiceUnavailableException.class, () -> put(List.of(event(clock.instant(), "b"))));
        assertEquals(503, down.statusCode());
        clock.advance(Duration.ofMinutes(10));
        put(List.of(event(clock.instant(), "b")));
        assertEquals(2, logs.events(GROUP, STREAM).size());
    }

    @Test
    void givenMoreEventsThanAPage_whenFilteredThroughThePaginator_thenEveryPageIsRead() {
        logs.setPageSize(7);
        List<InputLogEvent> list = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            list.add(event(clock.instant().plusMillis(i), "m" + i));
        }
        put(list);
        List<String> all = new ArrayList<>();
        int pages = 0;
        for (var page : client.filterLogEventsPaginator(b -> b.logGroupName(GROUP))) {
            pages++;
            page.events().forEach(e -> all.add(e.message()));
        }
        assertEquals(50, all.size());
        assertEquals("m49", all.get(49));
        assertEquals(8, pages);
        List<String> viaGet = new ArrayList<>();
        for (var page : client.getLogEventsPaginator(b -> b.logGroupName(GROUP).logStreamName(STREAM).startFromHead(true))) {
            page.events().forEach(e -> viaGet.add(e.message()));
        }
        assertEquals(all, viaGet);
    }
}
