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
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

import crew.cli.internal.RegisteredCommand;

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

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int crew(CommandRegistry registry, String... words) {
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Path.of("."), false);
        return new CommandLine(registry).run(List.of(words), ctx);
    }

    /** A command as a bundle registers it, created by the framework only when someone gets the service; counts that. */
    static final class CountingFactory implements ServiceFactory<CliCommand> {
        final AtomicInteger created = new AtomicInteger();
        final String name;
        final String summary;

        CountingFactory(String name, String summary) {
            this.name = name;
            this.summary = summary;
        }

        @Override
        public CliCommand getService(Bundle bundle, ServiceRegistration<CliCommand> registration) {
            created.incrementAndGet();
            return new CliCommand() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public String summary() {
                    return summary;
                }

                @Override
                public List<Option> options() {
                    return List.of(Option.value("greeting", "WORD", "what to say"));
                }

                @Override
                public int run(CommandContext ctx, Arguments args) {
                    ctx.out().println(args.value("greeting", "hi") + " " + args.positionals());
                    return ExitCode.OK;
                }
            };
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<CliCommand> registration, CliCommand service) {
            // nothing held
        }
    }

    private static Dictionary<String, Object> commandProperties(String name, String summary) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Command.NAME, name);
        properties.put(Command.SUMMARY, summary);
        return properties;
    }

    @Test
    void givenVersionCommandsAnnotation_whenScrRegistersIt_thenItsServiceCarriesNameAndSummary() throws Exception {
        registry();
        ServiceReference<?>[] refs = context.getServiceReferences(CliCommand.class.getName(), "(" + Command.NAME + "=version)");
        assertNotNull(refs, "no CliCommand service with " + Command.NAME + "=version: the @Command annotation did not reach the DS descriptor");
        assertEquals(1, refs.length);
        assertEquals("print CREW's version and runtime (also: crew --version)", refs[0].getProperty(Command.SUMMARY));
    }

    @Test
    void givenACommandWithProperties_whenHelpListsIt_thenItIsNotCreatedUntilItRunsOrShowsItsHelp() throws Exception {
        CommandRegistry registry = registry();
        CountingFactory factory = new CountingFactory("plugin lazy", "a command created only when it runs");
        ServiceRegistration<?> registration = context.registerService(CliCommand.class.getName(), factory,
                commandProperties("plugin lazy", "a command created only when it runs"));
        try {
            assertEquals(ExitCode.OK, crew(registry, "help"));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(String.format("  %-22s %s%n", "plugin lazy", "a command created only when it runs")),
                    out.toString(StandardCharsets.UTF_8));
            assertEquals(ExitCode.BAD_INPUT, crew(registry, "plugin"));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("plugin lazy"), err.toString(StandardCharsets.UTF_8));
            assertEquals(0, factory.created.get(), "help and the group listing created the command");
            for (CliCommand c : registry.commands()) {
                if (c instanceof RegisteredCommand r && c.name().startsWith("plugin")) {
                    assertFalse(r.created(), c.toString());
                }
            }

            out.reset();
            assertEquals(ExitCode.OK, crew(registry, "help", "plugin", "lazy"));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("--greeting WORD"), out.toString(StandardCharsets.UTF_8));
            assertEquals(1, factory.created.get(), "its help needs its options: created once");
            out.reset();
            assertEquals(ExitCode.OK, crew(registry, "plugin", "lazy", "--greeting", "hello", "world"));
            assertEquals("hello [world]", out.toString(StandardCharsets.UTF_8).trim());
            assertEquals(1, factory.created.get(), "created once, then kept");
        } finally {
            registration.unregister();
        }
        assertFalse(registry.find(List.of("plugin", "lazy")).isPresent(), "unregistered command is gone");
    }

    @Test
    void givenAPluginCommandWithoutPropertiesRegisteredAfterStart_whenHelpRuns_thenItIsListedAndRuns() throws Exception {
        CommandRegistry registry = registry();
        CountingFactory factory = new CountingFactory("plugin plain", "a plugin's command without @Command");
        ServiceRegistration<?> registration = context.registerService(CliCommand.class.getName(), factory, null);
        try {
            assertEquals(ExitCode.OK, crew(registry, "help", "--json"));
            String json = out.toString(StandardCharsets.UTF_8);
            com.google.gson.JsonObject commands = com.google.gson.JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("commands");
            assertEquals("a plugin's command without @Command", commands.get("plugin plain").getAsString(), json);
            assertTrue(commands.has("version"), json);
            assertEquals(1, factory.created.get(), "without properties the registry creates it to learn its name");
            out.reset();
            assertEquals(ExitCode.OK, crew(registry, "plugin", "plain", "x"));
            assertEquals("hi [x]", out.toString(StandardCharsets.UTF_8).trim());
        } finally {
            registration.unregister();
        }
    }

    @Test
    void givenPropertiesThatDisagreeWithTheCommand_whenItRuns_thenAnInternalErrorNamesBoth() throws Exception {
        CommandRegistry registry = registry();
        CountingFactory factory = new CountingFactory("plugin real", "what the command says");
        ServiceRegistration<?> registration = context.registerService(CliCommand.class.getName(), factory,
                commandProperties("plugin stale", "what the annotation says"));
        try {
            assertEquals(ExitCode.INTERNAL, crew(registry, "plugin", "stale"));
            String e = err.toString(StandardCharsets.UTF_8);
            assertTrue(e.contains("crew.command.name='plugin stale'") && e.contains("name() is 'plugin real'"), e);
        } finally {
            registration.unregister();
        }
    }
}
