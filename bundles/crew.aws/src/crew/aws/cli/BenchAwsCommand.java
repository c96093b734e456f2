package crew.aws.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import crew.aws.AccountReader;
import crew.aws.ApplyReport;
import crew.aws.AwsErrors;
import crew.aws.AwsSession;
import crew.aws.AwsTarget;
import crew.aws.Designs;
import crew.aws.Plan;
import crew.aws.PlanExecutor;
import crew.aws.Planner;
import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code crew bench aws}: plan and apply against the embedded local account, through the unmodified SDK on loopback.
 * Applies a design of N routes and M authorization rules to a fresh account (each run), then plans the same design
 * against the account holding it (no changes) and a changed one, and prints the median time of the runs after
 * warm-up, the API calls by operation, and whether the plan target (under 2 seconds for 200 routes and 200 rules)
 * is met.
 */
@Component(service = CliCommand.class)
@Command(name = "bench aws", summary = "benchmark plan and apply of a 200-route, 200-rule design against the embedded local account")
public final class BenchAwsCommand implements CliCommand {
    /** The plan target of the issue: a design of 200 routes and 200 rules planned in under 2 seconds. */
    static final double PLAN_TARGET_MS = 2000;
    /** The apply target of issue 17: 200 routes and 200 rules at 150 ms per call applied in under 10 seconds. */
    static final double APPLY_TARGET_MS = 10_000;

    /** Timed applies: the times, the calls of the last, the most changes of the endpoint at once, the calls refused for that. */
    record Applied(double[] ms, Map<String, Integer> calls, int attempts, int maxConcurrent, int refused) {
    }

    private static Applied applyRuns(EndpointDesign design, int runs, int concurrency, Duration latency, Path tmp, PrintStream quiet)
            throws IOException, CommandException {
        double[] ms = new double[runs];
        Map<String, Integer> calls = Map.of();
        int attempts = 0;
        int max = 0;
        int refused = 0;
        for (int r = 0; r < runs; r++) {
            try (Local local = Local.start(latency)) {
                local.account.provide(design);
                Plan plan = new Planner().plan(design, (EndpointDesign) null);
                local.account.resetCallCounts();
                long s = System.nanoTime();
                ApplyReport report = local.executor(quiet).concurrency(concurrency).apply(plan, tmp.resolve("apply-" + concurrency + "-" + r + ".json"));
                ms[r] = (System.nanoTime() - s) / 1e6;
                if (!report.succeeded()) {
                    throw new CommandException(ExitCode.FAILED, "the benchmark apply failed: " + report.render());
                }
                calls = local.session.calls().operations();
                attempts = local.session.calls().httpAttempts();
                max = Math.max(max, local.account.maxConcurrentOperations());
                refused += local.account.rejectedForConcurrency();
            }
        }
        return new Applied(ms, calls, attempts, max, refused);
    }

    static final String[] SUBNETS = { "subnet-0local0000000001a", "subnet-0local0000000001b", "subnet-0local0000000001c" };

    @Override
    public String name() {
        return "bench aws";
    }

