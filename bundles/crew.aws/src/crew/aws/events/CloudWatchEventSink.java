package crew.aws.events;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import com.google.gson.Gson;

import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEventSink;
import crew.aws.local.LocalLogs;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Enforcement events to CloudWatch Logs: one log stream per device and session ({@code DEVICE/SESSION/START}, START
 * the UTC time of the session's first event here) in the configured log group, each event one JSON message.
 *
 * <p>The engine's thread only puts the event on a lock-free queue ({@link #accept} never blocks, never does I/O).
 * A shipper thread moves queued events into the {@link EventSpool} (fsync'd), then sends each stream's spooled
 * events in batches within PutLogEvents' limits ({@link LogBatches}) and records what the service took. A failed
 * call (offline, throttled, 5xx) leaves the events in the spool and retries after an exponential backoff (1 s
 * doubling to 5 min, with jitter); nothing is lost, and a restart sends what the spool still holds. Events the
 * service will not take (older than 14 days, more than 2 hours ahead, or refused) are set aside with the reason
 * and reported, not dropped silently.
 *
 * <p>The shipper's clock is injectable: {@link #pump()} does one round at the clock's "now", so a test runs a
 * ten-minute outage without waiting for it.
 */
public final class CloudWatchEventSink implements EnforcementEventSink, AutoCloseable {
    private static final Gson GSON = new Gson();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** Older than this (the service's 14 days less a margin for the trip) is not sent but set aside. */
    static final Duration TOO_OLD = LocalLogs.MAX_AGE.minusMinutes(5);

    private final EventsSettings settings;
    private final CloudWatchLogsClient client;
    private final Clock clock;
    private final Consumer<String> reporter;
    private final EventSpool spool;
    private final ConcurrentLinkedQueue<EnforcementEvent> queue = new ConcurrentLinkedQueue<>();
    private final Map<String, String> streamOfSession = new HashMap<>();
    private final Random jitter = new Random();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final Object pumpLock = new Object();
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile int attempt;
    private volatile String lastError;
    private volatile boolean groupKnown;
    private volatile boolean closed;
    private final Thread shipper;
    private boolean ownsClient;

    /** What the sink has done so far. */
    public record Stats(long accepted, long delivered, long pending, long rejected, long failures, long calls, String lastError, Instant nextAttempt) {
    }

    /**
     * @param background true: a shipper thread pumps every flush interval; false: the caller calls {@link #pump()}
     * @param reporter   where problems are reported (rejected events, failures that persist); never null
     */
    public CloudWatchEventSink(EventsSettings settings, CloudWatchLogsClient client, Clock clock, Consumer<String> reporter, boolean background)
            throws IOException {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
        this.reporter = reporter;
        this.spool = new EventSpool(settings.spool());
        if (spool.pending() > 0) {
            reporter.accept("events: " + spool.pending() + " events from an earlier run are still in the spool " + spool.directory() + ": sending them");
        }
        if (background) {
            shipper = new Thread(this::run, "crew-events-cloudwatch");
            shipper.setDaemon(true);
            shipper.start();
        } else {
            shipper = null;
        }
    }

    /** A sink with a client of its own (no SDK retries: the sink retries), closed with the sink. */
    public static CloudWatchEventSink open(EventsSettings settings, Clock clock, Consumer<String> reporter, boolean background) throws IOException {
        CloudWatchLogsClient client = LogsClients.open(settings, false);
        CloudWatchEventSink sink = new CloudWatchEventSink(settings, client, clock, reporter, background);
        sink.ownsClient = true;
        return sink;
    }

    public EventsSettings settings() {
        return settings;
    }

    public EventSpool spool() {
        return spool;
    }

    /** Never blocks: the event goes on a queue the shipper empties. */
    @Override
    public void accept(EnforcementEvent event) {
        if (!closed) {
            queue.offer(event);
            accepted.incrementAndGet();
        }
    }

    public Stats stats() {
        return new Stats(accepted.get(), delivered.get(), spool.pending() + queue.size(), spool.rejected(), failures.get(), calls.get(), lastError,
                nextAttempt);
    }

    /** The stream a session's events go to (named at its first event here). */
    public synchronized String streamOf(String sessionId, Instant firstEvent) {
        return streamOfSession.computeIfAbsent(sessionId, s -> settings.device() + "/" + EventsSettings.streamPart(s) + "/" + STAMP.format(firstEvent));
    }

    private void run() {
        while (!closed) {
            try {
                pump();
            } catch (RuntimeException e) {
                lastError = String.valueOf(e);
            }
            LockSupport.parkNanos(settings.flushInterval().toNanos());
        }
    }

    /**
     * One round: queued events into the spool, then, unless backing off, every stream's spooled events to the
     * service. Returns true when the spool is empty afterwards.
     */
    public boolean pump() {
        synchronized (pumpLock) {
            try {
                spoolQueued();
            } catch (IOException e) {
                lastError = "spool " + spool.directory() + ": " + e.getMessage();
                reporter.accept("events: cannot write the spool " + spool.directory() + ": " + e.getMessage() + " (the events stay in memory)");
                return false;
            }
            Instant now = clock.instant();
            if (now.isBefore(nextAttempt)) {
                return false;
            }
            try {
                for (EventSpool.Stream s : spool.pendingStreams()) {
                    send(s, now);
                }
                if (attempt > 0) {
                    reporter.accept("events: CloudWatch Logs reached again after " + attempt + " failed attempts; the spool drains");
                }
                attempt = 0;
                nextAttempt = Instant.MIN;
            } catch (SdkException e) {
                failures.incrementAndGet();
                attempt++;
                lastError = describe(e);
                long base = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(20, attempt - 1));
                long wait = base - base / 5 + (long) (jitter.nextDouble() * (base * 2 / 5));
                nextAttempt = now.plusMillis(wait);
                if (attempt == 1 || attempt % 10 == 0) {
                    reporter.accept("events: CloudWatch Logs unavailable (" + lastError + "); " + spool.pending() + " events kept in the spool, retrying in "
                            + wait + " ms");
                }
            } catch (IOException e) {
                lastError = "spool: " + e.getMessage();
                reporter.accept("events: " + lastError);
            }
            return spool.pending() == 0 && queue.isEmpty();
        }
    }

    private void spoolQueued() throws IOException {
        Map<String, List<Long>> times = new LinkedHashMap<>();
        Map<String, List<LongFunction<String>>> messages = new LinkedHashMap<>();
        List<EnforcementEvent> taken = new ArrayList<>();
        for (EnforcementEvent next = queue.poll(); next != null; next = queue.poll()) {
            EnforcementEvent e = next;
            taken.add(e);
            String stream = streamOf(e.sessionId(), e.time());
            times.computeIfAbsent(stream, k -> new ArrayList<>()).add(e.time().toEpochMilli());
            messages.computeIfAbsent(stream, k -> new ArrayList<>()).add(seq -> message(e, seq));
        }
        try {
            for (Map.Entry<String, List<Long>> s : times.entrySet()) {
                spool.append(s.getKey(), s.getValue(), messages.get(s.getKey()));
            }
        } catch (IOException ex) {
            // the events stay queued for the next round (in front of newer ones would reorder; order is restored by timestamp per batch)
            queue.addAll(taken);
            throw ex;
        }
    }

    private String message(EnforcementEvent e, long seq) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("device", settings.device());
        m.put("session", e.sessionId());
        m.put("event", e.kind().name().toLowerCase());
        if (e.route() != null) {
            m.put("route", e.route());
        }
        if (e.detail() != null) {
            m.put("detail", e.detail());
        }
        m.put("tags", e.tags());
        m.put("seq", seq);
        return LogBatches.fit(GSON.toJson(m));
    }

    private void send(EventSpool.Stream s, Instant now) throws IOException {
        while (true) {
            List<EventSpool.Entry> head = spool.head(s, LocalLogs.MAX_BATCH_EVENTS);
            if (head.isEmpty()) {
                return;
            }
            List<EventSpool.Entry> batch = LogBatches.next(head);
            long lastSeq = head.get(batch.size() - 1).seq();
            // too old or too far ahead for the service: set aside and reported instead of sent
            List<EventSpool.Entry> old = batch.stream().filter(e -> e.timestamp() < now.minus(TOO_OLD).toEpochMilli()).toList();
            List<EventSpool.Entry> ahead = batch.stream().filter(e -> e.timestamp() > now.plus(LocalLogs.MAX_AHEAD).toEpochMilli()).toList();
            if (!old.isEmpty() || !ahead.isEmpty()) {
                if (!old.isEmpty()) {
                    spool.reject(s, old, "older than CloudWatch Logs accepts (14 days)");
                    reporter.accept("events: " + old.size() + " events of " + s.name() + " are older than CloudWatch Logs accepts; kept in "
                            + spool.directory().resolve(EventSpool.REJECTED));
                }
                if (!ahead.isEmpty()) {
                    spool.reject(s, ahead, "more than 2 hours ahead of the clock");
                    reporter.accept("events: " + ahead.size() + " events of " + s.name() + " are more than 2 hours ahead of the clock; kept in "
                            + spool.directory().resolve(EventSpool.REJECTED));
                }
                batch = new ArrayList<>(batch);
                batch.removeAll(old);
                batch.removeAll(ahead);
            }
            if (!batch.isEmpty()) {
                PutLogEventsResponse r;
                try {
                    r = put(s, batch);
                } catch (InvalidParameterException e) {
                    // refused as invalid: sending it again would be refused again, and would hold up the stream
                    spool.reject(s, batch, "refused by CloudWatch Logs: " + describe(e));
                    reporter.accept("events: CloudWatch Logs refused a batch of " + batch.size() + " events of " + s.name() + " (" + describe(e)
                            + "); kept in " + spool.directory().resolve(EventSpool.REJECTED));
                    spool.ack(s, lastSeq);
                    continue;
                }
                RejectedLogEventsInfo info = r.rejectedLogEventsInfo();
                if (info != null) {
                    reportRejected(s, batch, info);
                }
                delivered.addAndGet(batch.size() - rejectedCount(batch.size(), info));
            }
            spool.ack(s, lastSeq);
        }
    }

    private PutLogEventsResponse put(EventSpool.Stream s, List<EventSpool.Entry> batch) {
        List<InputLogEvent> events = batch.stream().map(e -> InputLogEvent.builder().timestamp(e.timestamp()).message(e.message()).build()).toList();
        if (!s.known) {
            createStream(s);
        }
        try {
            calls.incrementAndGet();
            return client.putLogEvents(b -> b.logGroupName(settings.logGroup()).logStreamName(s.name()).logEvents(events));
        } catch (ResourceNotFoundException e) {
            // the stream or group went away (deleted by hand, or retention): create them again
            s.known = false;
            groupKnown = false;
            createStream(s);
            calls.incrementAndGet();
            return client.putLogEvents(b -> b.logGroupName(settings.logGroup()).logStreamName(s.name()).logEvents(events));
        }
    }

    private void createStream(EventSpool.Stream s) {
        try {
            calls.incrementAndGet();
            client.createLogStream(b -> b.logGroupName(settings.logGroup()).logStreamName(s.name()));
        } catch (ResourceAlreadyExistsException e) {
            // sent before a restart
        } catch (ResourceNotFoundException e) {
            if (!settings.createGroup() || groupKnown) {
                throw e;
            }
            try {
                calls.incrementAndGet();
                client.createLogGroup(b -> b.logGroupName(settings.logGroup()));
            } catch (ResourceAlreadyExistsException ex) {
                // another device made it meanwhile
            }
            groupKnown = true;
            calls.incrementAndGet();
            client.createLogStream(b -> b.logGroupName(settings.logGroup()).logStreamName(s.name()));
        }
        s.known = true;
    }

    private static int rejectedCount(int size, RejectedLogEventsInfo info) {
        if (info == null) {
            return 0;
        }
        int old = Math.max(info.tooOldLogEventEndIndex() == null ? 0 : info.tooOldLogEventEndIndex(),
                info.expiredLogEventEndIndex() == null ? 0 : info.expiredLogEventEndIndex());
        int newStart = info.tooNewLogEventStartIndex() == null ? size : info.tooNewLogEventStartIndex();
        return Math.min(size, old + (size - newStart));
    }

    private void reportRejected(EventSpool.Stream s, List<EventSpool.Entry> batch, RejectedLogEventsInfo info) throws IOException {
        int old = Math.max(info.tooOldLogEventEndIndex() == null ? 0 : info.tooOldLogEventEndIndex(),
                info.expiredLogEventEndIndex() == null ? 0 : info.expiredLogEventEndIndex());
        if (old > 0) {
            spool.reject(s, batch.subList(0, Math.min(old, batch.size())), "refused by CloudWatch Logs as too old or expired");
        }
        if (info.tooNewLogEventStartIndex() != null && info.tooNewLogEventStartIndex() < batch.size()) {
            spool.reject(s, batch.subList(info.tooNewLogEventStartIndex(), batch.size()), "refused by CloudWatch Logs as too new");
        }
        reporter.accept("events: CloudWatch Logs refused " + rejectedCount(batch.size(), info) + " events of " + s.name() + " (" + info
                + "); kept in " + spool.directory().resolve(EventSpool.REJECTED));
    }

    static String describe(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }

    /**
     * Sends what is queued and spooled, for up to {@code timeout} of real time (at the end of a session or a
     * command). Returns true when nothing is left; what is left stays in the spool for the next run.
     */
    public boolean flush(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (pump()) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (shipper != null) {
            LockSupport.unpark(shipper);
            try {
                shipper.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            spoolQueued();
        } catch (IOException e) {
            reporter.accept("events: " + queue.size() + " events could not be spooled at close: " + e.getMessage());
        }
        try {
            spool.close();
        } catch (IOException e) {
            // closing
        }
        if (ownsClient) {
            client.close();
        }
    }
}
