package crew.aws;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.model.endpoint.EndpointDesign;

/**
 * Benchmark harness (prints figures, asserts no timing): plan a design of 200 routes and 200 rules against a local
 * account holding the same, and count the API calls. Figures are recorded in docs/aws.md.
 */
class PlanBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void benchmarkPlanOf200RoutesAnd200Rules() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            f.account.setDescribesUntilSettled(0);
            EndpointDesign design = f.design(200, 200, List.of(LocalAccountFixture.SUBNET_A, LocalAccountFixture.SUBNET_B, LocalAccountFixture.SUBNET_C));
            long t0 = System.nanoTime();
            ApplyReport r = f.executor(new PrintStream(new ByteArrayOutputStream())).apply(new Planner().plan(design, (EndpointDesign) null),
                    dir.resolve("s.json"));
            long applyMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(r.succeeded(), r.render());
            int applyCalls = f.session.calls().totalOperations();
            EndpointDesign same = LocalAccountFixture.withId(design, r.endpointId());
            AccountReader reader = new AccountReader(f.session);
            new Planner().plan(same, reader); // warm-up
            long best = Long.MAX_VALUE;
            int calls = 0;
            java.util.Map<String, Integer> byOperation = null;
            for (int i = 0; i < 5; i++) {
                f.session.calls().reset();
                long s = System.nanoTime();
                Plan plan = new Planner().plan(same, reader);
                best = Math.min(best, System.nanoTime() - s);
                assertTrue(plan.isEmpty(), plan.render());
                calls = f.session.calls().totalOperations();
                byOperation = f.session.calls().operations();
            }
            System.out.printf("BENCH aws plan: 200 routes + 200 rules, no changes: best of 5 %.1f ms, %d API calls %s%n", best / 1e6, calls, byOperation);
            System.out.printf("BENCH aws apply: new endpoint, 3 associations, 200 routes, 200 rules: %d ms, %d API calls%n", applyMs, applyCalls);
        }
    }
}
