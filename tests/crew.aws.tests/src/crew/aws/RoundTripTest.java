package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** The unmodified SDK against the local account: apply a design, pull it back, and find nothing left to change. */
class RoundTripTest {
    @TempDir
    Path dir;

    @Test
    void givenANewDesign_whenAppliedAndPulledAgain_thenNoChangesAreLeft() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(12, 6, List.of(LocalAccountFixture.SUBNET_A, LocalAccountFixture.SUBNET_B));
            Plan plan = new Planner().plan(design, (EndpointDesign) null);
            assertTrue(plan.canApply(), plan.render());
            assertEquals(PlanStep.Action.CREATE_ENDPOINT, plan.steps().get(0).action());
            assertEquals(1 + 2 + 12 + 6, plan.steps().size(), plan.render());

            ApplyReport report = f.executor(new PrintStream(new ByteArrayOutputStream())).apply(plan, dir.resolve("state.json"));
            assertTrue(report.succeeded(), report.render());
            assertNotNull(report.endpointId());

            AccountReader reader = new AccountReader(f.session);
            PulledEndpoint pulled = reader.pull(report.endpointId());
            assertTrue(pulled.design().endpoint().clientRouteEnforcement(), "CRE comes back from the account");
            assertEquals(2, pulled.design().targetNetworks().size());
            assertEquals("us-east-1a", pulled.design().targetNetworks().get(0).availabilityZone());
            assertEquals(12 + 2, pulled.design().routes().size(), "12 added routes and one per association");
            assertTrue(pulled.design().routes().stream().allMatch(r -> "active".equals(r.status())));
            assertEquals(6, pulled.design().authorizationRules().size());
            assertTrue(pulled.clientConfiguration().contains("remote " + report.endpointId()), pulled.clientConfiguration());

