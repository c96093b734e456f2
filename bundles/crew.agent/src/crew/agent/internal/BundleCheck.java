package crew.agent.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The agent's check of what it runs with: every bundle installed in its framework must be one of CREW's own, as the
 * build listed them in the product's {@code agent-bundles.list} (symbolic name,version per line; made by
 * releng/prepare-product.sh from the agent's configuration), and must come from the product's {@code plugins/}
 * folder. The launcher starts the agent from {@code configuration-agent/}, which holds exactly those; this check is the
 * second line, for an agent started any other way (a hand-made command line, a configuration changed after the
 * build). It runs when the agent command runs, after the framework started its bundles: an activator of a foreign
 * bundle set to start could already have run (docs/agent.md says so); no client is served by then.
 */
public final class BundleCheck {
    /** The file in the product folder. */
    public static final String LIST = "agent-bundles.list";

    private BundleCheck() {
    }

    /** A bundle that is not one of the shipped ones: what the refusal names. */
    public record Foreign(String symbolicName, String version, String location, String why) {
        @Override
        public String toString() {
            return symbolicName + " " + version + " (location " + location + "): " + why;
        }
    }

    /** The shipped list: "symbolic name,version" lines, comments (#) and blank lines skipped. */
    public static Set<String> read(Path list) throws IOException {
        Set<String> shipped = new LinkedHashSet<>();
        int n = 0;
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split(",");
            if (f.length != 2 || f[0].isBlank() || f[1].isBlank()) {
                throw new IOException(list + " line " + n + ": expected 'symbolic-name,version', found '" + l + "'");
            }
            shipped.add(f[0].strip() + "," + f[1].strip());
        }
        return shipped;
    }

    /**
     * The installed bundles (but the framework itself) that are not in {@code shipped} or that do not come from
     * {@code product}/plugins.
     */
    public static List<Foreign> foreign(BundleContext context, Set<String> shipped, Path product) {
        Path plugins = product.toAbsolutePath().normalize().resolve("plugins");
        List<Foreign> found = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0) {
                continue;
            }
            String name = String.valueOf(b.getSymbolicName());
            String version = b.getVersion().toString();
            String location = b.getLocation();
            if (!shipped.contains(name + "," + version)) {
                found.add(new Foreign(name, version, location, "not one of CREW's own bundles"));
                continue;
            }
            Optional<Path> file = file(location, product);
            if (file.isEmpty() || !file.get().startsWith(plugins)) {
                found.add(new Foreign(name, version, location, "not from " + plugins));
            }
        }
        return found;
    }

    /**
     * The file a bundle location names ([initial@]reference:file:..., file:..., relative to the product or to its
     * plugins folder), if it names one.
     */
    static Optional<Path> file(String location, Path product) {
        // the launcher's own bundles (osgi.bundles, osgi.framework.extensions) are "initial@reference:file:..."
        String l = location.startsWith("initial@") ? location.substring("initial@".length()) : location;
        l = l.startsWith("reference:") ? l.substring("reference:".length()) : l;
        if (!l.startsWith("file:")) {
            return Optional.empty();
        }
        String path = l.substring("file:".length());
        try {
            Path p;
            if (path.startsWith("/")) {
                p = Path.of(new URI("file", null, path, null));
            } else {
                // relative: to the product (simpleconfigurator's plugins/...), else to the framework's folder (the
                // launcher's osgi.bundles and osgi.framework.extensions name jars beside org.eclipse.osgi)
                p = product.resolve(path);
                if (!Files.exists(p)) {
                    p = product.resolve("plugins").resolve(path);
                }
            }
            return Optional.of(p.toAbsolutePath().normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The check as the agent runs it: empty when every bundle is shipped; the refusal's text otherwise. A product
     * without the list (one built before it, or a test runtime that is no product) is not checked: {@code note} says
     * so.
     */
    public static Optional<String> refusal(BundleContext context, Path product, java.util.function.Consumer<String> note) throws IOException {
        Path list = product.resolve(LIST);
        Set<String> shipped;
        try {
            shipped = read(list);
        } catch (NoSuchFileException e) {
            note.accept("no " + list + ": not a product folder, the bundles are not checked");
            return Optional.empty();
        }
        List<Foreign> foreign = foreign(context, shipped, product);
        if (foreign.isEmpty()) {
            note.accept(context.getBundles().length - 1 + " bundles, all of them CREW's own (" + list + ")");
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder("refusing to run as root with bundles that are not CREW's own (" + list + "):");
        for (Foreign f : foreign) {
            s.append("\n  ").append(f);
        }
        s.append("\nthe agent runs with configuration-agent/ only (the crew launcher: crew agent); a plugin never runs in it");
        return Optional.of(s.toString());
    }
}
