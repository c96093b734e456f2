package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import crew.model.endpoint.EndpointDesign;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Every Client VPN error code of the local account reaches the user as a clear message; throttling and 5xx are retried. */
class RetryAndErrorsTest {
    @TempDir
    Path dir;

    private static void assertRefused(String code, String advice, Executable call) {
        SdkException e = assertThrows(SdkException.class, call);
        String message = AwsErrors.describe(e);
        assertEquals(code, AwsErrors.code(e), message);
        assertTrue(message.startsWith("AWS refused (" + code + ", HTTP 400): "), message);
        assertTrue(message.contains(advice), message);
    }

    @Test
    void givenEveryClientVpnRuleBroken_whenCalled_thenEachErrorCodeIsSurfacedWithAdvice() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(0, 0, List.of(LocalAccountFixture.SUBNET_A));
            ApplyReport r = f.executor(new PrintStream(new ByteArrayOutputStream())).apply(new Planner().plan(design, (EndpointDesign) null),
                    dir.resolve("s.json"));
            assertTrue(r.succeeded(), r.render());
            String id = r.endpointId();
            Ec2Client ec2 = f.session.ec2();
            String a = LocalAccountFixture.SUBNET_A;

            ec2.createClientVpnRoute(x -> x.clientVpnEndpointId(id).destinationCidrBlock("10.50.0.0/16").targetVpcSubnetId(a));
            assertRefused("InvalidClientVpnDuplicateRoute", "already exists",
                    () -> ec2.createClientVpnRoute(x -> x.clientVpnEndpointId(id).destinationCidrBlock("10.50.0.0/16").targetVpcSubnetId(a)));
            assertRefused("InvalidClientVpnRouteNotFound", "not on the endpoint",
                    () -> ec2.deleteClientVpnRoute(x -> x.clientVpnEndpointId(id).destinationCidrBlock("10.51.0.0/16").targetVpcSubnetId(a)));
            ec2.authorizeClientVpnIngress(x -> x.clientVpnEndpointId(id).targetNetworkCidr("10.50.0.0/16").authorizeAllGroups(true));
            assertRefused("InvalidClientVpnDuplicateAuthorizationRule", "identical authorization rule",
                    () -> ec2.authorizeClientVpnIngress(x -> x.clientVpnEndpointId(id).targetNetworkCidr("10.50.0.0/16").authorizeAllGroups(true)));
            assertRefused("InvalidClientVpnEndpointAuthorizationRuleNotFound", "not on the endpoint",
                    () -> ec2.revokeClientVpnIngress(x -> x.clientVpnEndpointId(id).targetNetworkCidr("10.52.0.0/16").revokeAllGroups(true)));
            assertRefused("InvalidClientVpnActiveAssociationNotFound", "not associated",
                    () -> ec2.createClientVpnRoute(x -> x.clientVpnEndpointId(id).destinationCidrBlock("10.53.0.0/16")
                            .targetVpcSubnetId(LocalAccountFixture.SUBNET_B)));
            assertRefused("InvalidClientVpnActiveAssociationNotFound", "not associated",
                    () -> ec2.disassociateClientVpnTargetNetwork(x -> x.clientVpnEndpointId(id).associationId("cvpn-assoc-nope")));
            assertRefused("InvalidClientVpnSubnetId.DuplicateAz", "one subnet per AZ",
                    () -> ec2.associateClientVpnTargetNetwork(x -> x.clientVpnEndpointId(id).subnetId(LocalAccountFixture.SUBNET_A2)));
            assertRefused("InvalidClientVpnSubnetId.DifferentAccount", "belongs to another account",
                    () -> ec2.associateClientVpnTargetNetwork(x -> x.clientVpnEndpointId(id).subnetId(crew.aws.local.LocalAccount.SHARED_SUBNET)));
            assertRefused("InvalidClientVpnSubnetId.NotFound", "no such subnet",
                    () -> ec2.associateClientVpnTargetNetwork(x -> x.clientVpnEndpointId(id).subnetId("subnet-0nothere")));
            assertRefused("InvalidClientVpnEndpointId.NotFound", "check --region and --profile",
                    () -> ec2.describeClientVpnRoutes(x -> x.clientVpnEndpointId("cvpn-endpoint-0000000000000dead")));
            for (int i = 0; i < 98; i++) {
                String cidr = "10.60." + i + ".0/24";
                ec2.createClientVpnRoute(x -> x.clientVpnEndpointId(id).destinationCidrBlock(cidr).targetVpcSubnetId(a));
            }
            assertRefused("ClientVpnRouteLimitExceeded", "100 routes per target network association",
                    () -> ec2.createClientVpnRoute(x -> x.clientVpnEndpointId(id).destinationCidrBlock("10.61.0.0/24").targetVpcSubnetId(a)));
            for (int i = 0; i < 199; i++) {
                String cidr = "10.70." + i + ".0/24";
                ec2.authorizeClientVpnIngress(x -> x.clientVpnEndpointId(id).targetNetworkCidr(cidr).authorizeAllGroups(true));
            }
            assertRefused("ClientVpnAuthorizationRuleLimitExceeded", "200 authorization rules per endpoint",
                    () -> ec2.authorizeClientVpnIngress(x -> x.clientVpnEndpointId(id).targetNetworkCidr("10.71.0.0/24").authorizeAllGroups(true)));

