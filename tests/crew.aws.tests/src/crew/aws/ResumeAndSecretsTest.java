package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.model.endpoint.EndpointDesign;

class ResumeAndSecretsTest {
    @TempDir
    Path dir;

    @Test
    void givenAnApplyThatFailsHalfwayThroughTheRoutes_whenResumed_thenItFinishesAndNothingIsLeftToChange() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(10, 4, List.of(LocalAccountFixture.SUBNET_A, LocalAccountFixture.SUBNET_B));
            Plan plan = new Planner().plan(design, (EndpointDesign) null);
            Path state = dir.resolve("apply-state.json");
            // the 6th route creation is refused (not retryable): the apply stops there
            f.account.injectFault("CreateClientVpnRoute", 5, 1, 400, "ClientVpnRouteLimitExceeded");
            ApplyReport stopped = f.executor(new PrintStream(new ByteArrayOutputStream())).apply(plan, state);
            assertFalse(stopped.succeeded());
            assertEquals("ClientVpnRouteLimitExceeded", stopped.failureCode());
            assertEquals(1 + 2 + 5, stopped.done().size(), stopped.render());
            assertEquals(4 + 4, stopped.notDone().size(), stopped.render());
            assertTrue(stopped.render().contains("Apply stopped at the first failure"), stopped.render());
            assertEquals(1 + 2 + 5, ApplyState.load(state).done().size());

            ApplyReport resumed = f.executor(new PrintStream(new ByteArrayOutputStream())).resume(state);
            assertTrue(resumed.succeeded(), resumed.render());
            assertEquals(stopped.endpointId(), resumed.endpointId());
            assertTrue(ApplyState.load(state).complete());
            Plan after = new Planner().plan(LocalAccountFixture.withId(design, resumed.endpointId()), new AccountReader(f.session));
            assertTrue(after.isEmpty(), after.render());
            assertEquals(1, new AccountReader(f.session).endpoints().size(), "the resume did not create a second endpoint");
        }
    }

    @Test
    void givenAStepDoneButNotRecorded_whenResumed_thenTheClientTokenMakesItIdempotent() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(2, 2, List.of(LocalAccountFixture.SUBNET_A));
            Path state = dir.resolve("apply-state.json");
            Plan plan = new Planner().plan(design, (EndpointDesign) null);
            // simulate a crash after CreateClientVpnEndpoint went through but before the state file recorded it
            ApplyState fresh = new ApplyState("crash-test", plan, null, List.of());
            fresh.save(state);
            f.session.ec2().createClientVpnEndpoint(PlanExecutor.createRequest(design.endpoint(), "corp", "crash-test-0"));
            ApplyReport report = f.executor(new PrintStream(new ByteArrayOutputStream())).resume(state);
            assertTrue(report.succeeded(), report.render());
            assertEquals(1, new AccountReader(f.session).endpoints().size(), "same client token, same endpoint");
        }
    }

    @Test
    void givenAFullApplyWithSdkDebugLogging_whenLogsAndFilesAreSearched_thenTheSecretKeyIsNowhere() throws Exception {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Path accountFile = dir.resolve("aws-local.json");
        Path state = dir.resolve("apply-state.json");
        String id;
        System.setOut(capture);
        System.setErr(capture);
        try (LocalAccountFixture f = new LocalAccountFixture(dir, accountFile).importCertificates()) {
            org.slf4j.LoggerFactory.getLogger("software.amazon.awssdk.request").debug("capture check");
            EndpointDesign design = f.design(5, 5, List.of(LocalAccountFixture.SUBNET_A, LocalAccountFixture.SUBNET_B));
            ApplyReport report = f.executor(System.out).apply(new Planner().plan(design, (EndpointDesign) null), state);
            assertTrue(report.succeeded(), report.render());
            id = report.endpointId();
            System.out.println(new AccountReader(f.session).pull(id));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("capture check"), "the SDK's logger writes into the capture");
        assertTrue(log.contains("done + route"), "the apply's progress is in the capture");
        String secret = AwsTarget.LOCAL_SECRET_KEY;
        assertFalse(log.contains(secret), "secret key in the log output");
        assertFalse(Files.readString(state).contains(secret), "secret key in the apply state");
        assertFalse(Files.readString(accountFile).contains(secret), "secret key in the local account");
        assertFalse(Files.readString(accountFile).contains("PRIVATE KEY"), "private key material in the local account");
        originalOut.println("captured " + log.length() + " characters of log output for endpoint " + id);
    }
}
