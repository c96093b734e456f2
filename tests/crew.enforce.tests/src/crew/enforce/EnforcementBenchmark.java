package crew.enforce;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.Subscription;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;

/**
 * The enforcement benchmark: a harness that prints figures (not a timed test). Opt in with
 * {@code -Dcrew.bench=true}; needs root, iproute2 and nft. Results are recorded in docs/enforcement.md.
 */
class EnforcementBenchmark {
    private static final Cidr PROTECTED = Cidr.parse("172.31.0.0/16");

    @Test
    void benchmark() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("crew.bench"), "benchmark: run with -Dcrew.bench=true (prints figures, asserts nothing)");
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("nft", "nftables counts the leaked packets");
        System.out.println("== CREW enforcement benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ")");
        latency();
        flood();
        for (String engine : List.of("none", "aws", "poll-100ms", "poll-1s", "strict")) {
            leaks(engine);
        }
        idleCpu();
    }

    private static SessionSpec spec(EnforcementMode mode) {
        return new SessionSpec("bench", "tun0", IpAddress.parse("10.200.0.1"), List.of(PROTECTED), List.of(), List.of(), mode, null,
                Duration.ofSeconds(5));
    }

    private static Path journal() throws Exception {
        return Files.createTempDirectory("crew-bench").resolve("bench.journal");
    }

    private static String percentiles(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("n=%d p50=%.1f us p99=%.1f us max=%.1f us", s.length, s[s.length / 2] / 1e3, s[(int) (s.length * 0.99)] / 1e3,
                s[s.length - 1] / 1e3);
    }

    /** A tamper adds a conflicting /32; a second watcher sees the engine remove it. */
    private void latency() throws Exception {
        try (DeviceNamespace device = new DeviceNamespace(); ClosableRoutingBackend engineBackend = LinuxRouting.namespace(device.name);
                ClosableRoutingBackend tamper = LinuxRouting.namespace(device.name); ClosableRoutingBackend watcher = LinuxRouting.namespace(device.name)) {
            EnforcementSession s = new EnforcementSession(spec(EnforcementMode.AWS), engineBackend, null, journal());
            s.start();
            Map<Cidr, Long> removedAt = new ConcurrentHashMap<>();
            try (Subscription w = watcher.subscribe(e -> {
                if (e instanceof RoutingEvent.RouteRemoved r) {
                    removedAt.put(r.route().destination(), e.receivedNanos());
                }
            })) {
                int warmup = 500;
                int n = 2000;
                long[] fromAck = new long[n];
                long[] fromSend = new long[n];
                long cold = 0;
                for (int i = 0; i < warmup + n; i++) {
                    Cidr dst = Cidr.of(IpAddress.ofIpv4(0xAC1F0000 | (i + 1)), 32); // 172.31.x.y/32
                    long t0 = System.nanoTime();
                    tamper.add(DeviceRoute.of(dst, IpAddress.parse("192.168.1.1"), "lan0", 0));
                    long t1 = System.nanoTime();
                    long deadline = t1 + 2_000_000_000L;
                    while (!removedAt.containsKey(dst) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    long t2 = removedAt.getOrDefault(dst, deadline);
                    if (i == 0) {
                        cold = t2 - t0;
                    }
                    if (i >= warmup) {
                        fromAck[i - warmup] = t2 - t1;
                        fromSend[i - warmup] = t2 - t0;
                    }
                }
                System.out.printf("remediation, aws mode: cold first %.1f us; tamper ack -> removal seen: %s; tamper send -> removal seen: %s%n",
                        cold / 1e3, percentiles(fromAck), percentiles(fromSend));
                System.out.println("remediation, engine's own histogram (event received -> delete acknowledged): " + s.metrics().toMap());
            }
            s.stop();
        }
    }

    /** 20,000 conflicting routes at once (ip -batch): how long until the table is clean. */
    private void flood() throws Exception {
        try (DeviceNamespace device = new DeviceNamespace(); ClosableRoutingBackend backend = LinuxRouting.namespace(device.name);
                ClosableRoutingBackend reader = LinuxRouting.namespace(device.name)) {
            EnforcementSession s = new EnforcementSession(spec(EnforcementMode.AWS), backend, null, journal());
            s.start();
            List<String> commands = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                commands.add("route add 172.31." + (100 + i / 250) + "." + (i % 250 + 1) + "/32 via 192.168.1.1");
            }
            Path file = Files.createTempFile("crew-flood", ".txt");
            Files.write(file, commands);
            long t0 = System.nanoTime();
            DeviceNamespace.run("ip", "-n", device.name, "-force", "-batch", file.toString());
            long t1 = System.nanoTime();
            long left;
            long t2;
            do {
                left = reader.routes().stream().filter(r -> r.destination().prefixLength() == 32 && PROTECTED.contains(r.destination())).count();
                t2 = System.nanoTime();
            } while (left > 0 && t2 - t1 < 30_000_000_000L);
            System.out.printf("flood: 20000 conflicting routes added in %.0f ms; table clean %.0f ms after the flood began, %.0f ms after it ended"
                    + " (%d left); engine: %s%n", (t1 - t0) / 1e6, (t2 - t0) / 1e6, (t2 - t1) / 1e6, left, s.metrics().toMap());
            s.stop();
        }
    }

    /** Packets to a protected destination leaving through the LAN while an attacker re-adds a conflicting route. */
    private void leaks(String engine) throws Exception {
        try (DeviceNamespace device = new DeviceNamespace(); ClosableRoutingBackend backend = LinuxRouting.namespace(device.name)) {
            device.ip("neigh add 192.168.1.1 lladdr 02:00:00:00:00:01 dev lan0 nud permanent");
            for (String nft : List.of("add table inet crewbench",
                    "add chain inet crewbench post { type filter hook postrouting priority 0 ; }",
                    "add rule inet crewbench post oifname lan0 ip daddr 172.31.0.0/16 counter",
                    "add rule inet crewbench post oifname tun0 ip daddr 172.31.0.0/16 counter")) {
                List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", device.name, "nft"));
                cmd.addAll(List.of(nft.split(" ")));
                DeviceNamespace.run(cmd.toArray(String[]::new));
            }
            EnforcementSession session = null;
            AtomicBoolean polling = new AtomicBoolean(engine.startsWith("poll"));
            Thread poller = null;
            if (engine.equals("aws") || engine.equals("strict")) {
                session = new EnforcementSession(spec(engine.equals("strict") ? EnforcementMode.STRICT : EnforcementMode.AWS), backend, null, journal());
                session.start();
            } else {
                device.ip("route add 172.31.0.0/16 via 10.200.0.1 dev tun0");
                if (polling.get()) {
                    long period = engine.equals("poll-100ms") ? 100 : 1000;
                    ConflictRule rule = new ConflictRule(spec(EnforcementMode.AWS));
                    poller = new Thread(() -> {
                        while (polling.get()) {
                            try {
                                List<DeviceRoute> conflicts = backend.routes().stream().filter(r -> rule.check(r).isPresent()).toList();
                                backend.deleteAll(conflicts);
                                Thread.sleep(period);
                            } catch (Exception e) {
                                return;
                            }
                        }
                    });
                    poller.start();
                }
            }
            String cp = new File(System.getProperty("osgi.install.area", "").replaceFirst("^file:", ""), "../classes").toPath().normalize().toString();
            String java = ProcessHandle.current().info().command().orElse("java");
            Process probe = new ProcessBuilder("ip", "netns", "exec", device.name, java, "-cp", cp, ProbeSender.class.getName(), "172.31.9.9",
                    "20000", "6").redirectErrorStream(true).start();
            Thread.sleep(1000); // the sender's JVM starts; packets flow through the tunnel
            int tampers = 0;
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) {
                try {
                    device.ip("route replace 172.31.9.0/24 via 192.168.1.1 dev lan0");
                    tampers++;
                } catch (Exception e) {
                    // strict pinning or the engine may race the replace; count only accepted tampers
                }
                Thread.sleep(200);
            }
            probe.waitFor();
            String sent = new String(probe.getInputStream().readAllBytes()).trim();
            polling.set(false);
            if (poller != null) {
                poller.join();
            }
            String counters = DeviceNamespace.run("ip", "netns", "exec", device.name, "nft", "list", "table", "inet", "crewbench");
            Matcher m = Pattern.compile("oifname \"(\\w+)\".*?counter packets (\\d+)").matcher(counters);
            long lan = 0;
            long tun = 0;
            while (m.find()) {
                if (m.group(1).equals("lan0")) {
                    lan = Long.parseLong(m.group(2));
                } else {
                    tun = Long.parseLong(m.group(2));
                }
            }
            System.out.printf("leak, engine %-10s: %s; %d tampers at 20000 packets/s; through LAN %d packets (%.1f per tamper), through tunnel %d%n",
                    engine, sent, tampers, lan, tampers == 0 ? 0.0 : (double) lan / tampers, tun);
            if (session != null) {
                session.stop();
            }
        }
    }

    /** CPU used by this JVM while a session protects an idle table. */
    private void idleCpu() throws Exception {
        try (DeviceNamespace device = new DeviceNamespace(); ClosableRoutingBackend backend = LinuxRouting.namespace(device.name)) {
            EnforcementSession s = new EnforcementSession(spec(EnforcementMode.AWS), backend, null, journal());
            s.start();
            Thread.sleep(2000);
            long c0 = cpuTicks();
            long t0 = System.nanoTime();
            Thread.sleep(20_000);
            long c1 = cpuTicks();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("idle: whole test JVM used %.2f%% of one core over %.0f s with a protecting session (reconcile every 5 s)%n",
                    100.0 * (c1 - c0) / 100.0 / seconds, seconds);
            s.stop();
        }
    }

    /** utime + stime of this process in clock ticks (USER_HZ = 100). */
    private static long cpuTicks() throws Exception {
        String[] f = Files.readString(Path.of("/proc/self/stat")).replaceFirst("^.*\\) ", "").split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
