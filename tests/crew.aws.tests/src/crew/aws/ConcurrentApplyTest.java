package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.model.endpoint.EndpointDesign;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The apply at AWS's pace: independent calls run concurrently within AWS's limit of 10 concurrent operations per
 * endpoint, which the local account enforces with AWS's error; an interrupted concurrent apply resumes; the plan of a
 * new endpoint resets no connections (it has none).
 */
class ConcurrentApplyTest {
    @TempDir
    Path dir;

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    @Test
    void givenALatencyPerCall_whenAppliedTenAtATime_thenTheLimitIsReachedNeverPassedAndTheAccountHoldsTheDesign() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            f.account.setLatency(Duration.ofMillis(40));
            EndpointDesign design = f.design(60, 60, List.of(LocalAccountFixture.SUBNET_A, LocalAccountFixture.SUBNET_B, LocalAccountFixture.SUBNET_C));
            Plan plan = new Planner().plan(design, (EndpointDesign) null);
            f.account.resetCallCounts();
            ApplyReport report = f.executor(quiet()).concurrency(10).apply(plan, dir.resolve("state.json"));
            assertTrue(report.succeeded(), report.render());
            assertEquals(10, f.account.maxConcurrentOperations(), "ten changes of the endpoint at once, no more");
            assertEquals(0, f.account.rejectedForConcurrency());
            Plan again = new Planner().plan(LocalAccountFixture.withId(design, report.endpointId()), new AccountReader(f.session));
            assertTrue(again.isEmpty(), again.render());
        }
    }

    @Test
    void givenMoreThanTenChangesAtOnce_whenSent_thenTheEleventhGetsAwssConcurrentMutationLimitExceeded() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(0, 0, List.of(LocalAccountFixture.SUBNET_A));
            ApplyReport made = f.executor(quiet()).apply(new Planner().plan(design, (EndpointDesign) null), dir.resolve("s.json"));
            assertTrue(made.succeeded(), made.render());
            f.account.setLatency(Duration.ofMillis(400));
            List<String> codes = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                int n = i;
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        f.session.ec2().authorizeClientVpnIngress(r -> r.clientVpnEndpointId(made.endpointId()).targetNetworkCidr("10.9." + n + ".0/24")
                                .authorizeAllGroups(true));
                        codes.add("ok");
                    } catch (AwsServiceException e) {
                        codes.add(e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(10, codes.stream().filter("ok"::equals).count(), codes.toString());
            assertTrue(codes.contains("ConcurrentMutationLimitExceeded: Cannot initiate another change for this endpoint at this time. Please try again later."),
                    codes.toString());
            assertEquals(4, f.account.rejectedForConcurrency());
            String advice = AwsErrors.describe(new PlanExecutorProbe().sdkError());
            assertTrue(advice.contains("more than 10 changes of this endpoint at once"), advice);
        }
    }

    @Test
    void givenAConcurrentApplyThatFails_whenResumed_thenItCompletesWithoutDuplicates() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(40, 40, List.of(LocalAccountFixture.SUBNET_A, LocalAccountFixture.SUBNET_B));
            Path state = dir.resolve("resume.json");
            f.account.injectFault("CreateClientVpnRoute", 15, 1, 400, "InvalidParameterValue");
            ApplyReport failed = f.executor(quiet()).concurrency(10).apply(new Planner().plan(design, (EndpointDesign) null), state);
            assertFalse(failed.succeeded());
            assertEquals("InvalidParameterValue", failed.failureCode(), failed.render());
            ApplyReport resumed = f.executor(quiet()).concurrency(10).resume(state);
            assertTrue(resumed.succeeded(), resumed.render());
            EndpointDesign pulled = new AccountReader(f.session).design(resumed.endpointId());
            assertEquals(40 + 2, pulled.routes().size(), "40 routes and one association route per subnet, none twice");
            assertEquals(40, pulled.authorizationRules().size());
            assertTrue(new Planner().plan(LocalAccountFixture.withId(design, resumed.endpointId()), pulled).isEmpty());
        }
    }

    @Test
    void givenANewEndpoint_whenPlanned_thenNoStepResetsConnections() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            Plan plan = new Planner().plan(f.design(3, 3, List.of(LocalAccountFixture.SUBNET_A)), (EndpointDesign) null);
            assertTrue(plan.steps().stream().noneMatch(PlanStep::resetsConnections), plan.render());
            assertFalse(plan.render().contains("resets client connections"), plan.render());
        }
    }

    /** AwsErrors has advice for the concurrency error: built from the same code. */
    private static final class PlanExecutorProbe {
        AwsServiceException sdkError() {
            return AwsServiceException.builder().awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                    .errorCode("ConcurrentMutationLimitExceeded").errorMessage("Cannot initiate another change").build()).statusCode(400).build();
        }
    }
}
