package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.model.endpoint.EndpointDesign;

/**
 * The plan of a design with 200 routes and 200 rules against an account holding the same pages its reads: one call
 * per kind, never one per item (the times are measured by {@code crew bench aws}, not asserted here).
 */
class PlanCallsTest {
    @TempDir
    Path dir;

    @Test
    void givenADesignOf200RoutesAnd200Rules_whenPlannedAgainstTheSame_thenFiveDescribeCallsAndNoChanges() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            f.account.setDescribesUntilSettled(0);
            EndpointDesign design = f.design(200, 200, List.of(LocalAccountFixture.SUBNET_A, LocalAccountFixture.SUBNET_B, LocalAccountFixture.SUBNET_C));
            ApplyReport r = f.executor(new PrintStream(new ByteArrayOutputStream())).apply(new Planner().plan(design, (EndpointDesign) null),
                    dir.resolve("s.json"));
            assertTrue(r.succeeded(), r.render());
            f.session.calls().reset();
            Plan plan = new Planner().plan(LocalAccountFixture.withId(design, r.endpointId()), new AccountReader(f.session));
            assertTrue(plan.isEmpty(), plan.render());
            assertEquals(Map.of("DescribeClientVpnEndpoints", 1, "DescribeClientVpnTargetNetworks", 1, "DescribeSubnets", 1, "DescribeClientVpnRoutes", 1,
                    "DescribeClientVpnAuthorizationRules", 1), f.session.calls().operations());
        }
    }
}
