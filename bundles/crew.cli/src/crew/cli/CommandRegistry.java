package crew.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.cli.internal.HelpCommand;

/** Every {@link CliCommand} service registered in the framework, bound by Declarative Services as they come and go. */
@Component(service = CommandRegistry.class)
public class CommandRegistry {
    private final List<CliCommand> commands = new CopyOnWriteArrayList<>();

    public CommandRegistry() {
        commands.add(new HelpCommand(this));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addCommand(CliCommand command) {
        commands.add(command);
    }

    public void removeCommand(CliCommand command) {
        commands.remove(command);
    }

    /** The commands, sorted by name. */
    public List<CliCommand> commands() {
        List<CliCommand> sorted = new ArrayList<>(commands);
        sorted.sort(Comparator.comparing(CliCommand::name));
        return sorted;
    }

    /** The command whose (possibly multi-word) name is the longest prefix of {@code words}. */
    public Optional<CliCommand> find(List<String> words) {
        CliCommand best = null;
        int bestWords = 0;
        for (CliCommand c : commands) {
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