    @Override
    public String summary() {
        return "benchmark plan and apply of a 200-route, 200-rule design against the embedded local account";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("routes", "N", "routes in the design (default 200; at most 100 per target network, 3 target networks)"),
                Option.value("rules", "N", "authorization rules in the design (default 200, the quota)"),
                Option.value("changes", "N", "routes and rules replaced in the changed design (default 10 of each)"),
                Option.value("runs", "N", "timed plan runs (default 7; the median is printed)"),
                Option.value("warmup", "N", "untimed plan runs first (default 3)"),
                Option.value("apply-runs", "N", "timed applies, each to a fresh local account (default 3; 0 skips the apply)"),
                Option.value("latency-ms", "MS", "a delay the local account adds to every call, as AWS's own (default 0; 150 for the apply target)"),
                Option.value("concurrency", "N", "independent calls at once in the apply, 1..10 (default 10, AWS's limit per endpoint)"),
                Option.value("sequential-runs", "N", "timed sequential applies (one call at a time) to compare with (default 1; 0 skips them)"));
    }

    @Override
    public int run(CommandContext ctx, Arguments args) throws CommandException {
        args.expectAtMostPositionals(0);
        int routes = args.intValue("routes", 200);
        int rules = args.intValue("rules", 200);
        int changes = args.intValue("changes", 10);
        int runs = args.intValue("runs", 7);
        int warmup = args.intValue("warmup", 3);
        int applyRuns = args.intValue("apply-runs", 3);
        int latencyMs = args.intValue("latency-ms", 0);
        int concurrency = args.intValue("concurrency", PlanExecutor.AWS_CONCURRENT_OPERATIONS);
        int sequentialRuns = args.intValue("sequential-runs", 1);
        if (latencyMs < 0 || latencyMs > 10_000 || concurrency < 1 || concurrency > PlanExecutor.AWS_CONCURRENT_OPERATIONS || sequentialRuns < 0) {
            throw CommandException.badInput("--latency-ms must be 0..10000, --concurrency 1.." + PlanExecutor.AWS_CONCURRENT_OPERATIONS
                    + " (AWS's limit of concurrent operations per endpoint), --sequential-runs at least 0");
        }
        Duration latency = Duration.ofMillis(latencyMs);
        if (routes < 0 || routes > 300 || rules < 0 || rules > 200) {
            throw CommandException.badInput("--routes must be 0..300 (100 per target network) and --rules 0..200 (the quota)");
        }
        if (runs < 1 || warmup < 0 || applyRuns < 0 || changes < 0 || changes > Math.min(routes, rules)) {
            throw CommandException.badInput("--runs must be at least 1, --warmup and --apply-runs at least 0, --changes at most the routes and rules");
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Path tmp;
        try {
            tmp = Files.createTempDirectory("crew-bench-aws");
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "cannot create a temporary directory: " + e.getMessage());
        }
        EndpointDesign design = design(routes, rules, 0);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("routes", routes);
        result.put("rules", rules);
        result.put("cpus", Runtime.getRuntime().availableProcessors());
        result.put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try {
            // apply: each run to a fresh account, so every run creates the same endpoint from nothing
            Applied concurrent = applyRuns(design, applyRuns, concurrency, latency, tmp, quiet);
            Applied sequential = applyRuns > 0 && sequentialRuns > 0 && concurrency > 1 ? applyRuns(design, sequentialRuns, 1, latency, tmp, quiet) : null;
            double[] applyMs = concurrent.ms();
            Map<String, Integer> applyCalls = concurrent.calls();
            int applyAttempts = concurrent.attempts();
            try (Local local = Local.start(Duration.ZERO)) {
                local.account.provide(design);
                ApplyReport report = local.executor(quiet).apply(new Planner().plan(design, (EndpointDesign) null), tmp.resolve("apply.json"));
                if (!report.succeeded()) {
                    throw new CommandException(ExitCode.FAILED, "the benchmark apply failed: " + report.render());
                }
                EndpointDesign same = Designs.withEndpointId(design, report.endpointId());
                EndpointDesign changed = Designs.withEndpointId(design(routes, rules, changes), report.endpointId());
                AccountReader reader = new AccountReader(local.session);
                Measured unchanged = measure(local, reader, same, warmup, runs);
                if (!unchanged.plan.isEmpty()) {
                    throw new CommandException(ExitCode.INTERNAL, "the design planned against the account holding it has changes:\n" + unchanged.plan.render());
                }
                Measured withChanges = measure(local, reader, changed, warmup, runs);

                if (ctx.json()) {
                    result.put("planTargetMs", PLAN_TARGET_MS);
                    result.put("planNoChanges", unchanged.json());
                    result.put("planWithChanges", withChanges.json());
                    if (applyRuns > 0) {
                        Map<String, Object> a = new LinkedHashMap<>();
                        a.put("runs", applyRuns);
                        a.put("msMedian", median(applyMs));
                        a.put("msAll", applyMs);
                        a.put("apiCalls", applyCalls.values().stream().mapToInt(Integer::intValue).sum());
                        a.put("httpAttempts", applyAttempts);
                        a.put("apiCallsByOperation", applyCalls);
                        a.put("concurrency", concurrency);
                        a.put("latencyMsPerCall", latencyMs);
                        a.put("maxConcurrentOperations", concurrent.maxConcurrent());
                        a.put("refusedForConcurrency", concurrent.refused());
                        result.put("apply", a);
                        if (sequential != null) {
                            Map<String, Object> q = new LinkedHashMap<>();
                            q.put("runs", sequential.ms().length);
                            q.put("msMedian", median(sequential.ms()));
                            q.put("msAll", sequential.ms());
                            q.put("maxConcurrentOperations", sequential.maxConcurrent());
                            result.put("applySequential", q);
                        }
                        if (latencyMs > 0) {
                            result.put("applyTargetMs", APPLY_TARGET_MS);
                            result.put("applyTargetMet", median(applyMs) < APPLY_TARGET_MS && concurrent.refused() == 0
                                    && concurrent.maxConcurrent() <= PlanExecutor.AWS_CONCURRENT_OPERATIONS);
                        }
                    }
                    result.put("planTargetMet", unchanged.median() < PLAN_TARGET_MS && withChanges.median() < PLAN_TARGET_MS);
                    ctx.printJson(result);
                } else {
                    PrintStream out = ctx.out();
                    out.printf("crew bench aws: embedded local account on loopback, unmodified AWS SDK (URLConnection client); %d CPUs, load average %.1f%n",
                            Runtime.getRuntime().availableProcessors(), result.get("loadAverage"));
                    out.printf("design: %d routes, %d authorization rules, %d target networks; plan: median of %d runs after %d warm-up%n%n", routes, rules,
                            SUBNETS.length, runs, warmup);
                    out.printf("%-42s %10s %10s %10s %9s %9s  %s%n", "what", "median ms", "min ms", "max ms", "API calls", "HTTP", "calls by operation");
                    unchanged.print(out, "plan, no changes");
                    withChanges.print(out, "plan, " + changes + " routes + " + changes + " rules changed");
                    if (applyRuns > 0) {
                        out.printf("%-42s %10.1f %10.1f %10.1f %9d %9d  %s%n", "apply, new endpoint, " + concurrency + " at once (" + applyRuns + " runs)",
                                median(applyMs), Arrays.stream(applyMs).min().orElse(0), Arrays.stream(applyMs).max().orElse(0),
                                applyCalls.values().stream().mapToInt(Integer::intValue).sum(), applyAttempts, applyCalls);
                        if (sequential != null) {
                            out.printf("%-42s %10.1f %10.1f %10.1f %9d %9d%n", "apply, new endpoint, sequential (" + sequential.ms().length + " runs)",
                                    median(sequential.ms()), Arrays.stream(sequential.ms()).min().orElse(0), Arrays.stream(sequential.ms()).max().orElse(0),
                                    sequential.calls().values().stream().mapToInt(Integer::intValue).sum(), sequential.attempts());
                        }
                        out.printf("apply: %d ms latency per call; at most %d changes of the endpoint at once (AWS's limit: %d), %d refused for "
                                + "concurrency%n", latencyMs, concurrent.maxConcurrent(), PlanExecutor.AWS_CONCURRENT_OPERATIONS, concurrent.refused());
                        if (latencyMs > 0) {
                            boolean applyMet = median(applyMs) < APPLY_TARGET_MS && concurrent.refused() == 0;
                            out.printf("apply target (under %.0f ms at %d ms per call, never over the limit): %s%n", APPLY_TARGET_MS, latencyMs,
                                    applyMet ? "met" : "NOT met");
                        }
                    }
                    boolean met = unchanged.median() < PLAN_TARGET_MS && withChanges.median() < PLAN_TARGET_MS;
                    out.printf("%nplan target (under %.0f ms for the design against the local account): %s%n", PLAN_TARGET_MS, met ? "met" : "NOT met");
                    if (routes != 200 || rules != 200) {
                        out.println("(the target is stated for 200 routes and 200 rules; this run used other sizes)");
                    }
                }
            }
            return ExitCode.OK;
        } catch (SdkException e) {
            throw new CommandException(ExitCode.FAILED, AwsErrors.describe(e));
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "benchmark: " + e.getMessage());
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Plan timings of one design: the median, min and max of the timed runs, and the calls of the last one. */
    record Measured(double[] ms, Plan plan, Map<String, Integer> calls, int httpAttempts) {
        double median() {
            return BenchAwsCommand.median(ms);
        }

        void print(PrintStream out, String what) {
            out.printf("%-42s %10.1f %10.1f %10.1f %9d %9d  %s%n", what + " (" + plan.steps().size() + " steps)", median(),
                    Arrays.stream(ms).min().orElse(0), Arrays.stream(ms).max().orElse(0), calls.values().stream().mapToInt(Integer::intValue).sum(),
                    httpAttempts, calls);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runs", ms.length);
            m.put("msMedian", median());
            m.put("msAll", ms);
            m.put("steps", plan.steps().size());
            m.put("apiCalls", calls.values().stream().mapToInt(Integer::intValue).sum());
            m.put("httpAttempts", httpAttempts);
            m.put("apiCallsByOperation", calls);
            return m;
        }
    }

    private static Measured measure(Local local, AccountReader reader, EndpointDesign design, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) {
            new Planner().plan(design, reader);
        }
        double[] ms = new double[runs];
        Plan plan = null;
        Map<String, Integer> calls = Map.of();
        int attempts = 0;
        for (int i = 0; i < runs; i++) {
            local.session.calls().reset();
            long s = System.nanoTime();
            plan = new Planner().plan(design, reader);
            ms[i] = (System.nanoTime() - s) / 1e6;
            calls = local.session.calls().operations();
            attempts = local.session.calls().httpAttempts();
        }
        return new Measured(ms, plan, calls, attempts);
    }

    /**
     * The benchmark design: CRE on, three target networks, routes spread over them, rules half for all users and
     * half for groups. {@code changed} routes and rules at the end are replaced by others.
     */
    static EndpointDesign design(int routes, int rules, int changed) {
        String ca = "arn:aws:acm:us-east-1:000000000000:certificate/crew-bench-client-ca";
        ClientVpnEndpoint e = new ClientVpnEndpoint(null, "crew bench", null, null, null, Cidr.parse("172.16.0.0/22"),
                "arn:aws:acm:us-east-1:000000000000:certificate/crew-bench-server", List.of(AuthenticationOption.certificate(ca)), null,
                List.of(IpAddress.parse("10.0.0.2")), null, 443, true, List.of(), null, false, null, 24, null, true, true, null, null, null,
                Map.of("Name", "crew bench"));
        List<TargetNetwork> targets = new ArrayList<>();
        for (String s : SUBNETS) {
            targets.add(new TargetNetwork(null, s, null, null, null, null, 0));
        }
        List<ClientVpnRoute> r = new ArrayList<>();
        for (int i = 0; i < routes; i++) {
            int n = i >= routes - changed ? i + 1000 : i;
            r.add(new ClientVpnRoute(cidr(n), SUBNETS[i % SUBNETS.length], null, null, "bench route " + n, null));
        }
        List<AuthorizationRule> a = new ArrayList<>();
        for (int i = 0; i < rules; i++) {
            int n = i >= rules - changed ? i + 1000 : i;
            a.add(i % 2 == 0 ? AuthorizationRule.allUsers(cidr(n), "bench rule " + n) : AuthorizationRule.group(cidr(n), "group-" + n, "bench rule " + n));
        }
        return new EndpointDesign("crew bench", e, targets, r, a);
    }

    /** Distinct /24s in 192.168.0.0/16 and beyond, never overlapping the local account's 10.0.0.0/16. */
    private static Cidr cidr(int n) {
        return Cidr.parse((192 + n / 65536) + "." + (168 + (n / 256) % 88) + "." + (n % 256) + ".0/24");
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    /** A fresh in-memory local account on a loopback port and a session to it. */
    private record Local(LocalAccount account, LocalAwsServer server, AwsSession session) implements AutoCloseable {
        static Local start(Duration latency) throws IOException {
            LocalAccount account = LocalAccount.inMemory();
            account.setDescribesUntilSettled(0);
            account.setLatency(latency);
            LocalAwsServer server = LocalAwsServer.start(account, 0);
            return new Local(account, server, new AwsSession(AwsTarget.local(server.endpoint(), "us-east-1")));
        }

        PlanExecutor executor(PrintStream progress) {
            return new PlanExecutor(session, progress).waiting(Duration.ofMillis(5), Duration.ofSeconds(60));
        }

        @Override
        public void close() {
            session.close();
            server.close();
        }
    }
}
