package crew.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * CREW's API versions are consistent across the repository (docs/plugin-sdk.md): Tycho builds from the manifests and
 * ignores package-info.java, and the baseline compares only with the previous release, so a package whose two
 * versions disagree, or a bundle that imports an API package outside its major version, would go unnoticed.
 */
class ApiVersionsTest {

    private static final Pattern VERSION_ANNOTATION = Pattern.compile(
            "@org\\.osgi\\.annotation\\.versioning\\.Version\\(\"([0-9.]+)\"\\)\\s*package\\s+([\\w.]+)\\s*;");

    private static Path repo() {
        return Path.of(System.getProperty("crew.repo.dir", "../.."));
    }

    /** A manifest header's clauses, continuation lines unfolded, split on commas outside quotes. */
    static List<String> clauses(Path manifest, String header) throws IOException {
        StringBuilder value = null;
        List<String> unfolded = new ArrayList<>();
        for (String line : Files.readAllLines(manifest)) {
            if (line.startsWith(" ") && !unfolded.isEmpty()) {
                unfolded.set(unfolded.size() - 1, unfolded.get(unfolded.size() - 1) + line.substring(1));
            } else {
                unfolded.add(line);
            }
        }
        for (String line : unfolded) {
            if (line.startsWith(header + ":")) {
                value = new StringBuilder(line.substring(header.length() + 1).strip());
            }
        }
        List<String> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        boolean quoted = false;
        StringBuilder clause = new StringBuilder();
        for (char c : value.toString().toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                result.add(clause.toString().strip());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        result.add(clause.toString().strip());
        return result;
    }

    static String attribute(String clause, String name) {
        Matcher m = Pattern.compile(";\\s*" + name + "=\"?([^\";]*)\"?").matcher(clause);
        return m.find() ? m.group(1) : null;
    }

    /** Every package-info.java with a @Version under bundles/: package to version. */
    private static Map<String, String> annotatedPackages() throws IOException {
        Map<String, String> versions = new TreeMap<>();
        try (Stream<Path> files = Files.walk(repo().resolve("bundles"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("package-info.java"))
                    .filter(p -> !p.toString().contains("/templates/")).toList()) {
                Matcher m = VERSION_ANNOTATION.matcher(Files.readString(f));
                if (m.find()) {
                    versions.put(m.group(2), m.group(1));
                }
            }
        }
        return versions;
    }

    private static List<Path> manifests() throws IOException {
        List<Path> result = new ArrayList<>();
        for (String dir : List.of("bundles", "tests")) {
            try (Stream<Path> modules = Files.list(repo().resolve(dir))) {
                modules.map(m -> m.resolve("META-INF/MANIFEST.MF")).filter(Files::isRegularFile).sorted().forEach(result::add);
            }
        }
        return result;
    }

    @Test
    void givenTheApiPackages_whenComparedWithTheirManifests_thenExportVersionAndPackageInfoAgree() throws IOException {
        Map<String, String> annotated = annotatedPackages();
        assertTrue(annotated.keySet().containsAll(List.of("crew.cli", "crew.model.net", "crew.routing.api",
                "crew.routing.inspect", "crew.design", "crew.enforce", "crew.ui.app")), annotated.toString());
        Map<String, String> exported = new LinkedHashMap<>();
        for (Path mf : manifests()) {
            for (String clause : clauses(mf, "Export-Package")) {
                String pkg = clause.split(";")[0].strip();
                if (annotated.containsKey(pkg)) {
                    exported.put(pkg, attribute(clause, "version"));
                }
            }
        }
        for (Map.Entry<String, String> e : annotated.entrySet()) {
            assertEquals(e.getValue(), exported.get(e.getKey()),
                    "package " + e.getKey() + ": package-info.java says " + e.getValue() + ", Export-Package "
                            + exported.get(e.getKey()));
        }
    }

    @Test
    void givenEveryBundleAndFragment_whenItImportsAnApiPackage_thenTheRangeIsTheExportsMajorVersion() throws IOException {
        Map<String, String> api = annotatedPackages();
        List<String> problems = new ArrayList<>();
        for (Path mf : manifests()) {
            for (String clause : clauses(mf, "Import-Package")) {
                String pkg = clause.split(";")[0].strip();
                String exported = api.get(pkg);
                if (exported == null) {
                    continue;
                }
                int major = Integer.parseInt(exported.split("\\.")[0]);
                String range = attribute(clause, "version");
                Matcher m = range == null ? null : Pattern.compile("\\[(\\d+)\\.(\\d+)\\.(\\d+),(\\d+)\\.0\\.0\\)").matcher(range);
                if (m == null || !m.matches() || Integer.parseInt(m.group(1)) != major
                        || Integer.parseInt(m.group(4)) != major + 1
                        || compare(m.group(1) + "." + m.group(2) + "." + m.group(3), exported) > 0) {
                    problems.add(repo().relativize(mf) + ": " + pkg + " " + (range == null ? "without a version" : range)
                            + ", exported " + exported + ": import [" + major + ".y.0," + (major + 1) + ".0.0)");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int d = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }
}
