package crew.enforce;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counters and the remediation latency histogram (event received to delete acknowledged) of one session. */
public final class EnforcementMetrics {
    final AtomicLong conflictsSeen = new AtomicLong();
    final AtomicLong removals = new AtomicLong();
    final AtomicLong restores = new AtomicLong();
    final AtomicLong reconcileRuns = new AtomicLong();
    final AtomicLong fights = new AtomicLong();
    private long[] latencies = new long[1024];
    private int count;

    synchronized void recordRemediation(long nanos, int routes) {
        if (count == latencies.length) {
            if (count >= 1_000_000) {
                return;
            }
            latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = nanos;
    }

    /** Remediation latencies recorded so far, in nanoseconds. */
    public synchronized long[] remediationNanos() {
        return Arrays.copyOf(latencies, count);
    }

    public long conflictsSeen() {
        return conflictsSeen.get();
    }

    public long removals() {
        return removals.get();
    }

    public long restores() {
        return restores.get();
    }

    public long reconcileRuns() {
        return reconcileRuns.get();
    }

    public long fights() {
        return fights.get();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("conflicts_seen", conflictsSeen());
        m.put("routes_removed", removals());
        m.put("protected_restored", restores());
        m.put("reconcile_runs", reconcileRuns());
        m.put("fights", fights());
        long[] l = remediationNanos();
        if (l.length > 0) {
            Arrays.sort(l);
            m.put("remediation_p50_us", l[l.length / 2] / 1000.0);
            m.put("remediation_p99_us", l[(int) (l.length * 0.99)] / 1000.0);
        }
        return m;
    }
}
