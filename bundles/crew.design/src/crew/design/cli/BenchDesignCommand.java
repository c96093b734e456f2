package crew.design.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.design.authz.AuthorizationEvaluator;
import crew.design.device.ConflictDetector;
import crew.design.device.ProtectedRoute;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.AuthorizationRule;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * {@code crew bench design}: conflict analysis of 10k, 100k and 1M device routes against 10k protected routes, and
 * authorization decisions for as many destinations against 10k rules; median wall time of several runs and heap.
 */
@Component(service = CliCommand.class)
@Command(name = "bench design", summary = "benchmark conflict analysis and authorization evaluation (10k/100k/1M device routes vs 10k protected)")
public final class BenchDesignCommand implements CliCommand {

    @Override
    public String name() {
        return "bench design";
    }

    @Override
    public String summary() {
        return "benchmark conflict analysis and authorization evaluation (10k/100k/1M device routes vs 10k protected)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("runs", "N", "timed runs per size (default 5; the median is printed)"),
                Option.value("sizes", "LIST", "comma-separated device-route counts (default 10000,100000,1000000)"),
                Option.value("protected", "N", "protected routes and authorization rules (default 10000)"),
                Option.value("seed", "N", "random seed (default 1)"));
    }

    @Override
    public int run(CommandContext ctx, Arguments args) throws CommandException {
        int runs = args.intValue("runs", 5);
        int protectedCount = args.intValue("protected", 10_000);
        long seed = args.intValue("seed", 1);
        int[] sizes;
        try {
            sizes = Arrays.stream(args.value("sizes", "10000,100000,1000000").split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        } catch (NumberFormatException e) {
            throw CommandException.badInput("--sizes needs comma-separated whole numbers");
        }
        if (runs < 1 || protectedCount < 1) {
            throw CommandException.badInput("--runs and --protected must be at least 1");
        }
        Random random = new Random(seed);
        List<ProtectedRoute> prot = new ArrayList<>(protectedCount);
        List<AuthorizationRule> rules = new ArrayList<>(protectedCount);
        for (int i = 0; i < protectedCount; i++) {
            Cidr c = Cidr.of(IpAddress.ofIpv4(random.nextInt()), 8 + random.nextInt(17));
            prot.add(new ProtectedRoute(c, IpAddress.parse("10.200.0.1"), "tun0", "bench"));
            rules.add(i % 3 == 0 ? AuthorizationRule.allUsers(c, null) : AuthorizationRule.group(c, "g" + (i % 20), null));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        ctx.err().println("building the trie of " + protectedCount + " protected routes...");
        long t0 = System.nanoTime();
        ConflictDetector detector = new ConflictDetector(prot);
        double buildMs = (System.nanoTime() - t0) / 1e6;
        AuthorizationEvaluator evaluator = new AuthorizationEvaluator(rules);
        Set<String> groups = Set.of("g1", "g7");
        if (!ctx.json()) {
            ctx.out().printf("protected routes: %d (trie built in %.1f ms); runs per size: %d (median); JVM max heap %d MiB; %d CPUs, load average %.1f%n",
                    protectedCount, buildMs, runs, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            ctx.out().printf("%12s %16s %14s %12s %12s %10s %14s%n", "device routes", "conflicts (ms)", "(thread CPU ms)", "conflicts", "authz (ms)", "allowed",
                    "heap used MiB");
        }
        for (int size : sizes) {
            DeviceRoute[] table = new DeviceRoute[size];
            IpAddress gw = IpAddress.parse("192.168.1.1");
            for (int i = 0; i < size; i++) {
                table[i] = DeviceRoute.of(Cidr.of(IpAddress.ofIpv4(random.nextInt()), 8 + random.nextInt(25)), gw, "eth0", 100);
            }
            IpAddress[] dests = new IpAddress[size];
            for (int i = 0; i < size; i++) {
                dests[i] = table[i].destination().network();
            }
            List<DeviceRoute> list = Arrays.asList(table);
            double[] conflictMs = new double[runs];
            double[] authzMs = new double[runs];
            double[] conflictCpuMs = new double[runs];
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            int conflicts = 0;
            int allowed = 0;
            detector.detect(list.subList(0, Math.min(size, 20_000))); // warm-up
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime();
                long cpu = threads.getCurrentThreadCpuTime();
                conflicts = detector.detect(list).size();
                conflictMs[r] = (System.nanoTime() - s) / 1e6;
                conflictCpuMs[r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
                s = System.nanoTime();
                int ok = 0;
                for (IpAddress d : dests) {
                    if (evaluator.allows(d, groups)) {
                        ok++;
                    }
                }
                authzMs[r] = (System.nanoTime() - s) / 1e6;
                allowed = ok;
            }
            Runtime rt = Runtime.getRuntime();
            long heap = (rt.totalMemory() - rt.freeMemory()) >> 20;
            double cm = median(conflictMs);
            double am = median(authzMs);
            double ccpu = median(conflictCpuMs);
            if (!ctx.json()) {
                ctx.out().printf("%12d %16.1f %14.1f %12d %12.1f %10d %14d%n", size, cm, ccpu, conflicts, am, allowed, heap);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("deviceRoutes", size);
            row.put("conflictAnalysisMsMedian", cm);
            row.put("conflictAnalysisThreadCpuMsMedian", ccpu);
            row.put("conflicts", conflicts);
            row.put("authorizationMsMedian", am);
            row.put("allowed", allowed);
            row.put("heapUsedMiB", heap);
            rows.add(row);
            table = null;
            dests = null;
            list = null;
            System.gc();
        }
        if (ctx.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protectedRoutes", protectedCount);
            m.put("trieBuildMs", buildMs);
            m.put("runs", runs);
            m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
            m.put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            m.put("results", rows);
            ctx.printJson(m);
        }
        return ExitCode.OK;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
