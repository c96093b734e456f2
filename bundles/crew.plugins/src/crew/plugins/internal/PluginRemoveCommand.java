package crew.plugins.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.plugins.PluginManager;

/** {@code crew plugin remove ID}: uninstalls a plugin through the p2 director. */
@Component(service = CliCommand.class)
@Command(name = "plugin remove", summary = "remove an installed plugin (its id as crew plugin list shows it)")
public class PluginRemoveCommand implements CliCommand {

    @Override
    public String name() {
        return "plugin remove";
    }

    @Override
    public String summary() {
        return "remove an installed plugin (its id as crew plugin list shows it)";
    }

    @Override
    public String synopsis() {
        return "[options] ID";
    }

    @Override
    public String description() {
        return "Uninstalls a plugin, and the bundles only it needed, through the p2 director; the product is then as it "
                + "was before the plugin was installed. CREW's own features cannot be removed. It takes effect at the next start.";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        PluginManager plugins = Installer.get();
        String id = arguments.positional(0, "ID (crew plugin list shows the installed plugins)");
        arguments.expectAtMostPositionals(1);
        try {
            return PluginInstallCommand.report(context, "removed", plugins.remove(id));
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        }
    }
}
