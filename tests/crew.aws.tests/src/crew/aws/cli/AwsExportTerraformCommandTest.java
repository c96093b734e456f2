package crew.aws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

import crew.aws.TerraformConfiguration;
import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.model.io.WorkspaceFile;

/** {@code crew aws export-terraform}: the configuration of a design, to a NAME.tf.json file or stdout. */
class AwsExportTerraformCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        AwsExportTerraformCommand command = new AwsExportTerraformCommand();
        CommandContext context = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), dir, false);
        return command.run(context, Arguments.parse(List.of(args), command.options()));
    }

    @Test
    void givenAnExample_whenExportedToATfJsonFile_thenItIsTheConfigurationAndTheNextStepIsNamed() throws Exception {
        assertEquals(ExitCode.OK, run("--example", "split-tunnel", "--output", "vpn.tf.json"), err.toString());
        Path file = Path.of(System.getProperty("crew.examples"), "designs", "split-tunnel" + WorkspaceFile.SUFFIX);
        String expected = TerraformConfiguration.text(WorkspaceFile.read(file.toString(), Files.readString(file)));
        assertEquals(expected, Files.readString(dir.resolve("vpn.tf.json")));
        assertTrue(out.toString().contains("Wrote the Terraform configuration of '")
                && out.toString().contains("terraform init && terraform plan"), out.toString());
    }

    @Test
    void givenAnOutputNotNamedTfJson_whenExported_thenRefusedNamingTheFileAndNothingWritten() {
        CommandException e = assertThrows(CommandException.class, () -> run("--example", "split-tunnel", "--output", "vpn.json"));
        assertTrue(e.getMessage().contains("--output vpn.json") && e.getMessage().contains("NAME.tf.json"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("vpn.json")));
    }
}
