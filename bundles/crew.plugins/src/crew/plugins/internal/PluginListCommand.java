package crew.plugins.internal;

import org.eclipse.equinox.p2.core.ProvisionException;
import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.plugins.InstalledPlugin;
import crew.plugins.PluginBundle;
import crew.plugins.PluginManager;

import java.util.List;

/** {@code crew plugin list}: the installed plugins, their bundles, the services they provide and what is broken. */
@Component(service = CliCommand.class)
@Command(name = "plugin list", summary = "list the installed plugins, the services each provides, and any that does not resolve or fails to start")
public class PluginListCommand implements CliCommand {

    @Override
    public String name() {
        return "plugin list";
    }

    @Override
    public String summary() {
        return "list the installed plugins, the services each provides, and any that does not resolve or fails to start";
    }

    @Override
    public String description() {
        return "Lists the plugins installed in this product's p2 profile (the root units CREW itself does not need) with "
                + "their bundles. Each bundle is started and its services fetched once, so that a plugin that does not "
                + "resolve, whose activator throws or whose component fails is reported with the framework's reason. "
                + "Exit code 1 when one is broken.";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.flag("no-start", "do not start the plugins' bundles (only what this start already shows)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        PluginManager plugins = Installer.get();
        arguments.expectAtMostPositionals(0);
        List<InstalledPlugin> installed;
        try {
            installed = plugins.installed(!arguments.has("no-start"));
        } catch (ProvisionException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        }
        boolean broken = installed.stream().anyMatch(p -> !p.healthy());
        if (context.json()) {
            context.printJson(installed);
            return broken ? ExitCode.FINDINGS : ExitCode.OK;
        }
        if (installed.isEmpty()) {
            context.out().println("no plugins installed in " + plugins.product());
        }
        for (InstalledPlugin p : installed) {
            context.out().println(p.id() + " " + p.version() + (p.name().equals(p.id()) ? "" : "  " + p.name())
                    + (p.provider().isEmpty() ? "" : " (" + p.provider() + ")") + (p.healthy() ? "" : "  BROKEN"));
            for (PluginBundle b : p.bundles()) {
                context.out().println("  " + b.symbolicName() + " " + b.version() + "  " + b.state()
                        + ("NOT LOADED".equals(b.state()) ? " (installed after this start: runs from the next one)" : ""));
                for (String s : b.services()) {
                    context.out().println("    provides " + s);
                }
                for (String problem : b.problems()) {
                    context.out().println("    PROBLEM: " + problem);
                }
            }
        }
        return broken ? ExitCode.FINDINGS : ExitCode.OK;
    }
}
