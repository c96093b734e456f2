package crew.plugins.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.equinox.log.SynchronousLogListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;

import crew.cli.internal.ComponentFailure;

/**
 * At every start of CREW (crew and the workbench), on stderr, one line for each problem the framework knows, each
 * pointing at {@code crew plugin list}; everything else keeps running:
 * <ul>
 * <li>at once: each bundle that does not resolve;</li>
 * <li>when the framework has started: each Declarative Services component that failed to activate (any bundle), and
 * each component of a plugin (a bundle not CREW's own) waiting for a service nobody provides, read from SCR's
 * DTOs;</li>
 * <li>from then on, when it happens: a bundle whose start fails, and a component that fails when it is first used
 * (a delayed component: SCR logs the failure, this listens synchronously to the framework's log).</li>
 * </ul>
 * Each line names the bundle, the component and the deepest cause; each problem is reported once. Cheap: bundle
 * states and SCR's DTOs, no p2, no plugin code.
 */
@Component(immediate = true, service = {})
public class StartupReport implements FrameworkListener, SynchronousLogListener {
    /** Felix SCR's log messages name the component as "[IMPLEMENTATION-CLASS(CONFIGURATION-ID)]". */
    private static final Pattern COMPONENT = Pattern.compile("\\[([^\\[\\]()]+)\\((\\d+)\\)\\]");

    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final PrintStream err;
    private BundleContext context;
    private volatile ServiceComponentRuntime scr;
    private volatile boolean started;

