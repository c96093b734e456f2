package crew.ui.designer.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Watches one design file (its folder, as the JDK watches folders) on a daemon thread and calls back once per burst
 * of changes, so that the designer follows saves from the endpoint editor or another program without polling.
 * Atomic saves (a temporary file moved over the design) arrive as a create of the file's name.
 */
final class DesignWatcher implements AutoCloseable {
    private final WatchService service;
    private final Thread thread;

    DesignWatcher(Path file, Runnable onChange) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path name = absolute.getFileName();
        service = FileSystems.getDefault().newWatchService();
        absolute.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        thread = new Thread(() -> {
            try {
                while (true) {
                    WatchKey key = service.take();
                    boolean ours = drain(key, name);
                    // coalesce the rest of the burst (temporary file, move, modify)
                    WatchKey more;
                    while ((more = service.poll(150, TimeUnit.MILLISECONDS)) != null) {
                        ours |= drain(more, name);
                    }
                    if (ours) {
                        onChange.run();
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed
            }
        }, "crew designer: watch " + name);
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean drain(WatchKey key, Path name) {
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context());
        }
        key.reset();
        return ours;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // nothing to release
        }
        thread.interrupt();
    }
}
