package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.endpoint.TransportProtocol;
import crew.model.net.Cidr;
import crew.testing.Prerequisites;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** The unmodified AWS SDK against the embedded local Client VPN API: import, plan, apply, pull, plan again. */
class LocalAccountRoundTripTest {

    static final String VPC = "vpc-0local00000000001";

    @TempDir
    Path dir;
    LocalAwsServer server;
    AwsSession session;

    @BeforeEach
    void start() throws Exception {
        server = LocalAwsServer.start(LocalAccount.inMemory(), 0);
        session = new AwsSession(AwsTarget.local(server.endpoint(), "us-east-1"));
    }

    @AfterEach
    void stop() {
        session.close();
        server.close();
    }

    String importCert(String name) throws Exception {
        Prerequisites.requireExecutable("openssl", "generates the PEM certificates imported into the local ACM");
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + name).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        String arn = new CertificateImporter(session).importPem(cert, key, null);
        assertTrue(arn.startsWith("arn:aws:acm:"), arn);
        return arn;
    }

    EndpointDesign design(String serverArn, String caArn, String id, int routes, int rules) {
        ClientVpnEndpoint e = new ClientVpnEndpoint(id, "crew test", null, null, null, Cidr.parse("172.16.0.0/22"), serverArn,
                List.of(AuthenticationOption.certificate(caArn)), null, null, TransportProtocol.UDP, 443, true, null, VPC, false,
                null, 24, null, true, false, null, null, null, null);
        List<TargetNetwork> targets = List.of(new TargetNetwork(null, "subnet-0local0000000001a", VPC, null, null, null, 0),
                new TargetNetwork(null, "subnet-0local0000000001b", VPC, null, null, null, 0));
        List<ClientVpnRoute> rs = new ArrayList<>();
        List<AuthorizationRule> as = new ArrayList<>();
        for (int i = 0; i < routes; i++) {
            rs.add(new ClientVpnRoute(Cidr.parse("10." + (100 + i / 200) + "." + (i % 200) + ".0/24"), "subnet-0local0000000001a", null, null, "r" + i, null));
        }
        for (int i = 0; i < rules; i++) {
            as.add(AuthorizationRule.allUsers(Cidr.parse("10." + (100 + i / 200) + "." + (i % 200) + ".0/24"), "a" + i));
        }
        return new EndpointDesign("test", e, targets, rs, as);
    }

    EndpointDesign withId(EndpointDesign d, String id) {
        ClientVpnEndpoint e = d.endpoint();
        ClientVpnEndpoint n = new ClientVpnEndpoint(id, e.description(), e.status(), e.creationTime(), e.dnsName(), e.clientCidrBlock(),
                e.serverCertificateArn(), e.authenticationOptions(), e.connectionLogOptions(), e.dnsServers(), e.transportProtocol(),
                e.vpnPort(), e.splitTunnel(), e.securityGroupIds(), e.vpcId(), e.selfServicePortal(), e.clientConnectOptions(),
                e.sessionTimeoutHours(), e.clientLoginBannerOptions(), e.clientRouteEnforcement(), e.disconnectOnSessionTimeout(),
                e.endpointIpAddressType(), e.trafficIpAddressType(), e.transitGatewayId(), e.tags());
        return new EndpointDesign(d.name(), n, d.targetNetworks(), d.routes(), d.authorizationRules());
    }

    PlanExecutor executor(PrintStream out) {
        return new PlanExecutor(session, out).waiting(Duration.ofMillis(10), Duration.ofSeconds(20));
    }

    @Test
    void applyThenPullLeavesNoChanges() throws Exception {
        String server = importCert("server");
        String ca = importCert("ca");
        EndpointDesign want = design(server, ca, null, 5, 5);
        Plan plan = new Planner().plan(want, (EndpointDesign) null);
        assertTrue(plan.render().contains("+"), plan.render());
        ApplyReport report = executor(new PrintStream(new ByteArrayOutputStream())).apply(plan, dir.resolve("apply.json"));
        assertTrue(report.succeeded(), report.render());
        assertNotNull(report.endpointId());

        AccountReader reader = new AccountReader(session);
        assertEquals(1, reader.endpoints().size());
        PulledEndpoint pulled = reader.pull(report.endpointId());
        assertTrue(pulled.design().endpoint().clientRouteEnforcement());
        assertEquals(2, pulled.design().targetNetworks().size());
        assertNotNull(pulled.clientConfiguration());

        Plan again = new Planner().plan(withId(want, report.endpointId()), reader);
        assertTrue(again.isEmpty(), again.render());

        // a create-only field needs a new endpoint; a resetting field is marked
        EndpointDesign changed = withId(design(server, ca, report.endpointId(), 4, 5), report.endpointId());
        Plan removal = new Planner().plan(changed, reader);
        assertEquals(1, removal.count('-'), removal.render());
        ApplyReport second = executor(new PrintStream(new ByteArrayOutputStream())).apply(removal, dir.resolve("apply2.json"));
        assertTrue(second.succeeded(), second.render());
        assertTrue(new Planner().plan(changed, reader).isEmpty());
    }

    @Test
    void throttlingAnd5xxAreRetriedBySdk() throws Exception {
        LocalAccount account = server.account();
        account.injectFault("DescribeClientVpnEndpoints", 2, 503, "RequestLimitExceeded");
        assertEquals(0, new AccountReader(session).endpoints().size());
        account.injectFault("DescribeClientVpnEndpoints", 1, 500, "InternalError");
        assertEquals(0, new AccountReader(session).endpoints().size());
        assertTrue(session.calls().httpAttempts() >= 5, "retries: " + session.calls().httpAttempts());
    }

    @Test
    void errorCodesSurfaceAsClearMessages() {
        Ec2Exception e = assertThrows(Ec2Exception.class, () -> new AccountReader(session).routes("cvpn-endpoint-0000000000000000f"));
        String text = AwsErrors.describe(e);
        assertTrue(text.contains("InvalidClientVpnEndpointId.NotFound"), text);
    }

    @Test
    void interruptedApplyIsResumed() throws Exception {
        EndpointDesign want = design(importCert("server"), importCert("ca"), null, 6, 3);
        Plan plan = new Planner().plan(want, (EndpointDesign) null);
        server.account().injectFault("CreateClientVpnRoute", 2, 1, 400, "ClientVpnRouteLimitExceeded");
        Path state = dir.resolve("apply.json");
        ApplyReport first = executor(new PrintStream(new ByteArrayOutputStream())).apply(plan, state);
        assertFalse(first.succeeded());
        assertEquals("ClientVpnRouteLimitExceeded", first.failureCode(), first.render());
        assertFalse(first.notDone().isEmpty());
        ApplyReport resumed = executor(new PrintStream(new ByteArrayOutputStream())).resume(state);
        assertTrue(resumed.succeeded(), resumed.render());
        assertTrue(new Planner().plan(withId(want, resumed.endpointId()), new AccountReader(session)).isEmpty());
    }

    @Test
    void secretKeyNeverInLogsOrState() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream capture = new PrintStream(log, true, StandardCharsets.UTF_8);
        Path state = dir.resolve("apply.json");
        try {
            System.setOut(capture);
            System.setErr(capture);
            EndpointDesign want = design(importCert("server"), importCert("ca"), null, 3, 3);
            ApplyReport r = executor(capture).apply(new Planner().plan(want, (EndpointDesign) null), state);
            assertTrue(r.succeeded(), r.render());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertFalse(text.isEmpty());
        assertFalse(text.contains(AwsTarget.LOCAL_SECRET_KEY), "secret key in the log");
        assertFalse(Files.readString(state).contains(AwsTarget.LOCAL_SECRET_KEY), "secret key in the state file");
    }
}
