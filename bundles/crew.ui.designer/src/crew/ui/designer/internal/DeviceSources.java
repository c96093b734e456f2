package crew.ui.designer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import crew.model.device.DeviceRoute;
import crew.model.io.RouteSnapshot;
import crew.ui.workspace.CrewWorkspace;
import crew.ui.workspace.WorkspaceItem;

/**
 * Where the designer's device table comes from: a device snapshot of the workspace (what the navigator lists under
 * Device snapshots: {@code devices/}, {@code snapshots/}, *.txt, *.routes) read with crew.model's snapshot readers,
 * or this device's table through the routing service (the live backend, or the simulated one where the live one
 * cannot be read) when that service is installed.
 */
final class DeviceSources {
    /** The snapshot {@code crew predict} uses by default. */
    static final String DEFAULT_SNAPSHOT = "linux-ip-route.txt";

    /** A snapshot file, or (file null) the routing service's table. */
    record Source(String label, Path file) {
        boolean live() {
            return file == null;
        }
    }

    private DeviceSources() {
    }

    /** The workspace a design file belongs to: the configured workspace when it holds the file, else its folder's parent for designs/. */
    static Path workspaceOf(Path designFile) {
        Path file = designFile.toAbsolutePath().normalize();
        Optional<Path> configured = CrewWorkspace.folder();
        if (configured.isPresent() && file.startsWith(configured.get())) {
            return configured.get();
        }
        Path dir = file.getParent();
        if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("designs") && dir.getParent() != null) {
            return dir.getParent();
        }
        return dir;
    }

    /** The choices for {@code designFile}, snapshots first (sorted by path), then this device's table if the service is there. */
    static List<Source> list(Path designFile) throws IOException {
        List<Source> out = new ArrayList<>();
        Path root = workspaceOf(designFile);
        if (root != null && Files.isDirectory(root)) {
            for (WorkspaceItem item : CrewWorkspace.scan(root)) {
                if (item.kind() == WorkspaceItem.Kind.DEVICE_SNAPSHOT) {
                    out.add(new Source(root.relativize(item.path()).toString(), item.path()));
                }
            }
        }
        LiveDeviceTable.label().ifPresent(l -> out.add(new Source(l, null)));
        return out;
    }

    /** The default choice: the snapshot `crew predict` uses, else the first snapshot, else this device, else none. */
    static Optional<Source> preferred(List<Source> sources) {
        return sources.stream().filter(s -> !s.live() && s.file().getFileName().toString().equals(DEFAULT_SNAPSHOT)).findFirst()
                .or(() -> sources.stream().findFirst());
    }

    static List<DeviceRoute> read(Source source) throws IOException {
        if (source.live()) {
            return LiveDeviceTable.read();
        }
        try {
            return RouteSnapshot.read(source.file());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
