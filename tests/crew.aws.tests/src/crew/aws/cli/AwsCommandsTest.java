package crew.aws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.ExitCode;

/** The aws commands end to end with --local: import certificates, apply a pulled-and-edited design, plan to nothing. */
class AwsCommandsTest {
    @TempDir
    Path dir;

    private String run(CliCommand command, int expected, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), dir, false);
        int code = command.run(context, Arguments.parse(List.of(args), command.options()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expected, code, text);
        return text;
    }

    private void copy(String name) throws Exception {
        try (var in = AwsCommandsTest.class.getResourceAsStream("/data/" + name)) {
            Files.copy(in, dir.resolve(name));
        }
    }

    @Test
    void givenTheLocalAccount_whenCertificatesAreImportedAndADesignApplied_thenPlanShowsNoChanges() throws Exception {
        for (String f : List.of("ca.pem", "ca.key", "server.pem", "server.key")) {
            copy(f);
        }
        String state = dir.resolve("aws-local.json").toString();
        String serverArn = run(new AwsImportCertCommand(), ExitCode.OK, "--local", "--local-state", state, "--cert", "server.pem", "--key", "server.key",
                "--chain", "ca.pem").trim();
        String caArn = run(new AwsImportCertCommand(), ExitCode.OK, "--local", "--local-state", state, "--cert", "ca.pem", "--key", "ca.key").trim();
        assertTrue(serverArn.startsWith("arn:aws:acm:us-east-1:"), serverArn);
        crew.model.endpoint.EndpointDesign corp = new crew.model.endpoint.EndpointDesign("corp", new crew.model.endpoint.ClientVpnEndpoint(null,
                "corp", null, null, null, crew.model.net.Cidr.parse("172.16.0.0/22"), serverArn,
                List.of(crew.model.endpoint.AuthenticationOption.certificate(caArn)), null, List.of(crew.model.net.IpAddress.parse("10.0.0.2")), null,
                443, true, List.of(), null, false, null, 24, null, true, true, null, null, null, java.util.Map.of()),
                List.of(new crew.model.endpoint.TargetNetwork(null, "subnet-0local0000000001a", null, null, null, null, 0)),
                List.of(new crew.model.endpoint.ClientVpnRoute(crew.model.net.Cidr.parse("192.168.10.0/24"), "subnet-0local0000000001a", null, null, null, null)),
                List.of(crew.model.endpoint.AuthorizationRule.allUsers(crew.model.net.Cidr.parse("192.168.10.0/24"), null)));
        crew.model.io.WorkspaceFile.write(dir.resolve("corp.crew.json"), corp);
        String plan = run(new AwsPlanCommand(), ExitCode.OK, "--local", "--local-state", state, "corp.crew.json");
        assertTrue(plan.contains("+ endpoint corp"), plan);
        String applied = run(new AwsApplyCommand(), ExitCode.OK, "--local", "--local-state", state, "--poll-ms", "10", "corp.crew.json");
        assertTrue(applied.contains("Apply complete"), applied);
        String list = run(new AwsEndpointsCommand(), ExitCode.OK, "--local", "--local-state", state);
        String id = list.substring(0, list.indexOf(' '));
        assertTrue(id.startsWith("cvpn-endpoint-"), list);
        assertTrue(list.contains("CRE on"), list);
        run(new AwsPullCommand(), ExitCode.OK, "--local", "--local-state", state, "--output", "pulled.crew.json", id);
        assertTrue(Files.readString(dir.resolve("pulled.crew.json")).contains("\"Format\": \"crew-design/1\""), "the workspace format");
        String again = run(new AwsPlanCommand(), ExitCode.OK, "--local", "--local-state", state, "pulled.crew.json");
        assertTrue(again.contains("No changes"), again);
        String profile = run(new AwsExportProfileCommand(), ExitCode.OK, "--local", "--local-state", state, id);
        assertTrue(profile.contains("remote-cert-tls server"), profile);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(crew.cli.CommandException.class,
                () -> run(new AwsPullCommand(), ExitCode.OK, "--local", "--local-state", state, "cvpn-endpoint-0000000000000dead"));
        assertTrue(e.getMessage().contains("InvalidClientVpnEndpointId.NotFound"), e.getMessage());
    }

    @Test
    void givenCrewHome_whenLocalIsUsedWithoutLocalState_thenTheLocalAccountLivesUnderCrewHome() throws Exception {
        Path home = dir.resolve("home");
        String previous = System.getProperty("crew.home");
        System.setProperty("crew.home", home.toString());
        try {
            run(new AwsEndpointsCommand(), ExitCode.OK, "--local");
            assertTrue(Files.isRegularFile(home.resolve("aws-local.json")), "the local account's state is in $CREW_HOME, not ~/.crew");
        } finally {
            if (previous == null) {
                System.clearProperty("crew.home");
            } else {
                System.setProperty("crew.home", previous);
            }
        }
    }

    private long endpoints(String state) throws Exception {
        return run(new AwsEndpointsCommand(), ExitCode.OK, "--local", "--local-state", state).lines().filter(l -> l.startsWith("cvpn-endpoint-")).count();
    }

    @Test
    void givenACompletedApplyOfANewEndpoint_whenAppliedAgain_thenItIsRefusedNamingTheEndpointUnlessAllowDuplicateIsGiven() throws Exception {
        String state = dir.resolve("aws-local.json").toString();
        String[] apply = {"--local", "--local-state", state, "--local-provide", "--new", "--example", "dual-stack", "--poll-ms", "10"};
        String first = run(new AwsApplyCommand(), ExitCode.OK, apply);
        assertTrue(first.contains("Apply complete"), first);
        assertEquals(1, endpoints(state));
        String id = crew.aws.ApplyState.load(dir.resolve("dual-stack.crew.json.apply-state")).endpointId();
        assertTrue(id != null && id.startsWith("cvpn-endpoint-"), id);

        // again: the apply state records the endpoint
        crew.cli.CommandException again = org.junit.jupiter.api.Assertions.assertThrows(crew.cli.CommandException.class,
                () -> run(new AwsApplyCommand(), ExitCode.OK, apply));
        assertEquals(ExitCode.FINDINGS, again.exitCode());
        assertTrue(again.getMessage().contains(id) && again.getMessage().contains("--allow-duplicate"), again.getMessage());
        assertEquals(1, endpoints(state), "no second endpoint");

        // without the state file: the account's endpoint has the design's Name tag
        String[] elsewhere = java.util.stream.Stream.concat(java.util.Arrays.stream(apply), java.util.stream.Stream.of("--state", "other.state"))
                .toArray(String[]::new);
        crew.cli.CommandException named = org.junit.jupiter.api.Assertions.assertThrows(crew.cli.CommandException.class,
                () -> run(new AwsApplyCommand(), ExitCode.OK, elsewhere));
        assertTrue(named.getMessage().contains(id) && named.getMessage().contains("Name tag \"dual-stack\""), named.getMessage());
        assertEquals(1, endpoints(state));
        // plan says the same, without refusing
        String plan = run(new AwsPlanCommand(), ExitCode.OK, "--local", "--local-state", state, "--new", "--example", "dual-stack");
        assertTrue(plan.contains(id) && plan.contains("--allow-duplicate"), plan);

        // asked for: a second endpoint
        String[] allowed = java.util.stream.Stream.concat(java.util.Arrays.stream(apply), java.util.stream.Stream.of("--allow-duplicate"))
                .toArray(String[]::new);
        assertTrue(run(new AwsApplyCommand(), ExitCode.OK, allowed).contains("Apply complete"));
        assertEquals(2, endpoints(state));
    }
}
