package crew.aws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

import crew.aws.CloudFormationTemplate;
import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.ExitCode;
import crew.design.Severity;
import crew.model.io.WorkspaceFile;

/** {@code crew aws export-template}: the template of a design, to stdout or a file; a design the lint rejects gets none. */
class AwsExportTemplateCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(AwsExportTemplateCommand command, String... args) throws Exception {
        CommandContext context = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), dir, false);
        return command.run(context, Arguments.parse(List.of(args), command.options()));
    }

    private static String exampleTemplate() throws Exception {
        Path file = Path.of(System.getProperty("crew.examples"), "designs", "split-tunnel" + WorkspaceFile.SUFFIX);
        return CloudFormationTemplate.text(WorkspaceFile.read(file.toString(), Files.readString(file)));
    }

    @Test
    void givenAnExample_whenExportedToAFileAndToStdout_thenBothAreTheTemplate() throws Exception {
        AwsExportTemplateCommand command = new AwsExportTemplateCommand();
        assertEquals(ExitCode.OK, run(command, "--example", "split-tunnel", "--output", "stack.json"), err.toString());
        assertEquals(exampleTemplate(), Files.readString(dir.resolve("stack.json")));
        assertTrue(out.toString().contains("Wrote the CloudFormation template of"), out.toString());
        out.reset();
        assertEquals(ExitCode.OK, run(command, "--example", "split-tunnel"), err.toString());
        assertEquals(exampleTemplate(), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void givenADesignTheLintRejects_whenExported_thenNoTemplateAndTheFindingIsShown() throws Exception {
        AwsExportTemplateCommand command = new AwsExportTemplateCommand();
        LintPreflight lint = new LintPreflight();
        lint.rules = List.of(LintPreflightTest.rule("TEST001", Severity.ERROR));
        command.checks = List.of(lint);
        assertEquals(ExitCode.FINDINGS, run(command, "--example", "split-tunnel", "--output", "stack.json"));
        assertTrue(err.toString().contains("No template") && err.toString().contains("found by TEST001"), err.toString());
        assertFalse(Files.exists(dir.resolve("stack.json")), "nothing written");
    }

    @Test
    void givenTheDualStackExample_whenExported_thenNoTemplateAndItsIpv6RangesAreNamed() throws Exception {
        assertEquals(ExitCode.FINDINGS, run(new AwsExportTemplateCommand(), "--example", "dual-stack", "--output", "stack.json"));
        assertTrue(err.toString().contains("cannot express") && err.toString().contains("route 2600:1f14:abc:de00::/56"), err.toString());
        assertFalse(Files.exists(dir.resolve("stack.json")), "nothing written");
    }

    @Test
    void givenNoDesign_whenExported_thenABadInputErrorNamesWhatIsMissing() throws Exception {
        crew.cli.CommandException e = org.junit.jupiter.api.Assertions.assertThrows(crew.cli.CommandException.class,
                () -> run(new AwsExportTemplateCommand(), "--example", "no-such-design"));
        assertTrue(e.getMessage().contains("no example design 'no-such-design'"), e.getMessage());
    }
}
