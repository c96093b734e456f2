import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.core.runtime.adaptor.EclipseStarter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.resource.Namespace;

/**
 * Writes a product's headless configuration area: the product's own configuration without the bundles only the
 * workbench needs, for the headless commands (the crew launcher uses it; docs/startup.md says why). Run by
 * releng/prepare-product.sh for each platform, with the product's framework jar on the class path:
 * {@code java -cp PRODUCT/plugins/org.eclipse.osgi_*.jar HeadlessConfiguration.java PRODUCT OS WS ARCH WORK_DIR OUT_DIR}.
 * <p>
 * It resolves the product's bundles as that platform (as releng/smoke/ResolveCheck.java does: the product's
 * configuration cascaded, osgi.os/ws/arch set, no application), then follows the wires: the workbench's bundles are
 * everything the {@code crew.ui*} bundles reach; the headless bundles are everything the other {@code crew.*}
 * bundles and the bundles the configuration starts reach (with the fragments of each). Left out are the workbench's
 * bundles that no headless bundle reaches, the e4 UI and data-binding bundles the workbench finds without a wire
 * (CSS engine), any bundle that needs a left-out one (a mandatory wire), so that everything left still resolves, and
 * any bundle used only by left-out ones. A bundle nobody reaches and nobody uses stays (slf4j.simple: found through
 * the service loader). OUT_DIR gets config.ini (the application
 * crew.cli.app, no product) and org.eclipse.equinox.simpleconfigurator/bundles.info (the product's lines minus those
 * left out), OUT_DIR/workbench-only.list the left-out bundles and the packages only they export (crew.plugins reads
 * it to keep this list current when a plugin is installed: docs/startup.md), and headless-excluded.txt lists what was
 * left out and why.
 */
