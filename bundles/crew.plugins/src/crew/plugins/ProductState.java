package crew.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the p2 director changes in a product besides the install itself, saved before an operation and put back
 * after it: the repositories it remembers (CREW keeps no list of known repositories: every install names its own,
 * so the engine's and the profile's preference files are restored), and after a refused or failed operation the
 * artifacts it had already fetched into the bundle pool (plugins/, features/, artifacts.xml), which p2 leaves
 * there when the trust check stops the install. A successful removal is cleaned by p2's own garbage collector.
 */
final class ProductState {
    private static final List<String> PREFERENCE_FOLDERS = List.of("p2/org.eclipse.equinox.p2.engine/.settings",
            "p2/org.eclipse.equinox.p2.engine/profileRegistry");
    private final Path product;
    private final Map<Path, byte[]> preferences = new LinkedHashMap<>();
    private final Set<Path> pool = new HashSet<>();
    private final byte[] artifacts;

    private ProductState(Path product) throws IOException {
        this.product = product;
        for (Path p : preferenceFiles()) {
            preferences.put(p, Files.readAllBytes(p));
        }
        for (String folder : List.of("plugins", "features")) {
            if (Files.isDirectory(product.resolve(folder))) {
                try (Stream<Path> s = Files.list(product.resolve(folder))) {
                    s.forEach(pool::add);
                }
            }
        }
        Path a = product.resolve("artifacts.xml");
        artifacts = Files.exists(a) ? Files.readAllBytes(a) : null;
    }

    static ProductState of(Path product) {
        try {
            return new ProductState(product);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the product at " + product + ": " + e.getMessage(), e);
        }
    }

    private List<Path> preferenceFiles() throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (String folder : PREFERENCE_FOLDERS) {
            Path f = product.resolve(folder);
            if (Files.isDirectory(f)) {
                try (Stream<Path> s = Files.walk(f)) {
                    s.filter(p -> p.toString().endsWith(".prefs")).forEach(files::add);
                }
            }
        }
        return files;
    }

    /** Restores the preference files; after a failed operation also the bundle pool. */
    void restore(boolean succeeded) throws IOException {
        for (Path p : preferenceFiles()) {
            if (!preferences.containsKey(p)) {
                Files.delete(p);
                deleteEmptyParents(p.getParent());
            }
        }
        for (Map.Entry<Path, byte[]> e : preferences.entrySet()) {
            Files.createDirectories(e.getKey().getParent());
            Files.write(e.getKey(), e.getValue());
        }
        if (succeeded) {
            return;
        }
        for (String folder : List.of("plugins", "features")) {
            if (!Files.isDirectory(product.resolve(folder))) {
                continue;
            }
            try (Stream<Path> s = Files.list(product.resolve(folder))) {
                for (Path p : s.filter(p -> !pool.contains(p)).toList()) {
                    try (Stream<Path> tree = Files.walk(p)) {
                        for (Path q : tree.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(q);
                        }
                    }
                }
            }
        }
        if (artifacts != null) {
            Files.write(product.resolve("artifacts.xml"), artifacts);
        }
    }

    private void deleteEmptyParents(Path dir) throws IOException {
        Path d = dir;
        while (d != null && d.startsWith(product.resolve("p2")) && !d.equals(product.resolve("p2"))) {
            try (Stream<Path> s = Files.list(d)) {
                if (s.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(d);
            d = d.getParent();
        }
    }
}
