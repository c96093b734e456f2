package crew.cli.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;

/** The Equinox application behind {@code ./crew COMMAND}: no SWT, no workbench, just the command. */
public class CrewApplication implements IApplication {

    @Override
    public Object start(IApplicationContext appContext) throws Exception {
        String[] args = (String[]) appContext.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        List<String> words = args == null ? List.of() : Arrays.asList(args);
        BundleContext bundleContext = FrameworkUtil.getBundle(getClass()).getBundleContext();
        ServiceTracker<CommandRegistry, CommandRegistry> tracker = new ServiceTracker<>(bundleContext, CommandRegistry.class, null);
        tracker.open();
        // Write to the real stdout/stderr: the framework may have redirected System.out for its console log.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        try {
            CommandRegistry registry = tracker.waitForService(30_000);
            if (registry == null) {
                err.println("crew: the command registry did not start (is org.apache.felix.scr in the product?)");
                return ExitCode.INTERNAL;
            }
            Path cwd = Path.of(System.getProperty("crew.cwd", System.getProperty("user.dir")));
            CommandContext context = new CommandContext(out, err, new FileInputStream(FileDescriptor.in), cwd, false);
            return new CommandLine(registry).run(words, context);
        } catch (Throwable e) {
            // thrown out of start(), it would reach only the framework's log file, and the process would exit 0
            err.println("crew: internal error (a bug in CREW; please report it with what follows): " + e);
            e.printStackTrace(err);
            return ExitCode.INTERNAL;
        } finally {
            out.flush();
            err.flush();
            tracker.close();
        }
    }

    @Override
    public void stop() {
        // commands end on their own; a long-running one watches its own interruption
    }
}
