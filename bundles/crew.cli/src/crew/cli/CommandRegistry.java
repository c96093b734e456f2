package crew.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.cli.internal.HelpCommand;
import crew.cli.internal.RegisteredCommand;

/**
 * Every {@link CliCommand} service registered in the framework, bound by Declarative Services as they come and go.
 * It binds their service references, not the commands: a command is created (with its references, and the classes
 * and bundles behind them) only when it runs or its help is shown. Names and summaries come from the services'
 * {@link Command} properties; a command registered without them is created the first time its name is needed.
 */
@Component(service = CommandRegistry.class)
public class CommandRegistry {
    private final List<CliCommand> commands = new CopyOnWriteArrayList<>();
    private final Map<ServiceReference<CliCommand>, RegisteredCommand> registered = new ConcurrentHashMap<>();
    private volatile BundleContext context;

    public CommandRegistry() {
        commands.add(new HelpCommand(this));
    }

    @Activate
    void activate(BundleContext bundleContext) {
        context = bundleContext;
    }

    /** Adds a command object (outside the framework, in tests). */
    public void addCommand(CliCommand command) {
        commands.add(command);
    }

    public void removeCommand(CliCommand command) {
        commands.remove(command);
    }

    @Reference(service = CliCommand.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCommand(ServiceReference<CliCommand> reference) {
        RegisteredCommand command = new RegisteredCommand(reference, this::bundleContext);
        registered.put(reference, command);
        commands.add(command);
    }

    void unbindCommand(ServiceReference<CliCommand> reference) {
        RegisteredCommand command = registered.remove(reference);
        if (command != null) {
            commands.remove(command);
            command.release();
        }
    }

    private BundleContext bundleContext() {
        BundleContext c = context;
        // bind methods run before activate: a command asked for that early uses this bundle's context directly
        return c != null ? c : FrameworkUtil.getBundle(CommandRegistry.class).getBundleContext();
    }

    /** The commands that have a name, sorted by it (registered ones are created only if they carry no name). */
    public List<CliCommand> commands() {
        List<CliCommand> sorted = new ArrayList<>();
        for (CliCommand c : commands) {
            if (c instanceof RegisteredCommand r && !r.named()) {
                continue;
            }
            sorted.add(c);
        }
        sorted.sort(Comparator.comparing(CliCommand::name));
        return sorted;
    }

    /** The command whose (possibly multi-word) name is the longest prefix of {@code words}. */
    public Optional<CliCommand> find(List<String> words) {
        CliCommand best = null;
        int bestWords = 0;
        for (CliCommand c : commands) {
            if (c instanceof RegisteredCommand r && !r.named()) {
                continue;
            }
            String[] name = c.name().split(" ");
            if (name.length <= words.size() && name.length > bestWords) {
                boolean match = true;
                for (int i = 0; i < name.length; i++) {
                    match &= name[i].equals(words.get(i));
                }
                if (match) {
                    best = c;
                    bestWords = name.length;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Commands whose name starts with {@code prefix} words, for "did you mean" and group help ({@code crew aws}). */
    public List<CliCommand> startingWith(String firstWord) {
        return commands().stream().filter(c -> c.name().equals(firstWord) || c.name().startsWith(firstWord + " ")).toList();
    }
}
