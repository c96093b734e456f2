import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.adaptor.EclipseStarter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Starts a product's Equinox as if on another platform and lists the bundles that do not resolve there. Run by
 * releng/smoke/archive-check.sh with the product's framework jar on the class path (compiled once, then
 * {@code java -cp DIR:PRODUCT/plugins/org.eclipse.osgi_*.jar ResolveCheck PRODUCT OS WS ARCH CONFIG_DIR [SHARED]}; SHARED
 * names another configuration area of the product, such as configuration-headless).
 * The framework starts from the product's own configuration (cascaded, so the product is not written to) with
 * osgi.os/ws/arch set, which decide the platform filters, so the bundle set is the one that platform gets; no
 * application runs. Prints every bundle with its state; exits 1 when a bundle is left unresolved, with the reason
 * Equinox gives, 0 when all resolved.
 */
public final class ResolveCheck {
    public static void main(String[] args) throws Exception {
        if (args.length != 5 && args.length != 6) {
            System.err.println("usage: java -cp DIR:org.eclipse.osgi.jar ResolveCheck PRODUCT OS WS ARCH CONFIG_DIR [SHARED_CONFIGURATION]");
            System.exit(2);
        }
        // the product's configuration, or another of its configuration areas (configuration-headless)
        String shared = args.length == 6 ? args[5] : "configuration";
        Path product = Path.of(args[0]).toAbsolutePath();
        Path config = Path.of(args[4]).toAbsolutePath();
        Files.createDirectories(config);
        Map<String, String> properties = new HashMap<>();
        properties.put("osgi.install.area", product.toUri().toString());
        properties.put("osgi.sharedConfiguration.area", product.resolve(shared).toUri().toString());
        properties.put("osgi.configuration.cascaded", "true");
        properties.put("osgi.configuration.area", config.toUri().toString());
        properties.put("osgi.instance.area", config.resolve("workspace").toUri().toString());
        properties.put("osgi.os", args[1]);
        properties.put("osgi.ws", args[2]);
        properties.put("osgi.arch", args[3]);
        properties.put("eclipse.ignoreApp", "true");
        properties.put("java.awt.headless", "true");
        EclipseStarter.setInitialProperties(properties);
        BundleContext context = EclipseStarter.startup(new String[0], null);
        List<String> unresolved = new ArrayList<>();
        int count = 0;
        for (Bundle bundle : context.getBundles()) {
            count++;
            boolean fragment = (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            System.out.println(state(bundle.getState()) + " " + bundle.getSymbolicName() + " " + bundle.getVersion()
                    + (fragment ? " (fragment)" : ""));
            if (bundle.getState() == Bundle.INSTALLED) {
                unresolved.add(bundle.getSymbolicName() + " " + bundle.getVersion() + ": " + reason(bundle, fragment));
            }
        }
        String platform = args[1] + "/" + args[2] + "/" + args[3] + (args.length == 6 ? " (" + shared + ")" : "");
        int exit = 0;
        if (count < 2) {
            System.out.println("resolve check " + platform + ": the product's bundles were not installed (" + count + " bundle)");
            exit = 1;
        } else if (!unresolved.isEmpty()) {
            System.out.println("resolve check " + platform + ": " + unresolved.size() + " of " + count + " bundles unresolved:");
            unresolved.forEach(u -> System.out.println("  " + u));
            exit = 1;
        } else {
            System.out.println("resolve check " + platform + ": all " + count + " bundles resolved");
        }
        // No framework shutdown: with no application run, Equinox's application container waits seconds for one
        // before it stops. The configuration area is a throw-away one.
        System.out.flush();
        Runtime.getRuntime().halt(exit);
    }

    /** Why Equinox cannot resolve it: starting a bundle resolves it first and says what is missing. */
    private static String reason(Bundle bundle, boolean fragment) {
        if (fragment) {
            return "a fragment that attached to no host";
        }
        try {
            bundle.start(Bundle.START_TRANSIENT);
            return "unresolved until started";
        } catch (BundleException e) {
            return e.getMessage().replace('\n', ' ');
        }
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
