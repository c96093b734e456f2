package acme.test.broken;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;

/**
 * Not loaded from this fragment: {@code ComponentHealthOsgiTest} copies this class's bytes into a plugin bundle it
 * builds and installs at test time, whose components use it. Its constructor throws, as a buggy plugin's would.
 */
public class ThrowingCommand implements CliCommand {
    public ThrowingCommand() {
        throw new IllegalStateException("plugin bug", new UnsupportedOperationException("ACME later: broken on purpose"));
    }

    @Override
    public String name() {
        return "acme later";
    }

    @Override
    public String summary() {
        return "a command whose component throws";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) {
        return 0;
    }
}
