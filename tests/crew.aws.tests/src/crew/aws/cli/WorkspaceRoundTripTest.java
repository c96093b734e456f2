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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import crew.aws.Designs;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.WorkspaceFile;

/**
 * pull, plan and apply speak the workspace format ({@code *.crew.json}, crew-design/1): the example designs of
 * crew.examples plan and apply against the local account, and what pull writes plans to no changes.
 */
class WorkspaceRoundTripTest {
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

    @ParameterizedTest
    @ValueSource(strings = { "split-tunnel", "full-tunnel", "dual-stack" })
    void givenAnExampleDesign_whenAppliedToTheLocalAccountAndPulled_thenPlansShowNoChanges(String example) throws Exception {
        String state = dir.resolve("aws-local.json").toString();
        String plan = run(new AwsPlanCommand(), ExitCode.OK, "--local", "--local-state", state, "--local-provide", "--new", "--example", example);
        assertTrue(plan.contains("Local account: added subnet "), plan);
        assertTrue(plan.contains("+ endpoint "), plan);
        String applied = run(new AwsApplyCommand(), ExitCode.OK, "--local", "--local-state", state, "--poll-ms", "5", "--new", "--example", example);
        assertTrue(applied.contains("Apply complete"), applied);
        String list = run(new AwsEndpointsCommand(), ExitCode.OK, "--local", "--local-state", state);
        String id = list.substring(0, list.indexOf(' '));

        // the example with the new endpoint's id: nothing left to change
        Path exampleFile = Path.of(System.getProperty("crew.examples"), "designs", example + WorkspaceFile.SUFFIX);
        EndpointDesign exampleDesign = WorkspaceFile.read(exampleFile);
        WorkspaceFile.write(dir.resolve("applied.crew.json"), Designs.withEndpointId(exampleDesign, id));
        String again = run(new AwsPlanCommand(), ExitCode.OK, "--local", "--local-state", state, "applied.crew.json");
        assertTrue(again.contains("No changes"), again);

        // pull -> file -> plan: no changes; the file is what crew lint and the designer read
        run(new AwsPullCommand(), ExitCode.OK, "--local", "--local-state", state, "--output", "pulled.crew.json", id);
        EndpointDesign pulled = WorkspaceFile.read(dir.resolve("pulled.crew.json"));
        // the routes the design adds (association routes are AWS's: one per associated subnet, whatever the example lists)
        assertEquals(addedRoutes(exampleDesign), addedRoutes(pulled), Files.readString(dir.resolve("pulled.crew.json")));
        assertEquals(exampleDesign.authorizationRules().size(), pulled.authorizationRules().size());
        assertEquals(exampleDesign.endpoint().clientRouteEnforcement(), pulled.endpoint().clientRouteEnforcement());
        String fromPull = run(new AwsPlanCommand(), ExitCode.OK, "--local", "--local-state", state, "pulled.crew.json");
        assertTrue(fromPull.contains("No changes"), fromPull);
    }

    private static java.util.Set<String> addedRoutes(EndpointDesign d) {
        return d.routes().stream().filter(r -> !"associate".equals(r.origin())).map(r -> r.destinationCidr() + " via " + r.targetSubnet())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void givenAFileInTheOldRecordFormat_whenPlanned_thenItIsBadInputNamingTheWorkspaceFormat() throws Exception {
        Files.writeString(dir.resolve("old.json"), "{\"name\": \"corp\", \"endpoint\": {\"clientCidrBlock\": \"172.16.0.0/22\"}}");
        CommandException e = org.junit.jupiter.api.Assertions.assertThrows(CommandException.class,
                () -> run(new AwsPlanCommand(), ExitCode.OK, "--local", "--local-state", dir.resolve("s.json").toString(), "old.json"));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains(WorkspaceFile.FORMAT), e.getMessage());
    }

    @Test
    void givenADesignWithAnIdTheAccountLacks_whenPlannedWithoutNew_thenTheMessageNamesTheEndpointAndNew() throws Exception {
        String state = dir.resolve("aws-local.json").toString();
        CommandException e = org.junit.jupiter.api.Assertions.assertThrows(CommandException.class,
                () -> run(new AwsPlanCommand(), ExitCode.OK, "--local", "--local-state", state, "--example", "split-tunnel"));
        assertTrue(e.getMessage().contains("InvalidClientVpnEndpointId.NotFound"), e.getMessage());
        assertTrue(e.getMessage().contains("--new"), e.getMessage());
    }
}
