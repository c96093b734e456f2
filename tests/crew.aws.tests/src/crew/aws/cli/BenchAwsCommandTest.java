package crew.aws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.ExitCode;

/** {@code crew bench aws} runs with small sizes and prints its figures (no timing is asserted). */
class BenchAwsCommandTest {
    @TempDir
    Path dir;

    private String run(boolean json, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), dir, json);
        BenchAwsCommand command = new BenchAwsCommand();
        int code = command.run(context, Arguments.parse(List.of(args), command.options()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.OK, code, text + err.toString(StandardCharsets.UTF_8));
        return text;
    }

    @Test
    void givenSmallSizes_whenRun_thenItPrintsTimesCallsByOperationAndTheTargetVerdict() throws Exception {
        String text = run(false, "--routes", "12", "--rules", "8", "--changes", "2", "--runs", "2", "--warmup", "1", "--apply-runs", "1");
        assertTrue(text.contains("design: 12 routes, 8 authorization rules, 3 target networks"), text);
        assertTrue(text.contains("plan, no changes (0 steps)"), text);
        assertTrue(text.contains("plan, 2 routes + 2 rules changed (8 steps)"), text);
        assertTrue(text.contains("apply, new endpoint, 10 at once (1 runs)"), text);
        assertTrue(text.contains("apply, new endpoint, sequential (1 runs)"), text);
        assertTrue(text.contains("refused for concurrency"), text);
        assertTrue(text.contains("DescribeClientVpnRoutes=1"), text);
        assertTrue(text.contains("CreateClientVpnRoute=12"), text);
        assertTrue(text.matches("(?s).*plan target \\(under 2000 ms for the design against the local account\\): (met|NOT met).*"), text);
        System.out.println(text);
    }

    @Test
    void givenALatencyPerCall_whenRun_thenTheConcurrentApplyStaysWithinAwssLimitAndIsComparedWithTheSequentialOne() throws Exception {
        JsonObject o = JsonParser.parseString(run(true, "--routes", "30", "--rules", "30", "--changes", "1", "--runs", "1", "--warmup", "0",
                "--apply-runs", "1", "--sequential-runs", "1", "--latency-ms", "20")).getAsJsonObject();
        JsonObject apply = o.getAsJsonObject("apply");
        assertEquals(10, apply.get("concurrency").getAsInt());
        assertEquals(20, apply.get("latencyMsPerCall").getAsInt());
        assertTrue(apply.get("maxConcurrentOperations").getAsInt() <= 10, apply.toString());
        assertTrue(apply.get("maxConcurrentOperations").getAsInt() > 1, "calls ran concurrently: " + apply);
        assertEquals(0, apply.get("refusedForConcurrency").getAsInt());
        assertEquals(1, o.getAsJsonObject("applySequential").get("maxConcurrentOperations").getAsInt(), "the sequential apply: one at a time");
        assertTrue(o.has("applyTargetMet"));
    }

    /** The figures of docs/aws.md: CREW_BENCH_AWS_ARGS="--latency-ms 150" runs the full benchmark and prints it. */
    @Test
    void givenBenchArgumentsInTheEnvironment_whenRun_thenTheFullBenchmarkIsPrinted() throws Exception {
        String args = System.getenv("CREW_BENCH_AWS_ARGS");
        org.junit.jupiter.api.Assumptions.assumeTrue(args != null && !args.isBlank(), "a manual benchmark run (CREW_BENCH_AWS_ARGS)");
        System.out.println(run(false, args.trim().split("\\s+")));
    }

    @Test
    void givenJson_whenRun_thenTheFiguresAreFields() throws Exception {
        JsonObject o = JsonParser.parseString(run(true, "--routes", "6", "--rules", "4", "--changes", "1", "--runs", "1", "--warmup", "0",
                "--apply-runs", "0")).getAsJsonObject();
        assertEquals(6, o.get("routes").getAsInt());
        JsonObject plan = o.getAsJsonObject("planNoChanges");
        assertEquals(0, plan.get("steps").getAsInt());
        assertTrue(plan.get("apiCalls").getAsInt() >= 4, plan.toString());
        assertEquals(4, o.getAsJsonObject("planWithChanges").get("steps").getAsInt());
        assertTrue(o.has("planTargetMet"));
        assertTrue(!o.has("apply"), "--apply-runs 0 skips the apply");
    }
}
