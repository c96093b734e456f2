package crew.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;

/** {@code crew plugin new NAME}: a plugin project of its own (bundle, tests, feature, update site) built against the SDK. */
@Component(service = CliCommand.class)
public class PluginNewCommand implements CliCommand {

    @Override
    public String name() {
        return "plugin new";
    }

    @Override
    public String summary() {
        return "make a plugin project (bundle, test fragment, feature, update site) that builds against the CREW SDK";
    }

    @Override
    public String synopsis() {
        return "[options] NAME";
    }

    @Override
    public String description() {
        return "Writes a Tycho project for the plugin NAME (a bundle symbolic name such as com.example.crew.hello) into"
                + " ./NAME or --dir: the bundle with a command, its test fragment, a feature, an update site and"
                + " crew-sdk.target, the target definition that points at the CREW SDK (--sdk, or -Dcrew.sdk later)."
                + " Then: cd NAME && mvn verify. docs/plugin-sdk.md says more.";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("sdk", "ZIP|DIR|URL", "the CREW SDK: crew-sdk-VERSION.zip, an unpacked one, or its URL"),
                Option.value("dir", "DIR", "where to write the project (default: ./NAME; must be empty or absent)"),
                Option.value("command", "WORD", "the example command's name (default: NAME's last segment)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        String id = arguments.positional(0, "NAME");
        arguments.expectAtMostPositionals(1);
        String problem = PluginProjectTemplate.problemWithId(id);
        if (problem != null) {
            throw CommandException.badInput("plugin name " + problem);
        }
        String command = arguments.value("command", id.substring(id.lastIndexOf('.') + 1).replace('_', '-'));
        problem = PluginProjectTemplate.problemWithCommand(command);
        if (problem != null) {
            throw CommandException.badInput("--command: " + problem);
        }
        Path dir = context.resolve(arguments.value("dir", id));
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw CommandException.badInput(dir + " exists and is not an empty directory: choose another --dir");
        }
        String sdk = arguments.value("sdk").map(s -> PluginProjectTemplate.sdkUrl(s, context.resolve("."))).orElse(null);
        List<Path> files;
        try {
            files = PluginProjectTemplate.write(dir, id, command, sdk);
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "cannot write the project into " + dir + ": " + e.getMessage(), e);
        }
        if (context.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("plugin", id);
            json.put("command", command);
            json.put("directory", dir.toString());
            json.put("sdk", sdk);
            json.put("files", files.stream().map(f -> dir.relativize(f).toString()).toList());
            context.printJson(json);
        } else {
            context.out().println("wrote plugin project " + id + " (" + files.size() + " files) into " + dir);
            if (sdk == null) {
                context.out().println("no --sdk given: build with  mvn verify -Dcrew.sdk=jar:file:/path/crew-sdk-VERSION.zip!/"
                        + "  (or write it into .mvn/maven.config)");
            } else {
                context.out().println("SDK: " + sdk);
            }
            context.out().println("next: cd " + dir + " && mvn verify   (then: crew plugin install " + id + ".site/target/"
                    + id + ".site-1.0.0-SNAPSHOT.zip)");
        }
        return ExitCode.OK;
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
