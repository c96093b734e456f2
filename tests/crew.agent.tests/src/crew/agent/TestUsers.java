package crew.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Real users and a real group for the authorization tests (useradd/groupadd, removed at close), and a way to run
 * {@link AgentProbe} as one of them: its class path copied where every user can read it.
 */
final class TestUsers implements AutoCloseable {
    static final String GROUP = "agcrew";
    static final String MEMBER = "agmember";
    static final String OUTSIDER = "agoutsider";

    private final Path classes;

    private TestUsers(Path classes) {
        this.classes = classes;
    }

    static TestUsers create() throws IOException, InterruptedException {
        removeAll();
        run("groupadd", GROUP);
        run("useradd", "-M", "-N", "-g", "nogroup", "-G", GROUP, "-s", "/usr/sbin/nologin", MEMBER);
        run("useradd", "-M", "-N", "-g", "nogroup", "-s", "/usr/sbin/nologin", OUTSIDER);
        return new TestUsers(copyClassPath());
    }

    private static void removeAll() throws IOException, InterruptedException {
        for (String u : List.of(MEMBER, OUTSIDER)) {
            new ProcessBuilder("userdel", u).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        new ProcessBuilder("groupdel", GROUP).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** Runs the probe as {@code user}; returns its output lines. */
    List<String> probe(String user, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "--", java, "-XX:-UsePerfData", "-cp", classPath(), AgentProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().toList();
    }

    String classPath() throws IOException {
        try (var s = Files.list(classes)) {
            return String.join(File.pathSeparator, s.map(Path::toString).sorted().toList());
        }
    }

    /** The probe's bundles (api, gson, these tests) copied into a folder every user can read. */
    private static Path copyClassPath() throws IOException {
        Path dir = Files.createTempDirectory("crew-ag-cp");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int i = 0;
        for (Path src : TestClassPath.of(n -> n.equals("crew.agent.api") || n.equals("com.google.gson") || n.equals("crew.agent.tests"))) {
            copy(src, dir.resolve((i++) + "-" + src.getFileName() + (Files.isDirectory(src) ? "" : ".jar")));
        }
        return dir;
    }

    private static void copy(Path src, Path target) throws IOException {
        if (!Files.isDirectory(src)) {
            Files.copy(src, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        try (var walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                Path t = target.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    /** Writes a file only {@code user} (and root) can read: what a client sends is its own file's content. */
    static Path privateFile(String user, String text) throws IOException, InterruptedException {
        Path f = Files.createTempFile("crew-ag-params", ".json");
        Files.writeString(f, text);
        run("chown", user, f.toString());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        removeAll();
        AgentFixture.deleteTree(classes);
    }
}
