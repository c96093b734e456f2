package crew.aws.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import crew.aws.events.EventsSettings;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;

/** {@code crew fleet configure}: where this CREW home's enforcement sessions ship their events. */
@Component(service = CliCommand.class)
@Command(name = "fleet configure", summary = "ship this device's enforcement events to a CloudWatch Logs group (crew enforce, crew tunnel, the agent)")
public final class FleetConfigureCommand implements CliCommand {
    @Override
    public String name() {
        return "fleet configure";
    }

    @Override
    public String summary() {
        return "ship this device's enforcement events to a CloudWatch Logs group (crew enforce, crew tunnel, the agent)";
    }

    @Override
    public String synopsis() {
        return "--log-group GROUP [--device NAME] [--profile P] [--region R] [--endpoint-url URL] | --show | --off";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("log-group", "GROUP", "the CloudWatch Logs group (created at the first event unless --no-create)"),
                Option.value("device", "NAME", "this device's name in the stream names (default: the host name)"),
                Option.value("profile", "NAME", "named AWS profile (default: the default credentials chain)"),
                Option.value("region", "REGION", "AWS region (default: the profile's or AWS_REGION)"),
                Option.value("endpoint-url", "URL", "a CloudWatch Logs endpoint (the embedded local API, a VPC endpoint)"),
                Option.value("spool", "DIR", "the spool folder (default $CREW_HOME/events-spool)"),
                Option.value("flush-ms", "MS", "how often the shipper sends (default 1000)"),
                Option.flag("no-create", "do not create the log group (it must exist)"),
                Option.flag("show", "print the settings"),
                Option.flag("off", "stop shipping (removes events.json; the spool stays)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(0);
        Path file = EventsSettings.defaultFile();
        try {
            if (arguments.has("off")) {
                boolean had = java.nio.file.Files.deleteIfExists(file);
                context.out().println(had ? "Enforcement events are no longer shipped (" + file + " removed)." : "Nothing configured (" + file + ").");
                return ExitCode.OK;
            }
            EventsSettings s;
            if (arguments.has("show")) {
                s = EventsSettings.read(file);
                if (s == null) {
                    throw new CommandException(ExitCode.UNAVAILABLE, "enforcement events are not shipped from this CREW home (no " + file + ")");
                }
            } else {
                String group = arguments.value("log-group").orElseThrow(() -> CommandException.badInput("--log-group GROUP is missing"));
                s = new EventsSettings(group, arguments.value("device").orElse(null), arguments.value("profile").orElse(null),
                        arguments.value("region").orElse(null), arguments.value("endpoint-url").map(URI::create).orElse(null),
                        arguments.value("spool").map(context::resolve).orElse(null), Duration.ofMillis(arguments.intValue("flush-ms", 1000)),
                        !arguments.has("no-create"));
                s.write(file);
            }
            if (context.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", file.toString());
                m.put("logGroup", s.logGroup());
                m.put("device", s.device());
                m.put("profile", s.profile());
                m.put("region", s.region());
                m.put("endpoint", s.endpoint() == null ? null : s.endpoint().toString());
                m.put("spool", s.spool().toString());
                m.put("flushMillis", s.flushInterval().toMillis());
                context.printJson(m);
            } else {
                context.out().println("Enforcement events of " + s.device() + " go to log group " + s.logGroup() + ", one stream per session ("
                        + s.device() + "/SESSION/START), spooled in " + s.spool() + (s.profile() == null ? "" : ", profile " + s.profile())
                        + (s.endpoint() == null ? "" : ", endpoint " + s.endpoint()) + " (" + file + ").");
            }
            return ExitCode.OK;
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage());
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage());
        }
    }
}
