package crew.aws.local;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * An embedded CloudWatch Logs API (awsJson 1.1, {@code X-Amz-Target: Logs_20140328.<Operation>}), in memory:
 * CreateLogGroup, CreateLogStream, DescribeLogStreams, PutLogEvents, GetLogEvents and FilterLogEvents, with the
 * validation and limits AWS documents for them (CloudWatch Logs API Reference, PutLogEvents: at most 1,048,576
 * bytes, counted as the UTF-8 messages plus 26 bytes per event; at most 10,000 events; chronological order; at most
 * 24 hours between the first and the last event; events more than 2 hours ahead or older than 14 days are rejected
 * and reported in {@code rejectedLogEventsInfo}, not stored; the sequence token is ignored).
 *
 * <p>The clock is injectable (a test runs a ten-minute outage without waiting ten minutes), and so are throttling
 * ({@code ThrottlingException}) and outages ({@code ServiceUnavailableException}, HTTP 503) for any operation.
 */
public final class LocalLogs {
    /** The largest PutLogEvents batch: UTF-8 message bytes plus {@link #EVENT_OVERHEAD} per event. */
    public static final int MAX_BATCH_BYTES = 1_048_576;
    public static final int EVENT_OVERHEAD = 26;
    public static final int MAX_BATCH_EVENTS = 10_000;
    /** The largest single event (message plus overhead), as AWS documents it. */
    public static final int MAX_EVENT_BYTES = 262_144;
    public static final Duration MAX_BATCH_SPAN = Duration.ofHours(24);
    public static final Duration MAX_AGE = Duration.ofDays(14);
    public static final Duration MAX_AHEAD = Duration.ofHours(2);
    private static final Pattern GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");
    private static final int DEFAULT_PAGE = 10_000;

    private final Object lock = new Object();
    private final Map<String, Map<String, List<StoredEvent>>> groups = new LinkedHashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private final Map<String, Integer> throttles = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Clock clock = Clock.systemUTC();
    private volatile Instant outageUntil;
    private volatile int pageSize = DEFAULT_PAGE;

    /** One stored event. */
    public record StoredEvent(long timestamp, String message, long ingestionTime, String eventId) {
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    /** Every call answers 503 ServiceUnavailableException until the clock reaches {@code until} (null: no outage). */
    public void setOutageUntil(Instant until) {
        this.outageUntil = until;
    }

    /** The next {@code times} calls of {@code operation} (null: any) answer ThrottlingException. */
    public void throttle(String operation, int times) {
        synchronized (lock) {
            throttles.put(operation == null ? "*" : operation, times);
        }
    }

    /** The most events one GetLogEvents or FilterLogEvents page returns (AWS: 10,000 or 1 MB); small pages test pagination. */
    public void setPageSize(int events) {
        this.pageSize = events;
    }

    /** Calls of an operation, answered or refused. */
    public int calls(String operation) {
        synchronized (lock) {
            return calls.getOrDefault(operation, 0);
        }
    }

    /** The events of a stream in the order stored (empty when there is no such stream). */
    public List<StoredEvent> events(String group, String stream) {
        synchronized (lock) {
            Map<String, List<StoredEvent>> g = groups.get(group);
            List<StoredEvent> s = g == null ? null : g.get(stream);
            return s == null ? List.of() : List.copyOf(s);
        }
    }

    /** The streams of a group (empty when there is no such group). */
    public List<String> streams(String group) {
        synchronized (lock) {
            Map<String, List<StoredEvent>> g = groups.get(group);
            return g == null ? List.of() : List.copyOf(g.keySet());
        }
    }

