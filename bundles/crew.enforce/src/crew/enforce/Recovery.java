package crew.enforce;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import crew.routing.api.NamespaceCapable;
import crew.routing.api.NamespaceIdentity;
import crew.routing.api.PacketFilter;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingException;

/**
 * Restores devices after sessions that did not end: a crash, kill -9, power loss. A journal is replayed only where
 * its session ran (the same backend and network namespace) and only when its owner is gone (the same process id
 * and start time: a reused pid is not the owner). A journal that cannot be trusted, or whose namespace is gone, is
 * set aside for the user ({@code set-aside/} beside it, with a {@code .why} file) instead of blocking every later
 * session; nothing is ever replayed elsewhere.
 */
public final class Recovery {
    /** The folder, inside a journal folder, where untrustworthy and homeless journals are kept for the user. */
    public static final String SET_ASIDE = "set-aside";
    /** Journals of sessions running in this process. */
    private static final Set<Path> RUNNING_HERE = ConcurrentHashMap.newKeySet();

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

    /** What recovery found in one journal, and what it did. */
    public enum Outcome {
        /** The device was restored from it; the journal is deleted. */
        RECOVERED,
        /** It had ended, or the session crashed before changing anything; the journal is deleted. */
        NOTHING_TO_RESTORE,
        /** Its session is still running: left alone. */
        RUNNING,
        /** It belongs to another backend or to another network namespace that still exists: left for recovery there. */
        ELSEWHERE,
        /** It cannot be trusted (or only in part), or its namespace is gone: moved to set-aside/ with the reason. */
        SET_ASIDE,
        /** It belongs here but the device could not be fully restored: kept in place; a new session must not start. */
        FAILED
    }

    /**
     * @param message  what was found and done, for the user
     * @param problems what could not be restored (FAILED), or the damaged records of a journal set aside
     */
    public record Result(Path journal, Outcome outcome, String message, List<String> problems) {
        /** A new session must not stack on a table that a crashed session of this namespace left unrestored. */
        public boolean blocksNewSession() {
            return outcome == Outcome.FAILED;
        }
    }

    /** False when a session of this process already uses that journal. */
    static boolean sessionStarted(Path journal) {
        return RUNNING_HERE.add(journal.toAbsolutePath().normalize());
    }

    static void sessionEnded(Path journal) {
        RUNNING_HERE.remove(journal.toAbsolutePath().normalize());
    }

    /** Every journal in {@code directory}, each recovered if it is an orphan of this backend's namespace. */
    public static List<Result> recoverAll(Path directory, RoutingBackend backend, Consumer<String> log) throws IOException {
        List<Result> results = new ArrayList<>();
        for (Path p : journals(directory)) {
            results.add(recover(p, backend, log));
        }
        removeUnbegunJournals(directory, log);
        return results;
    }

