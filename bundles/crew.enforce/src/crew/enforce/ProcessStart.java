package crew.enforce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * When a process started, in clock ticks since boot (field 22 of Linux's /proc/PID/stat): with the pid, it tells the
 * process that wrote a journal from an unrelated one that was given the same pid later. Exact, and, unlike the
 * JDK's start instant (boot time plus ticks), not moved when the wall clock is set.
 */
final class ProcessStart {

    private ProcessStart() {
    }

    /** Empty where there is no /proc (not Linux) or the process is gone. */
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
