package crew.cli.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.ExitCode;

/** {@code crew version} (also {@code crew --version}): CREW's version and the runtime it runs on. */
@Component(service = CliCommand.class)
@Command(name = "version", summary = "print CREW's version and runtime (also: crew --version)")
public class VersionCommand implements CliCommand {
    /** Given outside the framework; null: this bundle's and the framework's, asked when it runs. */
    private final String crewVersion;
    private final String framework;

    public VersionCommand() {
        this(null, null);
    }

    /**
     * The command outside the framework (the crew command's plain fast path, crew.agent's PlainClient), with the
     * versions the product's bundle list names: this bundle's, and the framework's as "SYMBOLIC-NAME VERSION".
     */
    public VersionCommand(String crewVersion, String framework) {
        this.crewVersion = crewVersion;
        this.framework = framework;
    }

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print CREW's version and runtime (also: crew --version)";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) {
        String version = crewVersion;
        String osgi = framework;
        if (version == null) {
            Bundle bundle = FrameworkUtil.getBundle(getClass());
            version = bundle == null ? "unknown" : bundle.getVersion().toString();
            if (bundle != null) {
                Bundle f = bundle.getBundleContext().getBundle(0);
                osgi = f.getSymbolicName() + " " + f.getVersion();
            }
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("crew", version);
        info.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        if (osgi != null) {
            info.put("osgi", osgi);
        }
        if (context.json()) {
            context.printJson(info);
        } else {
            context.out().println("crew " + version);
            info.forEach((k, v) -> {
                if (!k.equals("crew")) {
                    context.out().println(k + ": " + v);
                }
            });
        }
        return ExitCode.OK;
    }
}
