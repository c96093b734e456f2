package crew.tunnel.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processes living in a named network namespace: those whose /proc/PID/ns/net is the namespace that
 * /var/run/netns/NAME holds (same nsfs inode). A namespace with a process in it outlives its name: deleting the name
 * then leaves that process (an openvpn, say) running in a namespace nobody can see.
 */
final class NamespaceProcesses {
    private static final Path NAMED = Path.of("/var/run/netns");

    private NamespaceProcesses() {
    }

    /** The processes in namespace {@code name} (empty when it does not exist or /proc cannot be read). */
    static List<ProcessHandle> in(String name) {
        List<ProcessHandle> out = new ArrayList<>();
        String wanted;
        try {
            wanted = "net:[" + Files.getAttribute(NAMED.resolve(name), "unix:ino") + "]";
        } catch (IOException | RuntimeException e) {
            return out;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                try {
                    if (wanted.equals(Files.readSymbolicLink(p.resolve("ns/net")).toString())) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(out::add);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** A process as a user would recognise it: pid and command line (shortened). */
    static String describe(ProcessHandle p) {
        String cmd = p.info().commandLine().or(() -> p.info().command()).orElse("?");
        return p.pid() + " (" + (cmd.length() > 160 ? cmd.substring(0, 157) + "..." : cmd) + ")";
    }

    /**
     * The lab folder ($CREW_HOME/lab/ID) a process of a lab refers to on its command line: the lab's openvpn server
     * runs with --config FOLDER/server.conf.
     */
    static Optional<Path> labFolder(ProcessHandle p) {
        String[] args = p.info().arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--config") && args[i + 1].endsWith("/server.conf")) {
                Path dir = Path.of(args[i + 1]).getParent();
                if (dir != null && Files.exists(dir.resolve("lab.json"))) {
                    return Optional.of(dir);
                }
            }
        }
        return Optional.empty();
    }
}