    /**
     * Journals whose session crashed before its begin record (NAME.journal.PID.new, see {@link RouteJournal#create}):
     * nothing was changed yet, so they are removed once their process is gone.
     */
    private static void removeUnbegunJournals(Path directory, Consumer<String> log) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory, "*.journal.*.new")) {
            for (Path p : s) {
                String[] parts = p.getFileName().toString().split("\\.");
                long pid;
                try {
                    pid = Long.parseLong(parts[parts.length - 2]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Files.deleteIfExists(p);
                log.accept("removed " + p + ": its session crashed before it changed anything");
            }
        }
    }

    /** The journals in {@code directory} (not those set aside), in name order. */
    public static List<Path> journals(Path directory) throws IOException {
        Set<Path> result = new TreeSet<>();
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory, "*.journal")) {
            s.forEach(result::add);
        }
        return List.copyOf(result);
    }

    /**
     * Recovers one journal if its session is gone and it belongs to {@code backend}'s namespace; otherwise says why not.
     * Never throws for what a journal says; only a failure to move or delete the journal itself is an IOException.
     */
    public static Result recover(Path journalFile, RoutingBackend backend, Consumer<String> log) throws IOException {
        return recover(journalFile, backend, log, false);
    }

    /**
     * As {@link #recover(Path, RoutingBackend, Consumer)}; with {@code userPlaced}, a journal of an earlier CREW that
     * does not record where it ran is replayed on {@code backend}, because the user named both.
     */
    public static Result recover(Path journalFile, RoutingBackend backend, Consumer<String> log, boolean userPlaced) throws IOException {
        if (RUNNING_HERE.contains(journalFile.toAbsolutePath().normalize())) {
            return new Result(journalFile, Outcome.RUNNING, "its session runs in this process: left alone", List.of());
        }
        RouteJournal.Contents c;
        try {
            c = RouteJournal.read(journalFile);
        } catch (RouteJournal.UnreadableJournalException e) {
            if (e.neverStarted()) {
                Files.deleteIfExists(journalFile);
                return new Result(journalFile, Outcome.NOTHING_TO_RESTORE, e.getMessage() + "; removed", List.of());
            }
            return setAside(journalFile, "it cannot be trusted: " + e.getMessage() + ". Nothing was replayed from it.", List.of());
        } catch (IOException e) {
            return setAside(journalFile, "it cannot be read: " + e.getMessage() + ". Nothing was replayed from it.", List.of());
        }
        String session = "session " + c.sessionId();
        if (c.ended()) {
            Files.deleteIfExists(journalFile);
            return new Result(journalFile, Outcome.NOTHING_TO_RESTORE, session + " had ended; its journal is removed", List.of());
        }
        Optional<String> owner = liveOwner(journalFile, c);
        if (owner.isPresent()) {
            return new Result(journalFile, Outcome.RUNNING, session + " is running (" + owner.get() + "): left alone", List.of());
        }
        String ownerGone = c.owner().describeGone();
        Optional<Result> notHere;
        try {
            notHere = c.platform() == null && userPlaced ? Optional.empty() : belongsElsewhere(journalFile, c, backend, session, ownerGone);
        } catch (RoutingException e) {
            return new Result(journalFile, Outcome.FAILED, session + ": cannot tell which network namespace this backend works in: " + e.getMessage(),
                    List.of(e.getMessage()));
        }
        if (notHere.isPresent()) {
            return notHere.get();
        }
        log.accept(session + ": " + ownerGone + "; restoring the device from " + journalFile);
        List<String> problems = new ArrayList<>();
        for (String filter : c.filters()) {
            if (backend instanceof PacketFilter f) {
                try {
                    f.removeFilter(filter);
                    log.accept("removed packet filter " + filter);
                } catch (RoutingException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        try {
            problems.addAll(DeviceRestorer.restore(backend, c.installed(), c.installedRules(), c.removed(), c.removedRules(), log));
        } catch (RoutingException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            return new Result(journalFile, Outcome.FAILED, session + ": the device could not be fully restored; the journal is kept for another try"
                    + " (crew enforce --recover)", problems);
        }
        if (!c.damaged().isEmpty()) {
            return setAside(journalFile, session + ": restored what the journal could be trusted for, but some records are unreadable ("
                    + String.join("; ", c.damaged()) + "): a change they announced may not be undone. Compare the table with the journal's"
                    + " snapshot.", c.damaged());
        }
        Files.deleteIfExists(journalFile);
        log.accept("recovered session " + c.sessionId() + " from " + journalFile);
        return new Result(journalFile, Outcome.RECOVERED, session + ": " + ownerGone + "; device restored", List.of());
    }

    /** Why the journal is not for this backend, if it is not: another platform, another namespace, or a gone one. */
    private static Optional<Result> belongsElsewhere(Path journalFile, RouteJournal.Contents c, RoutingBackend backend, String session,
            String ownerGone) throws IOException, RoutingException {
        if (c.platform() == null) {
            return Optional.of(setAside(journalFile, session + " (" + ownerGone + ") was journalled by an earlier CREW that did not record its"
                    + " network namespace; it is not replayed anywhere. Restore it where it ran with 'crew enforce --recover --journal FILE"
                    + " [--netns NAME]' after checking its snapshot.", List.of()));
        }
        if (!c.platform().equals(backend.platform())) {
            return Optional.of(new Result(journalFile, Outcome.ELSEWHERE, session + " ran on the " + c.platform() + " backend, not "
                    + backend.platform() + ": recover it with --backend " + c.platform(), List.of()));
        }
        Optional<NamespaceIdentity> here = backend.namespaceIdentity();
        if (c.namespace().isEmpty() && here.isEmpty()) {
            return Optional.empty();
        }
        if (c.namespace().isEmpty() || here.isEmpty()) {
            return Optional.of(new Result(journalFile, Outcome.ELSEWHERE, session + " did not run in this backend's table", List.of()));
        }
        NamespaceIdentity ran = c.namespace().get();
        if (ran.sameAs(here.get())) {
            return Optional.empty();
        }
        if (ran.name() != null) {
            Optional<NamespaceIdentity> now = backend instanceof NamespaceCapable n ? n.identify(ran.name()) : Optional.empty();
            if (now.isPresent() && ran.sameAs(now.get())) {
                return Optional.of(new Result(journalFile, Outcome.ELSEWHERE, session + " ran in " + ran.describe() + ", not in "
                        + here.get().describe() + ": recover it there (crew enforce --recover --netns " + ran.name() + ")", List.of()));
            }
            String gone = now.isPresent() ? "was deleted and a new namespace now has its name (" + now.get().describe() + ")" : "no longer exists";
            return Optional.of(setAside(journalFile, session + " (" + ownerGone + ") ran in " + ran.describe() + ", which " + gone
                    + ": its routes went with it. Nothing was replayed.", List.of()));
        }
        if (here.get().isProcessNamespace()) {
            // both "the process's own", in one boot, with other inodes: it ran in an unnamed namespace (unshare) that
            // died with its processes, or is held by something CREW cannot name
            return Optional.of(setAside(journalFile, session + " (" + ownerGone + ") ran in an unnamed network namespace (net:[" + ran.inode()
                    + "]) that this process is not in. Nothing was replayed.", List.of()));
        }
        return Optional.of(new Result(journalFile, Outcome.ELSEWHERE, session + " ran in " + ran.describe() + ", not in " + here.get().describe()
                + ": recover it there (crew enforce --recover without --netns)", List.of()));
    }

    /**
     * Whether the journal's owner still runs: the same pid with the same start (a pid is reused by unrelated
     * processes), or, in this process, a session that has not stopped. Says who, when it does.
     */
    public static Optional<String> liveOwner(Path journalFile, RouteJournal.Contents c) {
        OwnerProcess owner = c.owner();
        if (owner.pid() == ProcessHandle.current().pid()) {
            return RUNNING_HERE.contains(journalFile.toAbsolutePath().normalize()) ? Optional.of("in this process, " + owner.describe())
                    : Optional.empty();
        }
        return owner.isAlive() ? Optional.of(owner.describe()) : Optional.empty();
    }

    /** Moves the journal to set-aside/ (0700) with a .why file, so that it blocks nothing and is kept for the user. */
    private static Result setAside(Path journalFile, String why, List<String> problems) throws IOException {
        Path parent = journalFile.toAbsolutePath().getParent();
        if (parent.getFileName() != null && parent.getFileName().toString().equals(SET_ASIDE)) {
            return new Result(journalFile, Outcome.SET_ASIDE, "not restored from " + journalFile + ": " + why, problems);
        }
        Path dir = parent.resolve(SET_ASIDE);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            RouteJournal.setPermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
        String name = journalFile.getFileName().toString();
        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            target = dir.resolve(name.replaceFirst("\\.journal$", "") + "-" + System.currentTimeMillis() + ".journal");
        }
        Files.move(journalFile, target, StandardCopyOption.ATOMIC_MOVE);
        RouteJournal.writeOwnerOnly(dir.resolve(target.getFileName() + ".why"), why + "\n");
        return new Result(journalFile, Outcome.SET_ASIDE, "set aside " + journalFile + ": " + why + " Kept as " + target, problems);
    }
}
