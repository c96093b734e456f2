package crew.plugins.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * At every start of CREW (crew and the workbench): one line on stderr for each bundle that does not resolve, and
 * for each bundle whose start fails from then on, pointing at {@code crew plugin list}. Everything else keeps
 * running. Cheap: it reads bundle states, not the p2 profile.
 */
@Component(immediate = true, service = {})
public class StartupReport implements FrameworkListener {
    private BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
        bundleContext.addFrameworkListener(this);
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getState() == Bundle.INSTALLED && b.getHeaders("").get("Fragment-Host") == null) {
                System.err.println("crew: bundle " + b.getSymbolicName() + " " + b.getVersion() + " does not resolve and does not run: "
                        + BundleHealth.resolutionProblem(b) + " (crew plugin list; crew plugin remove ID)");
            }
        }
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(this);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        // a bundle that does not resolve was reported at activation (and each attempt to start it raises this again)
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null && event.getBundle().getBundleId() != 0
                && event.getBundle().getState() != Bundle.INSTALLED) {
            Throwable t = event.getThrowable();
            System.err.println("crew: bundle " + event.getBundle().getSymbolicName() + " " + event.getBundle().getVersion() + " failed: "
                    + (t == null ? "" : t.getMessage()) + " (crew plugin list)");
        }
    }
}