public final class HeadlessConfiguration {
    private static final Set<String> STARTED = Set.of("org.eclipse.equinox.simpleconfigurator", "org.apache.felix.scr",
            "org.eclipse.equinox.common", "org.eclipse.equinox.event", "org.eclipse.core.runtime", "org.eclipse.equinox.app");

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: java -cp org.eclipse.osgi.jar HeadlessConfiguration.java PRODUCT OS WS ARCH WORK_DIR OUT_DIR");
            System.exit(2);
        }
        Path product = Path.of(args[0]).toAbsolutePath();
        Path work = Path.of(args[4]).toAbsolutePath();
        Path out = Path.of(args[5]).toAbsolutePath();
        Files.createDirectories(work);
        Map<String, String> properties = new HashMap<>();
        properties.put("osgi.install.area", product.toUri().toString());
        properties.put("osgi.sharedConfiguration.area", product.resolve("configuration").toUri().toString());
        properties.put("osgi.configuration.cascaded", "true");
        properties.put("osgi.configuration.area", work.toUri().toString());
        properties.put("osgi.instance.area", work.resolve("workspace").toUri().toString());
        properties.put("osgi.os", args[1]);
        properties.put("osgi.ws", args[2]);
        properties.put("osgi.arch", args[3]);
        properties.put("eclipse.ignoreApp", "true");
        properties.put("java.awt.headless", "true");
        EclipseStarter.setInitialProperties(properties);
        BundleContext context = EclipseStarter.startup(new String[0], null);
        int exit;
        try {
            exit = write(context, product, out);
        } catch (IOException | RuntimeException e) {
            System.err.println("headless configuration: " + e);
            e.printStackTrace();
            exit = 1;
        }
        // as ResolveCheck: no framework shutdown (the application container would wait for an application)
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(exit);
    }

    private static int write(BundleContext context, Path product, Path out) throws IOException {
        List<BundleWiring> ui = new ArrayList<>();
        List<BundleWiring> headless = new ArrayList<>();
        List<Bundle> all = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0) {
                continue;
            }
            all.add(b);
            BundleWiring wiring = b.adapt(BundleWiring.class);
            String name = b.getSymbolicName();
            if (wiring == null) {
                continue;
            }
            if (name.equals("crew.ui") || name.startsWith("crew.ui.")) {
                ui.add(wiring);
            } else if (name.startsWith("crew.") || STARTED.contains(name)) {
                headless.add(wiring);
            }
        }
        if (ui.isEmpty() || headless.isEmpty()) {
            System.err.println("headless configuration: found " + ui.size() + " workbench and " + headless.size()
                    + " headless crew bundles among " + all.size() + ": not a CREW product?");
            return 1;
        }
        Set<String> uiReach = reach(ui);
        Set<String> headlessReach = reach(headless);
        Map<String, String> excluded = new HashMap<>();
        for (String name : uiReach) {
            if (!headlessReach.contains(name)) {
                excluded.put(name, "workbench only");
            }
        }
        // workbench bundles that the workbench finds through the registry or DS instead of a wire (CSS engine, data binding)
        for (Bundle b : all) {
            String name = b.getSymbolicName();
            if (!headlessReach.contains(name) && (name.startsWith("org.eclipse.e4.ui.") || name.contains(".databinding")
                    || name.equals("org.eclipse.urischeme"))) {
                excluded.putIfAbsent(name, "workbench (by name)");
            }
        }
        // whatever needs a left-out bundle goes too, and what only left-out bundles use, until nothing changes
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Bundle b : all) {
                String name = b.getSymbolicName();
                BundleWiring wiring = b.adapt(BundleWiring.class);
                if (excluded.containsKey(name) || wiring == null) {
                    continue;
                }
                if (!headlessReach.contains(name)) {
                    Set<String> users = new TreeSet<>();
                    for (BundleWire wire : wiring.getProvidedWires(null)) {
                        users.add(wire.getRequirer().getSymbolicName());
                    }
                    users.remove(name);
                    if (!users.isEmpty() && excluded.keySet().containsAll(users)) {
                        excluded.put(name, "used only by " + String.join(", ", users));
                        changed = true;
                        continue;
                    }
                }
                for (BundleWire wire : wiring.getRequiredWires(null)) {
                    String provider = wire.getProvider().getSymbolicName();
                    boolean optional = Namespace.RESOLUTION_OPTIONAL.equals(wire.getRequirement().getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
                    if (excluded.containsKey(provider) && !optional) {
                        excluded.put(name, "needs " + provider);
                        changed = true;
                        break;
                    }
                }
            }
        }
        for (String name : headlessReach) {
            if (excluded.containsKey(name)) {
                System.err.println("headless configuration: the headless bundles need " + name + ", which needs a workbench bundle ("
                        + excluded.get(name) + ")");
                return 1;
            }
        }

        Path config = product.resolve("configuration");
        Path info = config.resolve("org.eclipse.equinox.simpleconfigurator/bundles.info");
        List<String> lines = new ArrayList<>();
        int kept = 0;
        for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
            String name = line.startsWith("#") ? null : line.split(",", 2)[0];
            if (name == null || !excluded.containsKey(name)) {
                lines.add(line);
                kept += name == null ? 0 : 1;
            }
        }
        List<String> ini = new ArrayList<>();
        for (String line : Files.readAllLines(config.resolve("config.ini"), StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("eclipse.application=")) {
                ini.add("eclipse.application=crew.cli.app");
            } else if (!line.startsWith("eclipse.product=")) {
                ini.add(line);
            }
        }
        Files.createDirectories(out.resolve("org.eclipse.equinox.simpleconfigurator"));
        Files.write(out.resolve("org.eclipse.equinox.simpleconfigurator/bundles.info"), lines, StandardCharsets.UTF_8);
        Files.write(out.resolve("config.ini"), ini, StandardCharsets.ISO_8859_1);
        // what a plugin installed later must not need to be in the headless list: the left-out bundles, and the
        // packages that only they export
        Set<String> keptPackages = new TreeSet<>();
        Set<String> leftOutPackages = new TreeSet<>();
        for (Bundle b : all) {
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            for (BundleCapability c : revision.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                Object pkg = c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
                (excluded.containsKey(b.getSymbolicName()) ? leftOutPackages : keptPackages).add(String.valueOf(pkg));
            }
        }
        leftOutPackages.removeAll(keptPackages);
        List<String> workbenchOnly = new ArrayList<>();
        workbenchOnly.add("# The bundles the headless configuration leaves out and the packages only they export, written by");
        workbenchOnly.add("# releng/HeadlessConfiguration.java: a plugin that needs one of them is left out of the headless list too.");
        new TreeSet<>(excluded.keySet()).forEach(n -> workbenchOnly.add("bundle " + n));
        leftOutPackages.forEach(n -> workbenchOnly.add("package " + n));
        Files.write(out.resolve("workbench-only.list"), workbenchOnly, StandardCharsets.UTF_8);
        List<String> report = new ArrayList<>();
        new TreeSet<>(excluded.keySet()).forEach(n -> report.add(n + ": " + excluded.get(n)));
        Files.write(out.getParent().resolve(out.getFileName() + "-excluded.txt"), report, StandardCharsets.UTF_8);
        System.out.println("headless configuration: " + kept + " bundles, " + excluded.size() + " workbench bundles left out");
        return 0;
    }

    /** The symbolic names of the bundles the given wirings reach through their wires, with their fragments. */
    private static Set<String> reach(List<BundleWiring> roots) {
        Set<String> seen = new TreeSet<>();
        Deque<BundleWiring> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            BundleWiring w = todo.pop();
            if (!seen.add(w.getRevision().getSymbolicName())) {
                continue;
            }
            for (BundleWire wire : w.getRequiredWires(null)) {
                BundleWiring provider = wire.getProviderWiring();
                if (provider != null) {
                    todo.push(provider);
                }
            }
            for (BundleWire wire : w.getProvidedWires(HostNamespace.HOST_NAMESPACE)) {
                BundleWiring fragment = wire.getRequirerWiring();
                if (fragment != null) {
                    todo.push(fragment);
                }
            }
            if ((w.getRevision().getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                for (BundleWire wire : w.getRequiredWires(HostNamespace.HOST_NAMESPACE)) {
                    todo.push(wire.getProviderWiring());
                }
            }
        }
        return seen;
    }
}
