package crew.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/** Runs inside Equinox (tycho-surefire): proves that Felix SCR wires the command services into the registry. */
class CommandRegistryOsgiTest {
    private BundleContext context;
    private ServiceTracker<CommandRegistry, CommandRegistry> tracker;

    @BeforeEach
    void open() {
        context = FrameworkUtil.getBundle(CommandRegistryOsgiTest.class).getBundleContext();
        tracker = new ServiceTracker<>(context, CommandRegistry.class, null);
        tracker.open();
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    private CommandRegistry registry() throws InterruptedException {
        CommandRegistry registry = tracker.waitForService(10_000);
        assertNotNull(registry, "Felix SCR registered no CommandRegistry service: is the DS runtime started?");
        return registry;
    }

    @Test
    void givenTheFramework_whenScrHasStarted_thenBuiltInCommandsAreBoundToTheRegistry() throws Exception {
        List<String> names = registry().commands().stream().map(CliCommand::name).toList();
        assertTrue(names.contains("help"), names.toString());
        assertTrue(names.contains("version"), names.toString());
    }

    @Test
    void givenAPluginRegistersACommand_whenItComesAndGoes_thenTheRegistryFollows() throws Exception {
        CommandRegistry registry = registry();
        CliCommand plugin = new CliCommand() {
            @Override
            public String name() {
                return "plugin hello";
            }

            @Override
            public String summary() {
                return "a command contributed by another bundle";
            }

            @Override
            public int run(CommandContext ctx, Arguments args) {
                ctx.out().println("hello " + args.positionals());
                return ExitCode.OK;
            }
        };
        ServiceRegistration<CliCommand> registration = context.registerService(CliCommand.class, plugin, null);
        try {
            assertTrue(registry.find(List.of("plugin", "hello", "x")).isPresent());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
            CommandContext ctx = new CommandContext(ps, ps, new ByteArrayInputStream(new byte[0]), Path.of("."), false);
            assertEquals(ExitCode.OK, new CommandLine(registry).run(List.of("plugin", "hello", "world"), ctx));
            assertEquals("hello [world]", out.toString(StandardCharsets.UTF_8).trim());
        } finally {
            registration.unregister();
        }
        assertFalse(registry.find(List.of("plugin", "hello")).isPresent(), "unregistered command is gone");
    }

    @Test
    void givenTheRealRegistry_whenAskedForTheVersionAsJson_thenJsonNamesTheBundleVersion() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandContext ctx = new CommandContext(ps, ps, new ByteArrayInputStream(new byte[0]), Path.of("."), false);
        int code = new CommandLine(registry()).run(List.of("--version", "--json"), ctx);
        assertEquals(ExitCode.OK, code);
        String json = out.toString(StandardCharsets.UTF_8);
        com.google.gson.JsonObject parsed = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        assertTrue(parsed.get("crew").getAsString().startsWith("0.1.0"), json);
        assertTrue(parsed.get("osgi").getAsString().startsWith("org.eclipse.osgi"), json);
    }
}
