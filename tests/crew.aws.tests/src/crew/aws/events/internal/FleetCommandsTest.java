package crew.aws.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.aws.cli.FleetConfigureCommand;
import crew.aws.cli.FleetEventsCommand;
import crew.aws.events.EventsSettings;
import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.enforce.EnforcementEvent;

/**
 * crew fleet configure and crew fleet events as the commands run, and the sink service every enforcement session
 * gets (crew enforce, crew tunnel connect, the agent) shipping through this CREW home's events.json, against the
 * embedded local Logs API.
 */
class FleetCommandsTest {
    @TempDir
    Path dir;
    private String previousHome;
    private LocalAwsServer server;

    @BeforeEach
    void home() throws Exception {
        previousHome = System.getProperty("crew.home");
        System.setProperty("crew.home", dir.resolve("home").toString());
        server = LocalAwsServer.start(LocalAccount.inMemory(), 0);
    }

    @AfterEach
    void restore() {
        server.close();
        if (previousHome == null) {
            System.clearProperty("crew.home");
        } else {
            System.setProperty("crew.home", previousHome);
        }
    }

    private String run(CliCommand command, int expected, boolean json, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), dir, json);
        int code = command.run(context, Arguments.parse(List.of(args), command.options()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expected, code, text);
        return text;
    }

    private static EnforcementEvent event(String session, EnforcementEvent.Kind kind, String route) {
        return new EnforcementEvent(Instant.now(), session, kind, route, "d", List.of(EnforcementEvent.TAG, EnforcementEvent.tagOf(kind)));
    }

    @Test
    void givenAConfiguredHome_whenSessionsEmitEvents_thenTheSinkServiceShipsThemAndFleetEventsShowsThem() throws Exception {
        String url = server.endpoint().toString();
        String said = run(new FleetConfigureCommand(), ExitCode.OK, false, "--log-group", "/crew/fleet", "--device", "laptop:1", "--endpoint-url", url,
                "--region", "us-east-1", "--flush-ms", "20");
        assertTrue(said.contains("Enforcement events of laptop_1 go to log group /crew/fleet"), said);
        Path file = EventsSettings.defaultFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        ConfiguredEventSink service = new ConfiguredEventSink();
        service.activate();
        service.accept(event("s1", EnforcementEvent.Kind.SESSION_STARTED, null));
        service.accept(event("s1", EnforcementEvent.Kind.CONFLICT_DETECTED, "172.31.5.0/24"));
        service.accept(event("s1", EnforcementEvent.Kind.ROUTE_REMOVED, "172.31.5.0/24"));
        service.deactivate(); // flushes, as at the end of crew enforce
        List<String> streams = server.logs().streams("/crew/fleet");
        assertEquals(1, streams.size(), streams.toString());
        assertTrue(streams.get(0).startsWith("laptop_1/s1/"), streams.get(0));
        assertEquals(3, server.logs().events("/crew/fleet", streams.get(0)).size());

        // the log group and endpoint come from events.json; a tamper attempt in the period is a finding (exit 1)
        String table = run(new FleetEventsCommand(), ExitCode.FINDINGS, false, "--since", "1h");
        assertTrue(table.contains("laptop_1"), table);
        assertTrue(table.matches("(?s).*laptop_1\\s+1\\s+3\\s+1\\s+1\\s+.*route_removed.*"), table);
        assertTrue(table.contains("3 events of 1 devices, 1 tamper attempts"), table);
        String one = run(new FleetEventsCommand(), ExitCode.FINDINGS, false, "--device", "laptop:1");
        assertTrue(one.contains("s1 conflict_detected 172.31.5.0/24"), one);
        JsonObject json = JsonParser.parseString(run(new FleetEventsCommand(), ExitCode.FINDINGS, true, "--log-group", "/crew/fleet",
                "--endpoint-url", url, "--region", "us-east-1")).getAsJsonObject();
        assertEquals(1, json.getAsJsonArray("devices").size());
        assertEquals(1, json.getAsJsonArray("devices").get(0).getAsJsonObject().get("tamperAttempts").getAsInt());
        String none = run(new FleetEventsCommand(), ExitCode.OK, false, "--device", "other");
        assertTrue(none.contains("No enforcement events in /crew/fleet"), none);
    }

    @Test
    void givenTheFramework_whenCrewAwsRuns_thenTheSinkAndTheFleetCommandsAreServices() throws Exception {
        org.osgi.framework.BundleContext context = org.osgi.framework.FrameworkUtil.getBundle(ConfiguredEventSink.class).getBundleContext();
        org.osgi.util.tracker.ServiceTracker<crew.enforce.EnforcementEventSink, crew.enforce.EnforcementEventSink> sinks =
                new org.osgi.util.tracker.ServiceTracker<>(context, context.createFilter("(&(objectClass=crew.enforce.EnforcementEventSink)(crew.sink=cloudwatch-logs))"),
                        null);
        sinks.open();
        try {
            assertTrue(sinks.waitForService(10_000) instanceof ConfiguredEventSink, "the sink every enforcement session gets");
        } finally {
            sinks.close();
        }
        List<String> names = new java.util.ArrayList<>();
        for (org.osgi.framework.ServiceReference<CliCommand> r : context.getServiceReferences(CliCommand.class, null)) {
            names.add(context.getService(r).name());
            context.ungetService(r);
        }
        assertTrue(names.containsAll(List.of("fleet events", "fleet configure")), names.toString());
    }

    @Test
    void givenBadInput_whenRun_thenTheErrorNamesTheProblem() throws Exception {
        CommandException since = assertThrows(CommandException.class, () -> run(new FleetEventsCommand(), 0, false, "--log-group", "g", "--since", "an hour"));
        assertEquals(ExitCode.BAD_INPUT, since.exitCode());
        assertTrue(since.getMessage().contains("--since 'an hour'"), since.getMessage());
        CommandException group = assertThrows(CommandException.class, () -> run(new FleetEventsCommand(), 0, false));
        assertTrue(group.getMessage().contains("--log-group GROUP is missing"), group.getMessage());
        CommandException name = assertThrows(CommandException.class, () -> run(new FleetConfigureCommand(), 0, false, "--log-group", "bad group"));
        assertEquals(ExitCode.BAD_INPUT, name.exitCode());
        assertTrue(name.getMessage().contains("log group 'bad group'"), name.getMessage());
        Files.createDirectories(EventsSettings.defaultFile().getParent());
        Files.writeString(EventsSettings.defaultFile(), "{\"logGroup\": 7,");
        CommandException broken = assertThrows(CommandException.class, () -> run(new FleetEventsCommand(), 0, false));
        assertTrue(broken.getMessage().startsWith(EventsSettings.defaultFile() + ": not JSON"), broken.getMessage());
    }
}
