package crew.enforce;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingException;

/** Restores devices after sessions that did not end: a crash, kill -9, power loss. */
public final class Recovery {

    private Recovery() {
    }

    /** CREW's home folder for state ({@link crew.model.io.CrewHome}: crew.home, else $CREW_HOME, else ~/.crew). */
    public static Path crewHome() {
        return crew.model.io.CrewHome.directory();
    }

    /** The default journal folder: $CREW_HOME/enforce. */
    public static Path defaultJournalDirectory() {
        return crewHome().resolve("enforce");
    }

    /** Journals in {@code directory} whose process is gone (a live session's journal is left alone). */
    public static List<Path> orphanedJournals(Path directory) throws IOException {
        List<Path> result = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return result;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory, "*.journal")) {
            for (Path p : s) {
                RouteJournal.Contents c = RouteJournal.read(p);
                boolean alive = c.pid() > 0 && c.pid() != ProcessHandle.current().pid() && ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    result.add(p);
                }
            }
        }
        return result;
    }

    /** Restores the device from one journal; deletes the journal when nothing is left to fix. Returns the problems. */
    public static List<String> recover(Path journalFile, RoutingBackend backend, Consumer<String> log) throws IOException, RoutingException {
        RouteJournal.Contents c = RouteJournal.read(journalFile);
        if (c.ended()) {
            Files.deleteIfExists(journalFile);
            return List.of();
        }
        List<String> problems = new java.util.ArrayList<>();
        for (String filter : c.filters()) {
            if (backend instanceof crew.routing.api.PacketFilter f) {
                try {
                    f.removeFilter(filter);
                    log.accept("removed packet filter " + filter);
                } catch (RoutingException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        problems.addAll(DeviceRestorer.restore(backend, c.installed(), c.installedRules(), c.removed(), log));
        if (problems.isEmpty()) {
            Files.deleteIfExists(journalFile);
            log.accept("recovered session " + c.sessionId() + " from " + journalFile);
        }
        return problems;
    }
}
