package crew.plugins.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.plugins.PluginManager;

/**
 * The {@link PluginManager} service, looked up when a plugin command runs rather than bound when it is registered:
 * {@code crew help} and every other command then start without activating p2.
 */
final class Installer {
    private Installer() {
    }

    static PluginManager get() throws CommandException {
        BundleContext context = FrameworkUtil.getBundle(Installer.class).getBundleContext();
        ServiceReference<PluginManager> ref = context.getServiceReference(PluginManager.class);
        PluginManager manager = ref == null ? null : context.getService(ref);
        if (manager == null) {
            throw new CommandException(ExitCode.UNAVAILABLE,
                    "the plugin installer is not available in this CREW (it needs the p2 director bundles of feature crew.p2)");
        }
        return manager;
    }
}
