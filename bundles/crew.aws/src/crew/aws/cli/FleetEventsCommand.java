package crew.aws.cli;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import crew.aws.AwsErrors;
import crew.aws.events.EventsSettings;
import crew.aws.events.FleetEvents;
import crew.aws.events.LogsClients;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** {@code crew fleet events}: the fleet's enforcement events from CloudWatch Logs, per device. */
@Component(service = CliCommand.class)
@Command(name = "fleet events", summary = "the fleet's enforcement events from a CloudWatch Logs group: devices, tamper attempts, removals, timeline")
public final class FleetEventsCommand implements CliCommand {
    @Override
    public String name() {
        return "fleet events";
    }

    @Override
    public String summary() {
        return "the fleet's enforcement events from a CloudWatch Logs group: devices, tamper attempts, removals, timeline";
    }

    @Override
    public String synopsis() {
        return "--log-group GROUP [--since 1h] [--device NAME] [options]";
    }

    @Override
    public String description() {
        return "Reads the events CREW's devices shipped to GROUP (crew fleet configure) with FilterLogEvents, every page, and prints one line per"
                + " device: sessions, events, tamper attempts (conflicting routes detected), removals (routes and rules CRE removed) and the last event;"
                + " then a timeline. --device shows that device's events one by one. Exit 1 when the period has tamper attempts.";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("log-group", "GROUP", "the log group the devices ship to (default: this CREW home's events.json)"),
                Option.value("since", "AGE", "events of the last AGE only: 30m, 1h, 7d (default 1h)"),
                Option.value("device", "NAME", "one device's events (its streams DEVICE/...)"),
                Option.value("profile", "NAME", "named AWS profile (default: the default credentials chain)"),
                Option.value("region", "REGION", "AWS region (default: the profile's or AWS_REGION)"),
                Option.value("endpoint-url", "URL", "a CloudWatch Logs endpoint (the embedded local API, a VPC endpoint)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(0);
        EventsSettings configured;
        try {
            configured = EventsSettings.read(EventsSettings.defaultFile());
        } catch (java.io.IOException e) {
            throw CommandException.badInput(e.getMessage());
        }
        String group = arguments.value("log-group").orElse(configured == null ? null : configured.logGroup());
        if (group == null) {
            throw CommandException.badInput("--log-group GROUP is missing (and this CREW home has no events.json: crew fleet configure)");
        }
        Duration since;
        try {
            since = FleetEvents.parseSince(arguments.value("since", "1h"));
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage());
        }
        EventsSettings s;
        try {
            s = new EventsSettings(group, "reader", arguments.value("profile").orElse(configured == null ? null : configured.profile()),
                    arguments.value("region").orElse(configured == null ? null : configured.region()),
                    arguments.value("endpoint-url").map(URI::create).orElse(configured == null ? null : configured.endpoint()), null, null, false);
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage());
        }
        String device = arguments.value("device").orElse(null);
        FleetEvents.Report report;
        try (CloudWatchLogsClient client = LogsClients.open(s, true)) {
            report = FleetEvents.read(client, group, Instant.now().minus(since), device, null);
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage());
        } catch (SdkException e) {
            throw new CommandException(ExitCode.FAILED, "reading " + group + ": " + AwsErrors.describe(e));
        }
        int tampers = report.devices().stream().mapToInt(FleetEvents.Device::tamperAttempts).sum();
        if (context.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("logGroup", group);
            m.put("since", Instant.now().minus(since).toString());
            m.put("pages", report.pages());
            m.put("duplicatesDropped", report.duplicates());
            m.put("unreadable", report.unreadable());
            m.put("devices", report.devices().stream().map(d -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("device", d.name());
                o.put("sessions", d.sessions());
                o.put("events", d.events());
                o.put("tamperAttempts", d.tamperAttempts());
                o.put("removals", d.removals());
                o.put("lastEvent", d.lastEvent().toString());
                o.put("lastKind", d.lastKind());
                return o;
            }).toList());
            List<Map<String, Object>> timeline = new ArrayList<>();
            report.timeline().forEach((t, c) -> timeline.add(Map.of("from", t.toString(), "events", c[0], "tamperAttempts", c[1], "removals", c[2])));
            m.put("timeline", timeline);
            if (device != null) {
                m.put("events", report.events().stream().map(e -> {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("time", e.time().toString());
                    o.put("session", e.session());
                    o.put("event", e.kind());
                    if (e.route() != null) {
                        o.put("route", e.route());
                    }
                    if (e.detail() != null) {
                        o.put("detail", e.detail());
                    }
                    return o;
                }).toList());
            }
            context.printJson(m);
        } else if (report.events().isEmpty()) {
            context.out().println("No enforcement events in " + group + " since " + Instant.now().minus(since) + (device == null ? "" : " for " + device) + ".");
        } else {
            context.out().printf("%-28s %8s %7s %7s %8s  %s%n", "DEVICE", "SESSIONS", "EVENTS", "TAMPER", "REMOVED", "LAST EVENT");
            for (FleetEvents.Device d : report.devices()) {
                context.out().printf("%-28s %8d %7d %7d %8d  %s %s%n", d.name(), d.sessions(), d.events(), d.tamperAttempts(), d.removals(), d.lastEvent(),
                        d.lastKind());
            }
            context.out().println();
            context.out().println("Timeline (" + report.bucket().toMinutes() + " min buckets: events / tamper attempts / removals):");
            report.timeline().forEach((t, c) -> context.out().printf("  %s  %5d %5d %5d  %s%n", t, c[0], c[1], c[2], "#".repeat(Math.min(60, c[1]))));
            if (device != null) {
                context.out().println();
                for (FleetEvents.Event e : report.events()) {
                    context.out().println(e.time() + " " + e.session() + " " + e.kind() + (e.route() == null ? "" : " " + e.route())
                            + (e.detail() == null ? "" : "  (" + e.detail() + ")"));
                }
            }
            context.out().println();
            context.out().println(report.events().size() + " events of " + report.devices().size() + " devices, " + tampers + " tamper attempts ("
                    + report.pages() + " pages" + (report.duplicates() > 0 ? ", " + report.duplicates() + " duplicates dropped" : "") + ").");
        }
        return tampers > 0 ? ExitCode.FINDINGS : ExitCode.OK;
    }
}
