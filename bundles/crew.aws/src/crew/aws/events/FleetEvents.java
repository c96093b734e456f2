package crew.aws.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * A fleet's enforcement events read back from a log group with FilterLogEvents (the SDK's paginator follows every
 * nextToken), optionally one device's streams only ({@code DEVICE/} prefix), and summed up per device: sessions,
 * tamper attempts (conflicts detected: a route that would take traffic around the tunnel), removals (routes and
 * rules CRE removed), the last event, and a timeline. A batch the service stored twice (its answer was lost, the
 * shipper sent it again) is read once: each message carries its stream's sequence number.
 */
public final class FleetEvents {
    /** One event as read. */
    public record Event(Instant time, String device, String session, String stream, String kind, String route, String detail) {
        public boolean tamper() {
            return kind.equals("conflict_detected");
        }

        public boolean removal() {
            return kind.equals("route_removed") || kind.equals("rule_removed");
        }
    }

    /** One device's line of the fleet view. */
    public record Device(String name, int sessions, int events, int tamperAttempts, int removals, Instant lastEvent, String lastKind) {
    }

    /** The fleet view: events (by time), devices (most tamper attempts first), the timeline, and what was read. */
    public record Report(List<Event> events, List<Device> devices, Map<Instant, int[]> timeline, Duration bucket, int pages, int duplicates,
            int unreadable) {
        public List<Event> of(String device) {
            return events.stream().filter(e -> e.device().equals(device)).toList();
        }
    }

    private FleetEvents() {
    }

    /**
     * Reads the group's events since {@code since} (null: all), of one device (null: all).
     *
     * @param bucket the timeline's bucket (null: a sixtieth of the span, at least a minute)
     */
    public static Report read(CloudWatchLogsClient client, String logGroup, Instant since, String device, Duration bucket) {
        FilterLogEventsRequest.Builder b = FilterLogEventsRequest.builder().logGroupName(logGroup);
        if (since != null) {
            b.startTime(since.toEpochMilli());
        }
        if (device != null) {
            b.logStreamNamePrefix(EventsSettings.streamPart(device) + "/");
        }
        List<Event> events = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int pages = 0;
        int duplicates = 0;
        int unreadable = 0;
        for (var page : client.filterLogEventsPaginator(b.build())) {
            pages++;
            for (FilteredLogEvent f : page.events()) {
                JsonObject m;
                try {
                    JsonElement parsed = JsonParser.parseString(f.message());
                    if (!parsed.isJsonObject()) {
                        unreadable++;
                        continue;
                    }
                    m = parsed.getAsJsonObject();
                } catch (RuntimeException e) {
                    unreadable++; // another writer's line in the group
                    continue;
                }
                if (!m.has("event") || !m.has("session")) {
                    unreadable++;
                    continue;
                }
                String key = f.logStreamName() + "#" + (m.has("seq") ? m.get("seq").getAsString() : f.eventId());
                if (!seen.add(key)) {
                    duplicates++;
                    continue;
                }
                String dev = m.has("device") ? m.get("device").getAsString() : f.logStreamName().split("/", 2)[0];
                events.add(new Event(Instant.ofEpochMilli(f.timestamp()), dev, m.get("session").getAsString(), f.logStreamName(),
                        m.get("event").getAsString(), text(m, "route"), text(m, "detail")));
            }
        }
        events.sort(Comparator.comparing(Event::time));
        return summarize(events, bucket, pages, duplicates, unreadable);
    }

    /** Reads with a client of its own for {@code settings} (the SDK's standard retries), closed afterwards. */
    public static Report read(EventsSettings settings, Instant since, String device) {
        try (CloudWatchLogsClient client = LogsClients.open(settings, true)) {
            return read(client, settings.logGroup(), since, device, null);
        }
    }

    static Report summarize(List<Event> events, Duration bucket, int pages, int duplicates, int unreadable) {
        Map<String, List<Event>> byDevice = new TreeMap<>();
        for (Event e : events) {
            byDevice.computeIfAbsent(e.device(), k -> new ArrayList<>()).add(e);
        }
        List<Device> devices = new ArrayList<>();
        for (Map.Entry<String, List<Event>> d : byDevice.entrySet()) {
            List<Event> list = d.getValue();
            Event last = list.get(list.size() - 1);
            devices.add(new Device(d.getKey(), (int) list.stream().map(Event::stream).distinct().count(), list.size(),
                    (int) list.stream().filter(Event::tamper).count(), (int) list.stream().filter(Event::removal).count(), last.time(), last.kind()));
        }
        devices.sort(Comparator.comparingInt(Device::tamperAttempts).reversed().thenComparing(Device::name));
        Map<Instant, int[]> timeline = new LinkedHashMap<>();
        Duration step = bucket;
        if (!events.isEmpty()) {
            Instant first = events.get(0).time();
            Instant lastTime = events.get(events.size() - 1).time();
            if (step == null) {
                step = Duration.ofMillis(Math.max(60_000, Duration.between(first, lastTime).toMillis() / 60 + 1));
            }
            long ms = step.toMillis();
            for (Event e : events) {
                Instant at = Instant.ofEpochMilli(e.time().toEpochMilli() / ms * ms);
                int[] c = timeline.computeIfAbsent(at, k -> new int[3]);
                c[0]++;
                if (e.tamper()) {
                    c[1]++;
                }
                if (e.removal()) {
                    c[2]++;
                }
            }
        }
        return new Report(List.copyOf(events), List.copyOf(devices), timeline, step == null ? Duration.ofMinutes(1) : step, pages, duplicates,
                unreadable);
    }

    private static String text(JsonObject m, String name) {
        return m.has(name) && !m.get(name).isJsonNull() ? m.get(name).getAsString() : null;
    }

    /** "1h", "30m", "2d", "45s": a duration back from now. */
    public static Duration parseSince(String text) {
        if (text == null || !text.matches("\\d{1,6}[smhd]")) {
            throw new IllegalArgumentException("--since '" + text + "': a number and s, m, h or d (for example 1h, 30m, 7d)");
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
