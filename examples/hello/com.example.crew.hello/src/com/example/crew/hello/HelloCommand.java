package com.example.crew.hello;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.ExitCode;
import crew.cli.Option;

/** {@code crew hello}: greets someone. A starting point: CREW finds every CliCommand service. */
@Component(service = CliCommand.class)
public class HelloCommand implements CliCommand {

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public String summary() {
        return "say hello (from the com.example.crew.hello plugin)";
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
