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
        Bundle bundle = FrameworkUtil.getBundle(getClass());
        String version = bundle == null ? "unknown" : bundle.getVersion().toString();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("crew", version);
        info.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        if (bundle != null) {
            Bundle framework = bundle.getBundleContext().getBundle(0);
            info.put("osgi", framework.getSymbolicName() + " " + framework.getVersion());
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
