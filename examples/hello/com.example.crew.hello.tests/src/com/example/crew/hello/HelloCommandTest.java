package com.example.crew.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;

/** Inside Equinox with CREW's bundles from the SDK: the command is a service, and crew runs it. */
class HelloCommandTest {

    private static CommandRegistry registry() throws InterruptedException {
        BundleContext context = FrameworkUtil.getBundle(HelloCommandTest.class).getBundleContext();
        ServiceTracker<CommandRegistry, CommandRegistry> tracker = new ServiceTracker<>(context, CommandRegistry.class, null);
        tracker.open();
        CommandRegistry registry = tracker.waitForService(10_000);
        assertNotNull(registry, "no CommandRegistry: are crew.cli and Felix SCR started?");
        return registry;
    }

    @Test
    void givenThePlugin_whenCrewRunsTheCommand_thenItGreets() throws Exception {
        CommandRegistry registry = registry();
        assertTrue(registry.commands().stream().map(CliCommand::name).toList().contains("hello"),
                "crew help would not list hello");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new CommandLine(registry).run(List.of("hello", "--to", "plugin teams"),
                new CommandContext(ps, ps, new ByteArrayInputStream(new byte[0]), Path.of("."), false));
        assertEquals(ExitCode.OK, code, out.toString(StandardCharsets.UTF_8));
        assertEquals("hello plugin teams", out.toString(StandardCharsets.UTF_8).strip());
    }
}
