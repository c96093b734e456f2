package @@ID@@;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.ExitCode;
import crew.cli.Option;

/** {@code crew @@COMMAND@@}: greets someone. A starting point: CREW finds every CliCommand service. */
@Component(service = CliCommand.class)
public class @@CLASS@@ implements CliCommand {

    @Override
    public String name() {
        return "@@COMMAND@@";
    }

    @Override
    public String summary() {
        return "say hello (from the @@ID@@ plugin)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("to", "NAME", "whom to greet (default: world)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) {
        String to = arguments.value("to", "world");
        if (context.json()) {
            context.printJson(Map.of("greeting", "hello " + to));
        } else {
            context.out().println("hello " + to);
        }
        return ExitCode.OK;
    }
}