    public StartupReport() {
        // the real stderr: the framework may have redirected System.err to its console log
        this(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    }

    /** With another stream, without activation (tests): {@link #reportComponents()} and the log listener only. */
    public StartupReport(PrintStream err, BundleContext context) {
        this.err = err;
        this.context = context;
    }

    private StartupReport(PrintStream err) {
        this.err = err;
    }

    @Reference
    void bindScr(ServiceComponentRuntime runtime) {
        this.scr = runtime;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addLogReader(LogReaderService reader) {
        reader.addLogListener(this);
    }

    void removeLogReader(LogReaderService reader) {
        reader.removeLogListener(this);
    }

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
        bundleContext.addFrameworkListener(this);
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getState() == Bundle.INSTALLED && b.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                report("bundle " + b.getSymbolicName() + " " + b.getVersion(), "crew: bundle " + b.getSymbolicName() + " " + b.getVersion()
                        + " does not resolve and does not run: " + BundleHealth.resolutionProblem(b) + " (crew plugin list; crew plugin remove ID)");
            }
        }
        // started already (this bundle was started late): report now, else at the framework's STARTED event
        if (frameworkStarted()) {
            reportComponents();
        }
    }

    /** Whether the framework has reached its beginning start level (Equinox: osgi.startLevel, by default 6). */
    private boolean frameworkStarted() {
        if (started) {
            return true;
        }
        BundleContext c = context;
        FrameworkStartLevel level = c == null ? null : c.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class);
        if (level == null) {
            return false;
        }
        String beginning = c.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        if (beginning == null) {
            beginning = c.getProperty("osgi.startLevel"); // Equinox's name for it
        }
        int target = beginning != null && beginning.matches("\\d+") ? Integer.parseInt(beginning) : 6;
        return level.getStartLevel() >= target;
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(this);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            reportComponents();
            return;
        }
        // a bundle that does not resolve was reported at activation (and each attempt to start it raises this again)
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null && event.getBundle().getBundleId() != 0
                && event.getBundle().getState() != Bundle.INSTALLED) {
            Throwable t = event.getThrowable();
            Bundle b = event.getBundle();
            report("bundle " + b.getSymbolicName() + " " + b.getVersion(), "crew: bundle " + b.getSymbolicName() + " " + b.getVersion()
                    + " failed: " + (t == null ? "" : t.getMessage() + deepestSuffix(t)) + " (crew plugin list)");
        }
    }

    /** The framework has started: what SCR knows now (components that failed, plugin components left waiting). */
    public void reportComponents() {
        started = true;
        for (String line : componentProblems()) {
            report(line.substring(0, line.indexOf('\u0000')), line.substring(line.indexOf('\u0000') + 1));
        }
    }

    /** "KEY\0LINE" for each problem of SCR's DTOs. */
    private List<String> componentProblems() {
        List<String> out = new ArrayList<>();
        ServiceComponentRuntime runtime = scr;
        if (runtime == null) {
            return out;
        }
        for (Bundle b : context.getBundles()) {
          if (b.getState() != Bundle.ACTIVE && b.getState() != Bundle.STARTING) {
              continue; // SCR only runs components of started bundles
          }
          for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(b)) {
            String where = "component " + d.name + " of bundle " + b.getSymbolicName() + " " + b.getVersion();
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    out.add(where + "\u0000crew: " + where + " failed to activate: " + ComponentFailure.deepestCause(c.failure) + " (crew plugin list; crew plugin remove ID)");
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && !crewOwn(b)) {
                    for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
                        String service = serviceOf(d, u.name);
                        out.add(where + " " + u.name + "\u0000crew: " + where + " does not run: it waits for a service nobody provides: " + u.name
                                + (service == null ? "" : " (" + service + ")") + (u.target == null ? "" : " " + u.target) + " (crew plugin list)");
                    }
                }
            }
          }
        }
        return out;
    }

    private static String serviceOf(ComponentDescriptionDTO d, String reference) {
        if (d.references != null) {
            for (var r : d.references) {
                if (reference.equals(r.name)) {
                    return r.interfaceName;
                }
            }
        }
        return null;
    }

    /** CREW's own bundles (their components may wait by design, e.g. the workbench's in the headless command). */
    static boolean crewOwn(Bundle b) {
        return b.getSymbolicName() != null && b.getSymbolicName().startsWith("crew.") && "CREW".equals(b.getHeaders("").get(Constants.BUNDLE_VENDOR));
    }

    /** SCR's errors as they happen, on the thread that logs them: a delayed component that fails when first used. */
    @Override
    public void logged(LogEntry entry) {
        if (entry.getLogLevel() != LogLevel.ERROR || entry.getBundle() == null || entry.getMessage() == null) {
            return;
        }
        Matcher m = COMPONENT.matcher(entry.getMessage());
        if (!m.find() || !isScr(entry)) {
            return;
        }
        Bundle b = entry.getBundle();
        ComponentDescriptionDTO d = description(b, Long.parseLong(m.group(2)));
        String where = "component " + (d == null ? m.group(1) : d.name) + " of bundle " + b.getSymbolicName() + " " + b.getVersion();
        Throwable t = entry.getException();
        String cause = t == null ? entry.getMessage().substring(m.end()).replaceFirst("^\\s*:\\s*", "") : deepest(t);
        report(where, "crew: " + where + (d != null && !d.immediate ? " failed when first used: " : " failed to activate: ") + cause
                + " (crew plugin list; crew plugin remove ID)");
    }

    /** The component whose configuration has id {@code id} (SCR's message names its class), or null. */
    private ComponentDescriptionDTO description(Bundle b, long id) {
        ServiceComponentRuntime runtime = scr;
        if (runtime != null) {
            for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(b)) {
                for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                    if (c.id == id) {
                        return d;
                    }
                }
            }
        }
        return null;
    }

    private static boolean isScr(LogEntry entry) {
        String logger = entry.getLoggerName();
        String message = entry.getMessage();
        return logger != null && logger.startsWith("org.apache.felix.scr") || message.startsWith("bundle ") && message.contains(")[");
    }

    private void report(String key, String line) {
        if (reported.add(key)) {
            err.println(line);
            err.flush();
        }
    }

    /** The innermost cause as "CLASS: MESSAGE". */
    public static String deepest(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    private static String deepestSuffix(Throwable t) {
        return t.getCause() == null ? "" : ": " + deepest(t);
    }
}
