package crew.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.eclipse.osgi.util.ManifestElement;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * Keeps the product's headless configuration ({@code configuration-headless/}, docs/startup.md) current after a
 * plugin install or removal: its bundle list becomes the product's list without the workbench's bundles, which the
 * build listed in {@code configuration-headless/workbench-only.list} with the packages only they export. A plugin
 * bundle (one not in the build's {@code agent-bundles.list}) is left out too when its manifest needs a left-out bundle
 * or package: a mandatory Require-Bundle, Import-Package or Fragment-Host (a plugin for the workbench only), and so is
 * a plugin bundle that needs one left out that way. The launcher uses the headless configuration while its list is
 * not older than the product's; so the headless commands keep running without the workbench's bundles, the plugins
 * included. The agent's configuration ({@code configuration-agent/}) is never changed: a plugin never runs in the agent.
 */
final class HeadlessList {
    static final String INFO = "org.eclipse.equinox.simpleconfigurator/bundles.info";
    static final String WORKBENCH_ONLY = "workbench-only.list";

    private HeadlessList() {
    }

    /**
     * Writes the headless list from the product's. Empty when the product has no headless configuration; otherwise
     * what was done ("headless configuration: N bundles ...", and each plugin bundle left out with the reason).
     */
    static Optional<String> update(Path product) throws IOException {
        Path headless = product.resolve("configuration-headless");
        Path full = product.resolve("configuration").resolve(INFO);
        if (!Files.isRegularFile(headless.resolve(INFO)) || !Files.isRegularFile(full)) {
            return Optional.empty();
        }
        Path listFile = headless.resolve(WORKBENCH_ONLY);
        if (!Files.isRegularFile(listFile)) {
            return Optional.of("headless configuration: not updated (no " + listFile
                    + ", a product built before it): headless commands use the full configuration while a plugin is installed");
        }
        Set<String> leftOutBundles = new HashSet<>();
        Set<String> leftOutPackages = new HashSet<>();
        for (String line : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
            if (line.startsWith("bundle ")) {
                leftOutBundles.add(line.substring(7).strip());
            } else if (line.startsWith("package ")) {
                leftOutPackages.add(line.substring(8).strip());
            }
        }
        Set<String> shipped = new HashSet<>();
        Path agentList = product.resolve("agent-bundles.list");
        if (Files.isRegularFile(agentList)) {
            for (String line : Files.readAllLines(agentList, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    shipped.add(line.strip());
                }
            }
        }
        List<String> lines = Files.readAllLines(full, StandardCharsets.UTF_8);
        // the plugin bundles (not built with CREW, not the workbench's): what each needs
        Map<String, Needs> plugins = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(",");
            if (line.startsWith("#") || f.length < 3 || leftOutBundles.contains(f[0]) || shipped.contains(f[0] + "," + f[1])) {
                continue;
            }
            plugins.put(f[0], Needs.of(product.resolve(f[2])));
        }
        // left out: a plugin bundle needing a left-out bundle or package, until nothing changes
        Map<String, String> excluded = new TreeMap<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<String, Needs> e : plugins.entrySet()) {
                if (excluded.containsKey(e.getKey())) {
                    continue;
                }
                Optional<String> why = e.getValue().missing(leftOutBundles, leftOutPackages);
                if (why.isPresent()) {
                    excluded.put(e.getKey(), why.get());
                    leftOutBundles.add(e.getKey());
                    Set<String> exported = new HashSet<>(e.getValue().exports);
                    for (Map.Entry<String, Needs> other : plugins.entrySet()) {
                        if (!excluded.containsKey(other.getKey())) {
                            exported.removeAll(other.getValue().exports);
                        }
                    }
                    leftOutPackages.addAll(exported);
                    changed = true;
                }
            }
        }
        List<String> kept = new ArrayList<>();
        int bundles = 0;
        for (String line : lines) {
            String name = line.startsWith("#") ? null : line.split(",", 2)[0];
            if (name == null || !leftOutBundles.contains(name)) {
                kept.add(line);
                bundles += name == null ? 0 : 1;
            }
        }
        Path target = headless.resolve(INFO);
        Path temp = target.resolveSibling("bundles.info.crew-plugins");
        Files.write(temp, kept, StandardCharsets.UTF_8);
        Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        StringBuilder s = new StringBuilder("headless configuration: " + bundles + " bundles, " + (plugins.size() - excluded.size())
                + " of them a plugin's");
        excluded.forEach((n, why) -> s.append("; left out: ").append(n).append(" (").append(why).append(", for the workbench only)"));
        return Optional.of(s.toString());
    }

    /** What a bundle's manifest needs (mandatory only) and exports. */
    private record Needs(List<String> bundles, List<String> packages, List<String> exports) {
        static Needs of(Path location) throws IOException {
            Manifest m = manifest(location);
            if (m == null) {
                return new Needs(List.of(), List.of(), List.of());
            }
            List<String> bundles = new ArrayList<>();
            List<String> packages = new ArrayList<>();
            List<String> exports = new ArrayList<>();
            try {
                for (String header : List.of(Constants.REQUIRE_BUNDLE, Constants.FRAGMENT_HOST)) {
                    for (ManifestElement e : elements(m, header)) {
                        if (!Constants.RESOLUTION_OPTIONAL.equals(e.getDirective(Constants.RESOLUTION_DIRECTIVE))) {
                            bundles.add(e.getValue());
                        }
                    }
                }
                for (ManifestElement e : elements(m, Constants.IMPORT_PACKAGE)) {
                    if (!Constants.RESOLUTION_OPTIONAL.equals(e.getDirective(Constants.RESOLUTION_DIRECTIVE))) {
                        packages.addAll(List.of(e.getValueComponents()));
                    }
                }
                for (ManifestElement e : elements(m, Constants.EXPORT_PACKAGE)) {
                    exports.addAll(List.of(e.getValueComponents()));
                }
            } catch (BundleException e) {
                throw new IOException(location + ": a malformed manifest: " + e.getMessage(), e);
            }
            return new Needs(bundles, packages, exports);
        }

        Optional<String> missing(Set<String> leftOutBundles, Set<String> leftOutPackages) {
            for (String b : bundles) {
                if (leftOutBundles.contains(b)) {
                    return Optional.of("needs bundle " + b);
                }
            }
            for (String p : packages) {
                if (leftOutPackages.contains(p)) {
                    return Optional.of("needs package " + p);
                }
            }
            return Optional.empty();
        }

        private static ManifestElement[] elements(Manifest m, String header) throws BundleException {
            String value = m.getMainAttributes().getValue(header);
            ManifestElement[] e = value == null ? null : ManifestElement.parseHeader(header, value);
            return e == null ? new ManifestElement[0] : e;
        }

        private static Manifest manifest(Path location) throws IOException {
            if (Files.isDirectory(location)) {
                Path mf = location.resolve("META-INF/MANIFEST.MF");
                if (!Files.isRegularFile(mf)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(mf)) {
                    return new Manifest(in);
                }
            }
            if (!Files.isRegularFile(location)) {
                return null;
            }
            try (JarFile jar = new JarFile(location.toFile(), false)) {
                return jar.getManifest();
            }
        }
    }
}
