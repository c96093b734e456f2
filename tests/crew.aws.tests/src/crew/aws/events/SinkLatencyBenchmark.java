package crew.aws.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementMode;
import crew.enforce.EnforcementSession;
import crew.enforce.SessionSpec;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.Subscription;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;

/**
 * The remediation latency with and without the CloudWatch Logs sink (a harness that prints figures, not a timed
 * test; opt in with {@code -Dcrew.bench=true}; root): the engine in a network namespace of the benchmark's own
 * (crew-rollout-bench-*), 2,000 conflicting /32s after a warm-up, each removed by the engine; a second watcher sees
 * the removal (timed from before the tamperer's add: the engine's delete often comes before the add's own ack). Runs alternate without and with the sink (shipping every 200 ms to the embedded Logs API), and the
 * sink's accept() is timed on its own. Recorded in docs/rollout.md.
 */
class SinkLatencyBenchmark {
    private static final Cidr PROTECTED = Cidr.parse("172.31.0.0/16");

    @Test
    void benchmark() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("crew.bench"), "benchmark: run with -Dcrew.bench=true (prints figures, asserts nothing)");
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("ip", "the benchmark's namespace (iproute2)");
        System.out.println("== CREW CloudWatch Logs sink benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ")");
        try (LocalAwsServer server = LocalAwsServer.start(LocalAccount.inMemory(), 0)) {
            for (int round = 0; round < 3; round++) {
                run(server, false);
                run(server, true);
            }
            acceptCost(server);
        }
    }

    private static void ip(String ns, String args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd + ": " + new String(p.getInputStream().readAllBytes()));
        }
    }

    private void run(LocalAwsServer server, boolean withSink) throws Exception {
        String ns = "crew-rollout-bench-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
        new ProcessBuilder("ip", "netns", "add", ns).start().waitFor();
        Path tmp = Files.createTempDirectory("crew-sink-bench");
        try {
            for (String c : List.of("link set lo up", "link add lan0 type veth peer name lan1", "link set lan1 up", "link set lan0 up",
                    "addr add 192.168.1.23/24 dev lan0", "route add default via 192.168.1.1", "tuntap add dev tun0 mode tun", "link set tun0 up",
                    "addr add 10.200.0.5/27 dev tun0")) {
                ip(ns, c);
            }
            try (ClosableRoutingBackend engineBackend = LinuxRouting.namespace(ns); ClosableRoutingBackend tamper = LinuxRouting.namespace(ns);
                    ClosableRoutingBackend watcher = LinuxRouting.namespace(ns)) {
                SessionSpec spec = new SessionSpec("bench", "tun0", IpAddress.parse("10.200.0.1"), List.of(PROTECTED), List.of(), List.of(),
                        EnforcementMode.AWS, null, Duration.ofSeconds(5));
                EnforcementSession s = new EnforcementSession(spec, engineBackend, null, tmp.resolve("bench.journal"));
                CloudWatchEventSink sink = null;
                if (withSink) {
                    EventsSettings settings = new EventsSettings("/crew/bench", "bench-device", null, "us-east-1", server.endpoint(), tmp.resolve("spool"),
                            Duration.ofMillis(200), true);
                    sink = CloudWatchEventSink.open(settings, Clock.systemUTC(), l -> { }, true);
                    s.addSink(sink);
                }
                s.start();
                Map<Cidr, Long> removedAt = new ConcurrentHashMap<>();
                try (Subscription w = watcher.subscribe(e -> {
                    if (e instanceof RoutingEvent.RouteRemoved r) {
                        removedAt.put(r.route().destination(), e.receivedNanos());
                    }
                })) {
                    int warmup = 300;
                    int n = 2000;
                    long[] latency = new long[n];
                    for (int i = 0; i < warmup + n; i++) {
                        Cidr dst = Cidr.of(IpAddress.ofIpv4(0xAC1F0000 | (i + 1)), 32);
                        long t0 = System.nanoTime();
                        tamper.add(DeviceRoute.of(dst, IpAddress.parse("192.168.1.1"), "lan0", 0));
                        long t1 = System.nanoTime();
                        long deadline = t1 + 2_000_000_000L;
                        while (!removedAt.containsKey(dst) && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        if (i >= warmup) {
                            latency[i - warmup] = removedAt.getOrDefault(dst, deadline) - t0;
                        }
                    }
                    long[] engine = s.metrics().remediationNanos();
                    System.out.printf("%-12s tamper sent -> removal seen: %s; engine's own (event -> delete acknowledged): %s%n",
                            withSink ? "with sink" : "without sink", percentiles(latency), percentiles(engine));
                }
                s.stop();
                if (sink != null) {
                    boolean drained = sink.flush(Duration.ofSeconds(30));
                    CloudWatchEventSink.Stats st = sink.stats();
                    System.out.printf("             sink: %d events accepted, %d delivered in %d calls, drained %s, %d in the log group%n", st.accepted(),
                            st.delivered(), st.calls(), drained, server.logs().streams("/crew/bench").stream()
                                    .mapToInt(x -> server.logs().events("/crew/bench", x).size()).sum());
                    sink.close();
                }
            }
        } finally {
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor();
        }
    }

    /** What the engine's thread pays per event: accept() alone, 1,000,000 calls. */
    private void acceptCost(LocalAwsServer server) throws Exception {
        Path tmp = Files.createTempDirectory("crew-sink-accept");
        EventsSettings settings = new EventsSettings("/crew/bench", "bench-device", null, "us-east-1", server.endpoint(), tmp.resolve("spool"),
                Duration.ofMillis(200), true);
        try (CloudWatchEventSink sink = CloudWatchEventSink.open(settings, Clock.systemUTC(), l -> { }, false)) {
            EnforcementEvent e = new EnforcementEvent(Instant.now(), "bench", EnforcementEvent.Kind.ROUTE_REMOVED, "172.31.0.1/32", "removed",
                    List.of(EnforcementEvent.TAG, "route-removed"));
            int n = 1_000_000;
            long[] each = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                sink.accept(e);
                each[i] = System.nanoTime() - t0;
            }
            System.out.println("accept(): " + percentiles(Arrays.copyOfRange(each, n / 2, n)) + " (second half of 1,000,000 calls)");
        }
    }

    private static String percentiles(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("n=%d p50=%.1f us p99=%.1f us max=%.1f us", s.length, s[s.length / 2] / 1e3, s[(int) (s.length * 0.99)] / 1e3,
                s[s.length - 1] / 1e3);
    }
}