            EndpointDesign applied = LocalAccountFixture.withId(design, report.endpointId());
            Plan again = new Planner().plan(applied, reader);
            assertTrue(again.isEmpty(), again.render());
            // and the pulled design itself plans to nothing
            assertTrue(new Planner().plan(pulled.design(), reader).isEmpty());
        }
    }

    @Test
    void givenChangedRoutesRulesAndSettings_whenPlanned_thenSignsResetsAndOrderAreShownAndApplyConverges() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(4, 4, List.of(LocalAccountFixture.SUBNET_A, LocalAccountFixture.SUBNET_B));
            ApplyReport first = f.executor(new PrintStream(new ByteArrayOutputStream())).apply(new Planner().plan(design, (EndpointDesign) null),
                    dir.resolve("s1.json"));
            assertTrue(first.succeeded(), first.render());
            f.account.connectClient(first.endpointId(), "alice", "172.16.0.66");
            AccountReader reader = new AccountReader(f.session);
            assertEquals("active", reader.connections(first.endpointId()).get(0).status());

            EndpointDesign d = LocalAccountFixture.withId(design, first.endpointId());
            ClientVpnEndpoint e = d.endpoint();
            ClientVpnEndpoint changed = new ClientVpnEndpoint(e.endpointId(), "corp v2", null, null, null, e.clientCidrBlock(), e.serverCertificateArn(),
                    e.authenticationOptions(), null, List.of(IpAddress.parse("10.0.0.2"), IpAddress.parse("10.0.0.3")), null, 443, true, List.of(), null,
                    false, null, 12, null, false, true, null, null, null, e.tags());
            // keep the routes via subnet A except the first; those via B go with B's association
            List<ClientVpnRoute> routes = new ArrayList<>(d.routes().subList(1, 4).stream().filter(r -> r.targetSubnet().equals(LocalAccountFixture.SUBNET_A)).toList());
            routes.add(new ClientVpnRoute(Cidr.parse("172.16.0.0/22"), "local", null, null, "client to client", null));
            List<AuthorizationRule> rules = new ArrayList<>(d.authorizationRules().subList(0, 3));
            rules.add(AuthorizationRule.allUsers(Cidr.parse("172.16.0.0/22"), "clients"));
            EndpointDesign next = new EndpointDesign(d.name(), changed, List.of(d.targetNetworks().get(0)), routes, rules);

            Plan plan = new Planner().plan(next, reader);
            String text = plan.render();
            assertTrue(text.contains("~ endpoint " + first.endpointId() + ": description corp -> corp v2; dnsServers"), text);
            assertTrue(text.contains("[resets client connections]"), text);
            assertTrue(text.contains("+ route 172.16.0.0/22 via local"), text);
            assertTrue(text.contains("- route 192.168.0.0/26 via " + LocalAccountFixture.SUBNET_A), text);
            assertTrue(text.contains("- authorization rule 192.168.0.192/26 for group group-3"), text);
            assertTrue(text.contains("- target network " + LocalAccountFixture.SUBNET_B), text);
            List<PlanStep.Action> order = plan.steps().stream().map(PlanStep::action).toList();
            for (int i = 1; i < order.size(); i++) {
                assertTrue(order.get(i - 1).ordinal() <= order.get(i).ordinal(), "ordered: " + order);
            }
            ApplyReport report = f.executor(new PrintStream(new ByteArrayOutputStream())).apply(plan, dir.resolve("s2.json"));
            assertTrue(report.succeeded(), report.render());
            assertTrue(new Planner().plan(next, reader).isEmpty(), new Planner().plan(next, reader).render());
            assertEquals("terminated", reader.connections(first.endpointId()).get(0).status(), "the DNS change reset the connection");
            assertFalse(reader.endpoint(first.endpointId()).clientRouteEnforcement());
        }
    }

    @Test
    void givenACreateOnlyChange_whenPlanned_thenItIsABlockerThatNeedsANewEndpoint() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(1, 1, List.of(LocalAccountFixture.SUBNET_A));
            ApplyReport first = f.executor(new PrintStream(new ByteArrayOutputStream())).apply(new Planner().plan(design, (EndpointDesign) null),
                    dir.resolve("s.json"));
            assertTrue(first.succeeded(), first.render());
            EndpointDesign d = LocalAccountFixture.withId(design, first.endpointId());
            ClientVpnEndpoint e = d.endpoint();
            ClientVpnEndpoint tcp = new ClientVpnEndpoint(e.endpointId(), e.description(), null, null, null, Cidr.parse("172.20.0.0/22"),
                    e.serverCertificateArn(), e.authenticationOptions(), null, e.dnsServers(), crew.model.endpoint.TransportProtocol.TCP, 443, true,
                    List.of(), null, false, null, 24, null, true, true, null, null, null, e.tags());
            Plan plan = new Planner().plan(new EndpointDesign(d.name(), tcp, d.targetNetworks(), d.routes(), d.authorizationRules()),
                    new AccountReader(f.session));
            assertFalse(plan.canApply());
            assertTrue(plan.render().contains("clientCidrBlock differs (172.16.0.0/22 -> 172.20.0.0/22): create-only, needs a new endpoint"), plan.render());
            assertTrue(plan.render().contains("transportProtocol differs"), plan.render());
        }
    }

    @Test
    void givenADesignBreakingAwsConstraints_whenPlanned_thenPreflightNamesEachProblem() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(2, 201, List.of(LocalAccountFixture.SUBNET_A));
            List<ClientVpnRoute> routes = new ArrayList<>(design.routes());
            routes.add(new ClientVpnRoute(Cidr.parse("10.9.0.0/16"), "subnet-unknown", null, null, null, null));
            Plan plan = new Planner().plan(new EndpointDesign("bad", design.endpoint(), design.targetNetworks(), routes, design.authorizationRules()),
                    (EndpointDesign) null);
            String text = plan.render();
            assertFalse(plan.canApply());
            assertTrue(text.contains("201 authorization rules; the quota is 200 per endpoint"), text);
            assertTrue(text.contains("target subnet subnet-unknown is not one of the design's target networks"), text);
        }
    }
}
