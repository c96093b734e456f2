package crew.cli.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Why a command's component could not be created, from SCR's DTOs: the component, its bundle, the deepest cause. */
public final class ComponentFailure {

    private ComponentFailure() {
    }

    /** "cannot run: its component C of bundle B V failed to activate: CAUSE (crew plugin list; crew plugin remove ID)". */
    static String describe(BundleContext context, ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        Object component = reference.getProperty(ComponentConstants.COMPONENT_NAME);
        String where = (component == null ? "its service" : "its component " + component) + " of bundle "
                + (bundle == null ? "(uninstalled)" : bundle.getSymbolicName() + " " + bundle.getVersion());
        String cause = bundle == null || component == null ? null : cause(context, bundle, component.toString());
        return "cannot run: " + where + " failed to activate" + (cause == null ? "" : ": " + cause)
                + (bundle != null && isCrew(bundle) ? "" : " (crew plugin list; crew plugin remove ID)");
    }

    private static boolean isCrew(Bundle b) {
        return b.getSymbolicName() != null && b.getSymbolicName().startsWith("crew.");
    }

    private static String cause(BundleContext context, Bundle bundle, String component) {
        ServiceReference<ServiceComponentRuntime> ref;
        try {
            ref = context.getServiceReference(ServiceComponentRuntime.class);
        } catch (IllegalStateException e) {
            return null;
        }
        if (ref == null) {
            return null;
        }
        ServiceComponentRuntime scr = context.getService(ref);
        try {
            ComponentDescriptionDTO d = scr == null ? null : scr.getComponentDescriptionDTO(bundle, component);
            if (d == null) {
                return null;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.failure != null && !c.failure.isBlank()) {
                    return deepestCause(c.failure);
                }
            }
            return null;
        } finally {
            context.ungetService(ref);
        }
    }

    /** The last "Caused by:" of a stack trace as SCR keeps it (the plugin's own exception), else its first line. */
    public static String deepestCause(String failure) {
        if (failure == null || failure.isBlank()) {
            return "(no message)";
        }
        String[] lines = failure.split("\n");
        String cause = lines[0].trim();
        for (String l : lines) {
            if (l.trim().startsWith("Caused by:")) {
                cause = l.trim().substring("Caused by:".length()).trim();
            }
        }
        return cause;
    }
}
