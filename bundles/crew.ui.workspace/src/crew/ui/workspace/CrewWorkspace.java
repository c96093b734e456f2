package crew.ui.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folder of endpoint designs, device snapshots and lab sessions that the workbench shows. Which folder: the
 * system property {@code crew.examples} (the example workspace the product ships), else the {@code workspace}
 * preference of the instance node {@code crew}.
 */
public final class CrewWorkspace {
    /** System property naming the example workspace folder. */
    public static final String EXAMPLES_PROPERTY = "crew.examples";

    private CrewWorkspace() {
    }

    /** The folder to show, or empty when none is configured or it does not exist. */
    public static Optional<Path> folder() {
        String configured = System.getProperty(EXAMPLES_PROPERTY, "");
        if (configured.isBlank()) {
            configured = CrewPreferences.get(CrewPreferences.WORKSPACE, "");
        }
        if (configured.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(configured).toAbsolutePath().normalize();
        return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
    }

    /**
     * Every item under {@code folder}, sorted by path. Snapshots: files under a {@code snapshots} folder or named
     * *.routes/*.txt; lab sessions: under {@code labs} or named *.lab.json; other *.json files are endpoint designs.
     * Hidden files and folders are skipped.
     */
    public static List<WorkspaceItem> scan(Path folder) throws IOException {
        List<WorkspaceItem> items = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder, 6)) {
            files.filter(Files::isRegularFile).filter(p -> !hidden(folder.relativize(p))).sorted(Comparator.naturalOrder())
                    .forEach(p -> kindOf(folder.relativize(p)).ifPresent(k -> items.add(new WorkspaceItem(k, p, label(p)))));
        }
        return items;
    }

    static Optional<WorkspaceItem.Kind> kindOf(Path relative) {
        String name = relative.getFileName().toString().toLowerCase(Locale.ROOT);
        String path = relative.toString().replace('\\', '/').toLowerCase(Locale.ROOT);
        if (path.startsWith("labs/") || path.contains("/labs/") || name.endsWith(".lab.json")) {
            return Optional.of(WorkspaceItem.Kind.LAB_SESSION);
        }
        if (path.startsWith("snapshots/") || path.contains("/snapshots/") || name.endsWith(".routes") || name.endsWith(".txt")) {
            return Optional.of(WorkspaceItem.Kind.DEVICE_SNAPSHOT);
        }
        if (name.startsWith("describe-client-vpn-")) {
            return Optional.of(WorkspaceItem.Kind.AWS_CLI_OUTPUT); // saved `aws ec2 describe-client-vpn-*` output: imported, not edited
        }
        if (name.endsWith(".json")) {
            return Optional.of(WorkspaceItem.Kind.ENDPOINT_DESIGN);
        }
        return Optional.empty();
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String label(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }
}