            // a second endpoint whose client CIDR overlaps the subnets
            String overlapping = ec2.createClientVpnEndpoint(PlanExecutor.createRequest(
                    new crew.model.endpoint.ClientVpnEndpoint(null, "overlap", null, null, null, crew.model.net.Cidr.parse("10.0.0.0/20"), f.serverArn,
                            design.endpoint().authenticationOptions(), null, null, null, 443, false, null, null, false, null, 24, null, false, true, null,
                            null, null, null), "overlap", null)).clientVpnEndpointId();
            assertRefused("InvalidClientVpnSubnetId.OverlappingCidr", "overlaps the client CIDR block",
                    () -> ec2.associateClientVpnTargetNetwork(x -> x.clientVpnEndpointId(overlapping).subnetId(a)));
            for (int i = 0; i < 3; i++) {
                ec2.createClientVpnEndpoint(PlanExecutor.createRequest(design.endpoint(), "more", null));
            }
            assertRefused("ClientVpnEndpointLimitExceeded", "5 Client VPN endpoints per region",
                    () -> ec2.createClientVpnEndpoint(PlanExecutor.createRequest(design.endpoint(), "sixth", null)));
        }
    }

    @Test
    void givenThrottlingAnd5xx_whenReading_thenTheSdkRetriesAndSucceeds() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null)) {
            f.account.injectFault("DescribeClientVpnEndpoints", 2, 503, "RequestLimitExceeded");
            assertEquals(0, new AccountReader(f.session).endpoints().size());
            assertEquals(3, f.account.calls("DescribeClientVpnEndpoints"), "two throttled attempts and one answer");

            f.account.injectFault("DescribeSubnets", 2, 500, "InternalError");
            assertEquals(6, f.session.ec2().describeSubnets().subnets().size());
            assertEquals(3, f.account.calls("DescribeSubnets"));
            assertEquals(1, f.session.calls().operations().get("DescribeSubnets"), "one API operation, three HTTP attempts");
        }
    }

    @Test
    void givenThrottledAndFailingWrites_whenApplied_thenTheSdkRetriesWithTheSameClientTokenAndTheApplyCompletes() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(3, 3, List.of(LocalAccountFixture.SUBNET_A));
            f.account.injectFault("CreateClientVpnEndpoint", 1, 503, "RequestLimitExceeded");
            f.account.injectFault("CreateClientVpnRoute", 1, 2, 500, "InternalError");
            f.account.injectFault("AuthorizeClientVpnIngress", 2, 1, 503, "ServiceUnavailable");
            ApplyReport r = f.executor(new PrintStream(new ByteArrayOutputStream())).apply(new Planner().plan(design, (EndpointDesign) null),
                    dir.resolve("s.json"));
            assertTrue(r.succeeded(), r.render());
            assertEquals(2, f.account.calls("CreateClientVpnEndpoint"), "one throttled attempt, one answer");
            assertEquals(1, f.session.calls().operations().get("CreateClientVpnEndpoint"));
            assertEquals(3 + 2, f.account.calls("CreateClientVpnRoute"));
            assertEquals(3 + 1, f.account.calls("AuthorizeClientVpnIngress"));
            assertEquals(1, new AccountReader(f.session).endpoints().size(), "retries did not create a second endpoint");
            assertTrue(new Planner().plan(LocalAccountFixture.withId(design, r.endpointId()), new AccountReader(f.session)).isEmpty());
        }
    }

    @Test
    void givenThrottlingBeyondTheRetries_whenReading_thenTheMessageSaysToWait() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null)) {
            f.account.injectFault("DescribeClientVpnEndpoints", 10, 503, "RequestLimitExceeded");
            SdkException e = assertThrows(SdkException.class, () -> new AccountReader(f.session).endpoints());
            assertTrue(AwsErrors.describe(e).contains("RequestLimitExceeded"), AwsErrors.describe(e));
            assertTrue(AwsErrors.describe(e).contains("throttled"), AwsErrors.describe(e));
        }
    }
}