    /** Handles one request whose X-Amz-Target starts with {@code Logs_20140328.}. */
    String handle(String target, String body) {
        String op = target.substring(target.indexOf('.') + 1);
        JsonObject request;
        try {
            JsonElement parsed = JsonParser.parseString(body.isEmpty() ? "{}" : body);
            request = parsed.isJsonObject() ? parsed.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            throw new LocalApiException("SerializationException", "the request body is not JSON: " + e.getMessage());
        }
        synchronized (lock) {
            calls.merge(op, 1, Integer::sum);
            Instant until = outageUntil;
            if (until != null && clock.instant().isBefore(until)) {
                throw new LocalApiException("ServiceUnavailableException", "The service is unavailable (injected outage until " + until + ").", 503);
            }
            for (String key : new String[] {op, "*"}) {
                int left = throttles.getOrDefault(key, 0);
                if (left > 0) {
                    throttles.put(key, left - 1);
                    throw new LocalApiException("ThrottlingException", "Rate exceeded");
                }
            }
            return switch (op) {
                case "CreateLogGroup" -> createLogGroup(request);
                case "CreateLogStream" -> createLogStream(request);
                case "DescribeLogStreams" -> describeLogStreams(request);
                case "PutLogEvents" -> putLogEvents(request);
                case "GetLogEvents" -> getLogEvents(request);
                case "FilterLogEvents" -> filterLogEvents(request);
                default -> throw new LocalApiException("UnknownOperationException", "The local CloudWatch Logs API does not implement " + op);
            };
        }
    }

    private String createLogGroup(JsonObject r) {
        String name = groupName(r);
        if (groups.containsKey(name)) {
            throw new LocalApiException("ResourceAlreadyExistsException", "The specified log group already exists");
        }
        groups.put(name, new LinkedHashMap<>());
        return "{}";
    }

    private String createLogStream(JsonObject r) {
        Map<String, List<StoredEvent>> g = group(r);
        String name = streamName(r);
        if (g.containsKey(name)) {
            throw new LocalApiException("ResourceAlreadyExistsException", "The specified log stream already exists");
        }
        g.put(name, new ArrayList<>());
        return "{}";
    }

    private String describeLogStreams(JsonObject r) {
        Map<String, List<StoredEvent>> g = group(r);
        String prefix = string(r, "logStreamNamePrefix", false);
        JsonArray streams = new JsonArray();
        for (Map.Entry<String, List<StoredEvent>> s : g.entrySet()) {
            if (prefix == null || s.getKey().startsWith(prefix)) {
                JsonObject o = new JsonObject();
                o.addProperty("logStreamName", s.getKey());
                o.addProperty("storedBytes", 0);
                if (!s.getValue().isEmpty()) {
                    o.addProperty("firstEventTimestamp", s.getValue().get(0).timestamp());
                    o.addProperty("lastEventTimestamp", s.getValue().get(s.getValue().size() - 1).timestamp());
                }
                streams.add(o);
            }
        }
        JsonObject answer = new JsonObject();
        answer.add("logStreams", streams);
        return answer.toString();
    }

