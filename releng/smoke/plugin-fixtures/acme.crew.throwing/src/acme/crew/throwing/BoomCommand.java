package acme.crew.throwing;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;

/** A command whose component cannot be created: its constructor throws. */
public class BoomCommand implements CliCommand {
    public BoomCommand() {
        throw new IllegalStateException("ACME boom: this plugin is broken on purpose");
    }

    @Override
    public String name() {
        return "acme boom";
    }

    @Override
    public String summary() {
        return "never listed";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) {
        return 0;
    }
}
