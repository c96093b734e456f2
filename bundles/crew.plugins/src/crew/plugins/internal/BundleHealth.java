package crew.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import crew.plugins.PluginBundle;

/**
 * A plugin bundle's state in this framework and what keeps it from working: the resolver's message for a bundle that
 * does not resolve, the exception of an activator, a Declarative Services component that failed to activate or waits
 * for a service nobody provides. The rest of CREW runs regardless: OSGi isolates each bundle.
 */
public final class BundleHealth {
    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final Path product;

    /** @param product the product folder, where a bundle this process has not loaded is read from */
    public BundleHealth(BundleContext context, ServiceComponentRuntime scr, Path product) {
        this.context = context;
        this.scr = scr;
        this.product = product;
    }

    /**
     * Checks bundle {@code name} at {@code version}. With {@code activate} it is started (its activator runs) and each
     * service its components registered is fetched once (their activate methods run), so that failures show.
     */
    public PluginBundle check(String name, String version, boolean activate) {
        Bundle bundle = find(context, name, version);
        if (bundle == null) {
            return new PluginBundle(name, version, "NOT LOADED", declaredServices(product, name, version), List.of());
        }
        List<String> problems = new ArrayList<>();
        boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
        if (bundle.getState() == Bundle.INSTALLED) {
            problems.add("does not resolve: " + resolutionProblem(bundle));
        } else if (!fragment) {
            boolean lazy = Constants.ACTIVATION_LAZY.equals(bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY));
            if (activate && bundle.getState() != Bundle.ACTIVE) {
                try {
                    bundle.start(Bundle.START_TRANSIENT);
                } catch (BundleException | IllegalStateException e) {
                    problems.add("fails to start: " + message(e));
                }
            } else if (!lazy && bundle.getState() == Bundle.RESOLVED) {
                problems.add("never starts: its manifest lacks Bundle-ActivationPolicy: lazy, so its components never run");
            }
            if (activate && bundle.getState() == Bundle.ACTIVE) {
                ServiceReference<?>[] refs = bundle.getRegisteredServices();
                for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                    try {
                        context.getService(ref);
                    } catch (RuntimeException e) {
                        // SCR logs and returns null for a component that throws; the DTO below says why
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        }
        Set<String> services = new LinkedHashSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
            if (d.serviceInterfaces != null) {
                services.addAll(List.of(d.serviceInterfaces));
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problems.add("component " + d.name + " fails to activate: " + firstLine(c.failure));
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
                        problems.add("component " + d.name + " waits for a service nobody provides: " + u.name + (u.target == null ? "" : " " + u.target));
                    }
                }
            }
        }
        return new PluginBundle(name, version, state(bundle), List.copyOf(services), problems);
    }

    /**
     * The service interfaces a bundle's Declarative Services components declare ({@code <provide interface=...>}),
     * read from its jar or folder in the product's plugins/ (p2's layout: NAME_VERSION.jar), for a bundle installed
     * after this process started.
     */
    public static List<String> declaredServices(Path product, String name, String version) {
        Path jar = product.resolve("plugins").resolve(name + "_" + version + ".jar");
        Path folder = product.resolve("plugins").resolve(name + "_" + version);
        Set<String> services = new LinkedHashSet<>();
        try {
            if (Files.isRegularFile(jar)) {
                try (JarFile file = new JarFile(jar.toFile(), false)) {
                    Manifest m = file.getManifest();
                    for (String xml : components(m)) {
                        JarEntry e = file.getJarEntry(xml);
                        if (e != null) {
                            try (InputStream in = file.getInputStream(e)) {
                                provided(new String(in.readAllBytes(), StandardCharsets.UTF_8), services);
                            }
                        }
                    }
                }
            } else if (Files.isDirectory(folder)) {
                Manifest m;
                try (InputStream in = Files.newInputStream(folder.resolve("META-INF/MANIFEST.MF"))) {
                    m = new Manifest(in);
                }
                for (String xml : components(m)) {
                    Path f = folder.resolve(xml);
                    if (Files.isRegularFile(f)) {
                        provided(Files.readString(f), services);
                    }
                }
            }
        } catch (IOException e) {
            // unreadable: no services to show
        }
        return List.copyOf(services);
    }

    private static List<String> components(Manifest m) {
        String header = m == null ? null : m.getMainAttributes().getValue("Service-Component");
        if (header == null) {
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        for (String p : header.split(",")) {
            if (!p.isBlank() && !p.contains("*")) {
                paths.add(p.trim());
            }
        }
        return paths;
    }

    private static void provided(String xml, Set<String> into) {
        Matcher m = PROVIDE.matcher(xml);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static final Pattern PROVIDE = Pattern.compile("<provide\\s+interface\\s*=\\s*[\"']([^\"']+)[\"']");

    /** The bundle with this symbolic name and version (a p2 version as the profile writes it), or null. */
    public static Bundle find(BundleContext context, String name, String version) {
        Version wanted = Version.parseVersion(version);
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName()) && b.getVersion().equals(wanted)) {
                return b;
            }
        }
        return null;
    }

    /** Why a bundle in state INSTALLED does not resolve: the framework's own message (it names the requirement). */
    public static String resolutionProblem(Bundle bundle) {
        try {
            bundle.start(Bundle.START_TRANSIENT | Bundle.START_ACTIVATION_POLICY);
            return "resolved now";
        } catch (BundleException | IllegalStateException e) {
            return message(e);
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim());
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            s.append(": ").append(t);
        }
        return s.toString();
    }

    /** The failure's first line and its deepest cause ("Caused by: ..."), which names the plugin's own exception. */
    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        String[] lines = s.split("\n");
        String cause = null;
        for (String l : lines) {
            if (l.trim().startsWith("Caused by:")) {
                cause = l.trim();
            }
        }
        return lines[0].trim() + (cause == null ? "" : " " + cause);
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.STARTING -> "STARTING";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            default -> "STATE " + b.getState();
        };
    }
}