    private String putLogEvents(JsonObject r) {
        Map<String, List<StoredEvent>> g = group(r);
        String streamName = streamName(r);
        List<StoredEvent> stream = g.get(streamName);
        if (stream == null) {
            throw new LocalApiException("ResourceNotFoundException", "The specified log stream does not exist.");
        }
        JsonArray events = r.has("logEvents") && r.get("logEvents").isJsonArray() ? r.getAsJsonArray("logEvents") : null;
        if (events == null || events.isEmpty()) {
            throw new LocalApiException("InvalidParameterException", "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: "
                    + "Member must have length greater than or equal to 1");
        }
        if (events.size() > MAX_BATCH_EVENTS) {
            throw new LocalApiException("InvalidParameterException", "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: "
                    + "Member must have length less than or equal to " + MAX_BATCH_EVENTS);
        }
        long bytes = 0;
        long[] times = new long[events.size()];
        String[] messages = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.get(i).getAsJsonObject();
            if (!e.has("timestamp") || !e.has("message")) {
                throw new LocalApiException("InvalidParameterException", "1 validation error detected: Value null at 'logEvents." + (i + 1)
                        + "." + (e.has("timestamp") ? "message" : "timestamp") + "' failed to satisfy constraint: Member must not be null");
            }
            times[i] = e.get("timestamp").getAsLong();
            messages[i] = e.get("message").getAsString();
            if (messages[i].isEmpty()) {
                throw new LocalApiException("InvalidParameterException", "1 validation error detected: Value at 'logEvents." + (i + 1)
                        + ".message' failed to satisfy constraint: Member must have length greater than or equal to 1");
            }
            int size = messages[i].getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
            if (size > MAX_EVENT_BYTES) {
                throw new LocalApiException("InvalidParameterException", "Log event too large: " + size + " bytes exceeds limit of " + MAX_EVENT_BYTES);
            }
            bytes += size;
            if (i > 0 && times[i] < times[i - 1]) {
                throw new LocalApiException("InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order.");
            }
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw new LocalApiException("InvalidParameterException", "Upload too large: " + bytes + " bytes exceeds limit of " + MAX_BATCH_BYTES);
        }
        if (times[times.length - 1] - times[0] > MAX_BATCH_SPAN.toMillis()) {
            throw new LocalApiException("InvalidParameterException", "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
        long now = clock.millis();
        int tooOldEnd = 0;
        int tooNewStart = -1;
        for (int i = 0; i < times.length; i++) {
            if (times[i] < now - MAX_AGE.toMillis()) {
                tooOldEnd = i + 1;
            } else if (times[i] > now + MAX_AHEAD.toMillis()) {
                if (tooNewStart < 0) {
                    tooNewStart = i;
                }
            } else {
                stream.add(new StoredEvent(times[i], messages[i], now, Long.toString(ids.incrementAndGet())));
            }
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("nextSequenceToken", Long.toString(ids.get()));
        if (tooOldEnd > 0 || tooNewStart >= 0) {
            JsonObject rejected = new JsonObject();
            if (tooOldEnd > 0) {
                rejected.addProperty("tooOldLogEventEndIndex", tooOldEnd);
            }
            if (tooNewStart >= 0) {
                rejected.addProperty("tooNewLogEventStartIndex", tooNewStart);
            }
            answer.add("rejectedLogEventsInfo", rejected);
        }
        return answer.toString();
    }

    private String getLogEvents(JsonObject r) {
        Map<String, List<StoredEvent>> g = group(r);
        String name = streamName(r);
        List<StoredEvent> stream = g.get(name);
        if (stream == null) {
            throw new LocalApiException("ResourceNotFoundException", "The specified log stream does not exist.");
        }
        long start = r.has("startTime") ? r.get("startTime").getAsLong() : Long.MIN_VALUE;
        long end = r.has("endTime") ? r.get("endTime").getAsLong() : Long.MAX_VALUE;
        int limit = Math.min(limit(r), pageSize);
        int from = token(r, "f/");
        JsonArray events = new JsonArray();
        int i = from;
        for (; i < stream.size() && events.size() < limit; i++) {
            StoredEvent e = stream.get(i);
            if (e.timestamp() >= start && e.timestamp() < end) {
                JsonObject o = new JsonObject();
                o.addProperty("timestamp", e.timestamp());
                o.addProperty("message", e.message());
                o.addProperty("ingestionTime", e.ingestionTime());
                events.add(o);
            }
        }
        JsonObject answer = new JsonObject();
        answer.add("events", events);
        // at the end of the stream AWS returns the token it was given: the SDK's paginator stops on a repeated token
        answer.addProperty("nextForwardToken", "f/" + String.format(Locale.ROOT, "%056d", i));
        answer.addProperty("nextBackwardToken", "b/" + String.format(Locale.ROOT, "%056d", from));
        return answer.toString();
    }

    private String filterLogEvents(JsonObject r) {
        Map<String, List<StoredEvent>> g = group(r);
        List<String> names = new ArrayList<>();
        if (r.has("logStreamNames")) {
            if (r.has("logStreamNamePrefix")) {
                throw new LocalApiException("InvalidParameterException", "Cannot specify both logStreamNames and logStreamNamePrefix");
            }
            r.getAsJsonArray("logStreamNames").forEach(n -> names.add(n.getAsString()));
        } else {
            String prefix = string(r, "logStreamNamePrefix", false);
            g.keySet().stream().filter(n -> prefix == null || n.startsWith(prefix)).forEach(names::add);
        }
        long start = r.has("startTime") ? r.get("startTime").getAsLong() : Long.MIN_VALUE;
        long end = r.has("endTime") ? r.get("endTime").getAsLong() : Long.MAX_VALUE;
        List<String> terms = terms(string(r, "filterPattern", false));
        record Hit(String stream, StoredEvent event) {
        }
        List<Hit> hits = new ArrayList<>();
        for (String n : names) {
            for (StoredEvent e : g.getOrDefault(n, List.of())) {
                if (e.timestamp() >= start && e.timestamp() <= end && terms.stream().allMatch(e.message()::contains)) {
                    hits.add(new Hit(n, e));
                }
            }
        }
        hits.sort(java.util.Comparator.comparingLong((Hit h) -> h.event().timestamp()).thenComparing(h -> Long.parseLong(h.event().eventId())));
        int from = token(r, "");
        int limit = Math.min(limit(r), pageSize);
        JsonArray events = new JsonArray();
        int i = from;
        for (; i < hits.size() && events.size() < limit; i++) {
            Hit h = hits.get(i);
            JsonObject o = new JsonObject();
            o.addProperty("logStreamName", h.stream());
            o.addProperty("timestamp", h.event().timestamp());
            o.addProperty("message", h.event().message());
            o.addProperty("ingestionTime", h.event().ingestionTime());
            o.addProperty("eventId", h.event().eventId());
            events.add(o);
        }
        JsonObject answer = new JsonObject();
        answer.add("events", events);
        if (i < hits.size()) {
            answer.addProperty("nextToken", String.format(Locale.ROOT, "%056d", i));
        }
        return answer.toString();
    }

    /**
     * The terms of a filter pattern as this API understands them: words and quoted phrases that must all occur in
     * the message (CloudWatch's term matching; JSON and metric patterns are refused with a clear message).
     */
    static List<String> terms(String pattern) {
        List<String> terms = new ArrayList<>();
        if (pattern == null || pattern.isBlank()) {
            return terms;
        }
        String p = pattern.trim();
        if (p.startsWith("{") || p.startsWith("[")) {
            throw new LocalApiException("InvalidParameterException", "the local CloudWatch Logs API understands term filter patterns only, not '" + p + "'");
        }
        java.util.regex.Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(p);
        while (m.find()) {
            terms.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return terms;
    }

    private static int token(JsonObject r, String prefix) {
        String t = string(r, "nextToken", false);
        if (t == null) {
            return 0;
        }
        try {
            String digits = t.startsWith("f/") || t.startsWith("b/") ? t.substring(2) : t;
            return Integer.parseInt(digits.replaceFirst("^0+(?=.)", ""));
        } catch (RuntimeException e) {
            throw new LocalApiException("InvalidParameterException", "The specified nextToken is not valid.");
        }
    }

    private static int limit(JsonObject r) {
        if (!r.has("limit")) {
            return DEFAULT_PAGE;
        }
        int l = r.get("limit").getAsInt();
        if (l < 1 || l > DEFAULT_PAGE) {
            throw new LocalApiException("InvalidParameterException", "1 validation error detected: Value '" + l
                    + "' at 'limit' failed to satisfy constraint: Member must have value between 1 and " + DEFAULT_PAGE);
        }
        return l;
    }

    private Map<String, List<StoredEvent>> group(JsonObject r) {
        String name = groupName(r);
        Map<String, List<StoredEvent>> g = groups.get(name);
        if (g == null) {
            throw new LocalApiException("ResourceNotFoundException", "The specified log group does not exist.");
        }
        return g;
    }

    private static String groupName(JsonObject r) {
        String name = string(r, "logGroupName", true);
        if (!GROUP_NAME.matcher(name).matches()) {
            throw new LocalApiException("InvalidParameterException", "1 validation error detected: Value '" + name
                    + "' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        }
        return name;
    }

    private static String streamName(JsonObject r) {
        String name = string(r, "logStreamName", true);
        if (name.isEmpty() || name.length() > 512 || name.indexOf(':') >= 0 || name.indexOf('*') >= 0) {
            throw new LocalApiException("InvalidParameterException", "1 validation error detected: Value '" + name
                    + "' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*");
        }
        return name;
    }

    private static String string(JsonObject r, String name, boolean required) {
        if (!r.has(name) || r.get(name).isJsonNull()) {
            if (required) {
                throw new LocalApiException("InvalidParameterException", "1 validation error detected: Value null at '" + name
                        + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        return r.get(name).getAsString();
    }
}
