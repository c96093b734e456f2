package crew.tunnel.internal;

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

import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;

/**
 * Issue 17's held-out input on the agent path: {@code crew tunnel connect} through the agent read the profile with a
 * decoder that answered "Input length = 1" for a binary file; it is now refused before anything is sent to the agent,
 * as not text, with the file and the byte offset.
 */
class ViaAgentInputsTest {

    @Test
    void givenABinaryProfile_whenConnectingThroughTheAgent_thenItIsNotTextWithFileAndByteOffset() throws Exception {
        Path dir = Files.createTempDirectory("crew-via-agent");
        Path profile = dir.resolve("binary.ovpn");
        Files.write(profile, new byte[] { 'c', 'l', 'i', 'e', 'n', 't', '\n', (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0 });
        CommandContext ctx = new CommandContext(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), dir, false);
        // no agent is contacted: the profile is read first (a null client would fail if it were used)
        CommandException e = assertThrows(CommandException.class, () -> ViaAgent.connect(null, ctx, Arguments.parse(List.of(), List.of()), profile, "s1", List.of()));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains(profile + ":2:"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 7"), e.getMessage());
        assertFalse(e.getMessage().contains("Input length"), e.getMessage());
        CommandException missing = assertThrows(CommandException.class,
                () -> ViaAgent.connect(null, ctx, Arguments.parse(List.of(), List.of()), dir.resolve("none.ovpn"), "s1", List.of()));
        assertTrue(missing.getMessage().endsWith(": no such file"), missing.getMessage());
    }
}
