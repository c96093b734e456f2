package crew.aws.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import crew.aws.local.LocalLogs;

/**
 * PutLogEvents' limits applied to a stream's spooled events: the next batch is the longest prefix (in spool order)
 * with at most 10,000 events, at most 1,048,576 bytes counting each UTF-8 message plus 26 bytes, and at most 24
 * hours between its earliest and latest event; it is sent sorted by timestamp (the service wants chronological
 * order within a request). Messages are at most 256 KiB less the overhead (CREW's events are a few hundred bytes;
 * a longer detail is cut when the event is made).
 */
public final class LogBatches {
    public static final int MAX_MESSAGE_BYTES = LocalLogs.MAX_EVENT_BYTES - LocalLogs.EVENT_OVERHEAD;

    private LogBatches() {
    }

    /** The next batch from {@code head} (spool order), sorted for sending; empty only when head is. */
    public static List<EventSpool.Entry> next(List<EventSpool.Entry> head) {
        List<EventSpool.Entry> batch = new ArrayList<>();
        long bytes = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (EventSpool.Entry e : head) {
            long size = e.message().getBytes(StandardCharsets.UTF_8).length + LocalLogs.EVENT_OVERHEAD;
            long newMin = Math.min(min, e.timestamp());
            long newMax = Math.max(max, e.timestamp());
            if (!batch.isEmpty() && (batch.size() == LocalLogs.MAX_BATCH_EVENTS || bytes + size > LocalLogs.MAX_BATCH_BYTES
                    || newMax - newMin > LocalLogs.MAX_BATCH_SPAN.toMillis())) {
                break;
            }
            batch.add(e);
            bytes += size;
            min = newMin;
            max = newMax;
        }
        batch.sort(Comparator.comparingLong(EventSpool.Entry::timestamp).thenComparingLong(EventSpool.Entry::seq));
        return batch;
    }

    /** The bytes PutLogEvents counts for a batch. */
    public static long size(List<EventSpool.Entry> batch) {
        return batch.stream().mapToLong(e -> e.message().getBytes(StandardCharsets.UTF_8).length + LocalLogs.EVENT_OVERHEAD).sum();
    }

    /** A message cut to what one event may carry, on a character boundary. */
    public static String fit(String message) {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_MESSAGE_BYTES) {
            return message;
        }
        int end = MAX_MESSAGE_BYTES;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}
