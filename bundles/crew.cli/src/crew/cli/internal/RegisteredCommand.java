package crew.cli.internal;

import java.util.List;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.Option;

/**
 * A {@link CliCommand} service as the registry holds it: its name and summary from the service's {@link Command}
 * properties, the command object itself got from the framework (which creates a delayed DS component) the first
 * time anything else is asked, or its name when the service carries none.
 */
public final class RegisteredCommand implements CliCommand {
    private final ServiceReference<CliCommand> reference;
    private final Supplier<BundleContext> context;
    private final String name;
    private final String summary;
    private CliCommand service;
    private boolean failed;

    public RegisteredCommand(ServiceReference<CliCommand> reference, Supplier<BundleContext> context) {
        this.reference = reference;
        this.context = context;
        this.name = text(reference.getProperty(Command.NAME));
        this.summary = text(reference.getProperty(Command.SUMMARY));
    }

    private static String text(Object property) {
        return property instanceof String s && !s.isBlank() ? s : null;
    }

    /** Whether it has a name: from its properties, else from the command, created for that (false when it fails). */
    public boolean named() {
        if (name != null) {
            return true;
        }
        synchronized (this) {
            if (service == null && !failed) {
                try {
                    service();
                } catch (IllegalStateException e) {
                    return false;
                }
            }
            return service != null;
        }
    }

    /** Whether the command object has been created (for tests and the start-up benchmark). */
    public synchronized boolean created() {
        return service != null;
    }

    /** The command, created on first use; checks that its name and summary agree with the properties. */
    public synchronized CliCommand service() {
        if (service != null) {
            return service;
        }
        CliCommand s = null;
        try {
            s = context.get().getService(reference);
        } catch (IllegalStateException | SecurityException e) {
            // the registry's bundle stopped, or the service went away meanwhile: reported below
        }
        if (s == null) {
            failed = true;
            throw new CommandUnavailableException(ComponentFailure.describe(context.get(), reference));
        }
        if (name != null && !name.equals(s.name()) || summary != null && !summary.equals(s.summary())) {
            context.get().ungetService(reference);
            failed = true;
            throw new IllegalStateException(s.getClass().getName() + " of bundle " + bundleName() + " declares "
                    + Command.NAME + "='" + name + "', " + Command.SUMMARY + "='" + summary + "' but its name() is '"
                    + s.name() + "' and its summary() '" + s.summary() + "': make its @Command say the same");
        }
        service = s;
        return s;
    }

    private String bundleName() {
        return reference.getBundle() == null ? "(uninstalled)" : reference.getBundle().getSymbolicName();
    }

    /** Gives the command object back to the framework, when the service goes away. */
    public synchronized void release() {
        if (service != null) {
            service = null;
            try {
                context.get().ungetService(reference);
            } catch (IllegalStateException e) {
                // the registry's bundle is stopping: the framework releases everything itself
            }
        }
    }

    @Override
    public String name() {
        return name != null ? name : service().name();
    }

    @Override
    public String summary() {
        return summary != null ? summary : service().summary();
    }

    @Override
    public String synopsis() {
        return service().synopsis();
    }

    @Override
    public String description() {
        return service().description();
    }

    @Override
    public List<Option> options() {
        return service().options();
    }

    @Override
    public int run(CommandContext commandContext, Arguments arguments) throws CommandException {
        return service().run(commandContext, arguments);
    }

    @Override
    public String toString() {
        return "command '" + name() + "' (" + bundleName() + (created() ? ", created" : "") + ")";
    }
}
