package crew.enforce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The process that owns a session, journal or lab, told apart from an unrelated process that was given the same pid
 * later (after the owner died, or after a reboot): the pid with the process's start. On Linux the start is the
 * clock ticks since boot from /proc/PID/stat (field 22): exact, and not moved when the wall clock is set, unlike the
 * JDK's start instant (boot time plus ticks), which is kept too for other systems and for people.
 *
 * @param startTicks  start in clock ticks since boot, or -1 where unknown
 * @param startMillis start as epoch milliseconds, or -1 where unknown
 */
public record OwnerProcess(long pid, long startTicks, long startMillis) {
    /** How far two readings of a start instant may differ where no ticks are known. */
    private static final long INSTANT_TOLERANCE_MS = 1000;

    /** This process. */
    public static OwnerProcess current() {
        ProcessHandle self = ProcessHandle.current();
        return new OwnerProcess(self.pid(), ticks(self.pid()).orElse(-1L), self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L));
    }

    /** Whether this owner still runs: a live process with this pid that started when the owner did. */
    public boolean isAlive() {
        if (pid <= 0) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) {
            return false;
        }
        Optional<Long> ticks = ticks(pid);
        if (startTicks >= 0 && ticks.isPresent()) {
            return ticks.get() == startTicks;
        }
        Optional<Instant> started = p.get().info().startInstant();
        return startMillis <= 0 || started.isEmpty() || Math.abs(started.get().toEpochMilli() - startMillis) <= INSTANT_TOLERANCE_MS;
    }

    /** The live owner's handle, to signal it; empty when the owner is gone, whoever has its pid now. */
    public Optional<ProcessHandle> handle() {
        return isAlive() ? ProcessHandle.of(pid) : Optional.empty();
    }

    /** "pid P, started T". */
    public String describe() {
        return "pid " + pid + (startMillis > 0 ? ", started " + Instant.ofEpochMilli(startMillis) : "");
    }

    /**
     * What became of a dead owner, in words: gone, or its pid taken by another, newer process (which is then
     * described).
     */
    public String describeGone() {
        if (pid <= 0) {
            return "its owner is unknown";
        }
        Optional<Instant> other = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(p -> p.info().startInstant());
        if (other.isPresent()) {
            return "its process " + pid + " is gone (that pid now belongs to another process, started " + other.get()
                    + (startMillis > 0 ? "; the owner started " + Instant.ofEpochMilli(startMillis) : "") + ")";
        }
        return "its process " + pid + " is gone";
    }

    /** Start ticks of a process; empty where there is no /proc (not Linux) or the process is gone. */
    static Optional<Long> ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) is in parentheses and may itself hold spaces and parentheses
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(after[22 - 3]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
