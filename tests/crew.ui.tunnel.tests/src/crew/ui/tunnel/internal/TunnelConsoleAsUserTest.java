package crew.ui.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import crew.agent.AgentRuntime;
import crew.agent.AgentServer;
import crew.agent.api.AgentClient;
import crew.agent.api.AgentProtocol;
import crew.agent.api.UnixSocketTransport;
import crew.routing.linux.LinuxNetwork;
import crew.testing.Prerequisites;
import crew.tunnel.TunnelOptions;

/**
 * The workbench's tunnel console as ordinary users, against a privileged agent this test runs as root: real users
 * and a real group created here (useradd, groupadd; removed after), each console a separate workbench process (an
 * OSGi framework with this test runtime's bundles and real SWT on the Xvfb display) started with {@code runuser},
 * so the agent sees the users' own uids through SO_PEERCRED. The member of the agent's group first finds no agent
 * (the console says how to start one, for Start lab and Connect too), then, with the agent, brings a lab up,
 * connects, attacks and disconnects through it; a user outside the group sees the agent's status (the member's
 * session in it) and its Connect and Start lab are refused by the agent, the rule named in the console. The test
 * checks the consoles' steps and, on its own connection, what the agent runs and for whom. Screenshots:
 * target/screenshots/tunnel-console-as-user*.png, tunnel-console-as-outsider.png.
 */
class TunnelConsoleAsUserTest {
    static final String GROUP = "auicrew";
    static final String MEMBER = "auimember";
    static final String OUTSIDER = "auioutsider";
    /** Lab ids (and so namespaces: crew-aui1-dev ...) of these consoles, apart from other tests' ui1, ui2 ... */
    static final String LAB_PREFIX = "aui";

    private final List<Path> cleanup = new ArrayList<>();
    private final List<Child> children = new ArrayList<>();
    private AgentRuntime agent;
    private String previousHome;
    private boolean usersCreated;
    /** This fragment as a folder bundle readable by every user: ConsoleAsUserMain's plain class path too. */
    private Path testClasses;

    @AfterEach
    void close() throws Exception {
        children.forEach(Child::kill);
        if (agent != null) {
            agent.close(); // ends what the agent still runs: tables restored, labs removed
        }
        if (usersCreated) {
            removeUsers();
        }
        for (Path p : cleanup) {
            deleteTree(p);
        }
        TunnelConsoleSwtTest.restore("crew.home", previousHome);
    }

    @Test
    void givenAMemberAndAnOutsiderOfTheAgentsGroup_whenTheirConsolesConnectALab_thenTheAgentRunsTheMembersAndRefusesTheOutsidersNamingTheRule()
            throws Exception {
        Prerequisites.requireDisplay();
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("openvpn", "the agent's lab and tunnel drive the real openvpn");
        Prerequisites.requireExecutable("runuser", "the consoles run as users the test creates");
        Prerequisites.requireExecutable("useradd", "the test creates its users");
        Path design = Path.of(System.getProperty("crew.test.splitTunnelDesign", "../../bundles/crew.examples/workspace/designs/split-tunnel.crew.json"))
                .toAbsolutePath();
        createUsers();
        Path framework = frameworkForOtherUsers();
        Path socketDir = tempDir("crew-aui-sock");
        Path socket = socketDir.resolve("agent.sock");
        Path rootHome = tempDir("crew-aui-agent");
        previousHome = System.getProperty("crew.home");
        System.setProperty("crew.home", rootHome.toString());

        // the member's console, before any agent runs
        Child member = start(MEMBER, framework, socket, design, "member");
        member.expect("STEP no-agent:", 120);
        member.expect("STEP no-agent-lab:", 30);
        String noAgent = member.expect("STEP no-agent-connect:", 30);
        assertTrue(noAgent.contains("No CREW agent runs at " + socket) && noAgent.contains("sudo ./crew agent"), noAgent);
        member.expect("WAIT agent", 30);

        agent = AgentRuntime.start(new AgentRuntime.Settings(socket, "rw-rw-rw-", GROUP, TunnelOptions.findOpenvpn(), AgentServer.Limits.defaults()),
                TunnelConsoleAgentTest.namespaces(), null, line -> System.out.println("agent: " + line));
        member.go();
        member.expect("STEP agent-control:", 60);
        member.expect("STEP lab-up:", 150);
        member.expect("STEP connected:", 120);
        member.expect("STEP attacked:", 60);
        member.expect("WAIT outsider", 30);
        String memberUid = run("id", "-u", MEMBER).trim();
        JsonObject running = status(socket);
        assertEquals(1, running.getAsJsonArray("sessions").size(), running.toString());
        JsonObject session = running.getAsJsonArray("sessions").get(0).getAsJsonObject();
        assertEquals("CONNECTED", session.get("state").getAsString(), session.toString());
        assertEquals(MEMBER + " (uid " + memberUid + ")", session.get("owner").getAsString(), "the agent runs the session for the member's uid");
        assertEquals(1, running.getAsJsonArray("labs").size(), running.toString());
        String labId = running.getAsJsonArray("labs").get(0).getAsJsonObject().get("id").getAsString();
        assertTrue(labId.startsWith(LAB_PREFIX), labId);

        // the outsider's console while the member's session runs
        Child outsider = start(OUTSIDER, framework, socket, design, "outsider");
        outsider.expect("STEP agent-read:", 120);
        String refused = outsider.expect("STEP connect-refused:", 60);
        assertTrue(refused.contains("only root and members of group '" + GROUP + "' may connect"), refused);
        outsider.expect("STEP lab-refused:", 60);
        outsider.expect("DONE", 30);
        assertEquals(0, outsider.exit(), "the outsider's console ended cleanly");
        JsonObject after = status(socket);
        assertEquals(1, after.getAsJsonArray("sessions").size(), "the outsider changed nothing: " + after);
        assertEquals(1, after.getAsJsonArray("labs").size(), "the outsider changed nothing: " + after);

        member.go();
        member.expect("STEP disconnected:", 90);
        member.expect("STEP lab-down:", 120);
        member.expect("DONE", 30);
        assertEquals(0, member.exit(), "the member's console ended cleanly");
        JsonObject end = status(socket);
        assertEquals(0, end.getAsJsonArray("sessions").size(), end.toString());
        assertEquals(0, end.getAsJsonArray("labs").size(), end.toString());
        List<String> left = LinuxNetwork.namespaces().stream().filter(n -> n.startsWith("crew-" + labId + "-")).toList();
        assertTrue(left.isEmpty(), "namespaces left: " + left);
        for (Child c : children) {
            c.keepScreenshots();
        }
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static JsonObject status(Path socket) throws Exception {
        try (AgentClient c = AgentClient.connect(new UnixSocketTransport(socket), "test")) {
            return c.call(AgentProtocol.STATUS, new JsonObject()).getAsJsonObject();
        }
    }

    // ---- the users ----

    private void createUsers() throws IOException, InterruptedException {
        removeUsers();
        run("groupadd", GROUP);
        usersCreated = true;
        run("useradd", "-M", "-N", "-g", "nogroup", "-G", GROUP, "-s", "/usr/sbin/nologin", MEMBER);
        run("useradd", "-M", "-N", "-g", "nogroup", "-s", "/usr/sbin/nologin", OUTSIDER);
    }

    private static void removeUsers() throws IOException, InterruptedException {
        for (String u : List.of(MEMBER, OUTSIDER)) {
            new ProcessBuilder("userdel", u).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        new ProcessBuilder("groupdel", GROUP).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    // ---- the workbench processes ----

    /**
     * The launch of this test runtime for another user: its bundles as config.ini lists them, those in folders
     * other users cannot read (the Maven repository under /root) linked or copied into a readable folder, and a
     * bundle that is a project folder (this fragment: its classes in target/, named by Tycho's dev.properties) as a
     * plain folder bundle of its own, so the launch needs no dev.properties.
     */
    private Path frameworkForOtherUsers() throws IOException {
        Path dir = tempDir("crew-aui-fw");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Properties ini = new Properties();
        Path configArea = Path.of(URI.create(System.getProperty("osgi.configuration.area")));
        try (Reader r = Files.newBufferedReader(configArea.resolve("config.ini"))) {
            ini.load(r);
        }
        Properties dev = new Properties();
        if (!ini.getProperty("osgi.dev", "").isEmpty()) {
            try (Reader r = Files.newBufferedReader(Path.of(URI.create(ini.getProperty("osgi.dev"))))) {
                dev.load(r);
            }
        }
        List<String> bundles = new ArrayList<>();
        int n = 0;
        for (String entry : ini.getProperty("osgi.bundles").split(",")) {
            int at = entry.lastIndexOf('@');
            String location = at > 0 ? entry.substring(0, at) : entry;
            String start = at > 0 ? entry.substring(at) : "";
            Path file = Path.of(location.replaceFirst("^reference:", "").replaceFirst("^file:", ""));
            if (Files.isDirectory(file)) {
                file = folderBundle(file, dev, plugins.resolve((n++) + "-" + file.getFileName()));
            } else if (!ConsoleAsUserMain.worldReadable(file)) {
                file = readableCopy(file, plugins.resolve((n++) + "-" + file.getFileName()));
            }
            bundles.add("reference:file:" + file + start);
        }
        Path osgi = readableCopy(Path.of(URI.create(ini.getProperty("osgi.framework"))), dir.resolve("org.eclipse.osgi.jar"));
        Properties launch = new Properties();
        launch.setProperty("bundles", String.join(",", bundles));
        launch.setProperty("osgi.jar", osgi.toString());
        launch.setProperty("framework.osgi.install.area", dir.toUri().toString());
        launch.setProperty("framework.eclipse.ignoreApp", "true");
        launch.setProperty("framework.osgi.bundlefile.limit", "100");
        try (Writer w = Files.newBufferedWriter(dir.resolve("launch.properties"))) {
            launch.store(w, "the test runtime's bundles, readable by the consoles' users");
        }
        Files.setPosixFilePermissions(dir.resolve("launch.properties"), PosixFilePermissions.fromString("rw-r--r--"));
        return dir;
    }

    /** A project folder as a plain folder bundle: its META-INF and the class folders dev.properties names for it. */
    private Path folderBundle(Path project, Properties dev, Path target) throws IOException {
        java.util.jar.Manifest manifest;
        try (var in = Files.newInputStream(project.resolve("META-INF/MANIFEST.MF"))) {
            manifest = new java.util.jar.Manifest(in);
        }
        String name = manifest.getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim();
        copyTree(project.resolve("META-INF"), target.resolve("META-INF"));
        for (String classes : dev.getProperty(name, "").split(",")) {
            if (!classes.isBlank() && Files.isDirectory(project.resolve(classes.trim()))) {
                copyTree(project.resolve(classes.trim()), target);
            }
        }
        if (name.equals("crew.ui.tunnel.tests")) {
            testClasses = target;
        }
        return target;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
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

    /** A hard link where the file system allows it (the same file, no copy), else a copy; readable by everyone. */
    private static Path readableCopy(Path file, Path target) throws IOException {
        try {
            Files.createLink(target, file);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.getPosixFilePermissions(target).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
            Files.delete(target);
            Files.copy(file, target);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return target;
    }

    /** Starts the console of {@code user} (its own home, CREW home and workspace with the design and one profile). */
    private Child start(String user, Path framework, Path socket, Path design, String script) throws IOException, InterruptedException {
        Path dir = tempDir("crew-aui-" + user);
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        Files.copy(design, Files.createDirectories(workspace.resolve("designs")).resolve(design.getFileName()));
        Files.writeString(Files.createDirectories(workspace.resolve("profiles")).resolve("office.ovpn"),
                "client\ndev tun\nproto udp\nremote 192.0.2.10 1194\nnobind\n");
        for (String sub : List.of("home", "crew", "configuration", "instance", "target", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Properties launch = new Properties();
        try (Reader r = Files.newBufferedReader(framework.resolve("launch.properties"))) {
            launch.load(r);
        }
        launch.setProperty("framework.osgi.configuration.area", dir.resolve("configuration").toUri().toString());
        launch.setProperty("framework.osgi.instance.area", dir.resolve("instance").toUri().toString());
        try (Writer w = Files.newBufferedWriter(dir.resolve("launch.properties"))) {
            launch.store(w, "the console of " + user);
        }
        List<String> env = new ArrayList<>(List.of("env", "-i", "HOME=" + dir.resolve("home"), "USER=" + user, "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "DISPLAY=" + System.getenv("DISPLAY"), "CREW_AGENT_SOCKET=" + socket));
        String xauthority = System.getenv("XAUTHORITY");
        if (xauthority != null && Files.isReadable(Path.of(xauthority))) {
            Path copy = Files.copy(Path.of(xauthority), dir.resolve("Xauthority"));
            env.add("XAUTHORITY=" + copy);
        }
        run("chown", "-R", user, dir.toString());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        cmd.addAll(env);
        cmd.addAll(List.of(java, "-XX:-UsePerfData", "-Dcrew.home=" + dir.resolve("crew"), "-Dcrew.examples=" + workspace, "-Dcrew.build.dir=" + dir.resolve("target"),
                "-D" + LabArea.LAB_PREFIX_PROPERTY + "=" + LAB_PREFIX, "-Djava.io.tmpdir=" + dir.resolve("tmp"), "-cp",
                launch.getProperty("osgi.jar") + ":" + testClasses, ConsoleAsUserMain.class.getName(),
                dir.resolve("launch.properties").toString(), script, GROUP));
        System.out.println("console of " + user + ": " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Child c = new Child(user, p, dir);
        children.add(c);
        return c;
    }

    private Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        cleanup.add(dir);
        return dir;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A console process: its output lines as they come, its stdin for the go-ahead. */
    private static final class Child {
        private final String user;
        private final Process process;
        private final Path dir;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());

        Child(String user, Process process, Path dir) {
            this.user = user;
            this.process = process;
            this.dir = dir;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null;) {
                        System.out.println(user + ": " + line);
                        all.add(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
                lines.add("EOF");
            }, "console-" + user);
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a line starting with {@code prefix}; a FAIL line or the end of the output fails the test. */
        String expect(String prefix, int seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("the console of " + user + " did not report '" + prefix + "' within " + seconds + " s; its output: " + tail());
                }
                if (line.startsWith("FAIL") || line.equals("EOF")) {
                    fail("the console of " + user + " failed before '" + prefix + "': " + line + "; its output: " + tail());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        int exit() throws InterruptedException {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                fail("the console of " + user + " did not exit");
            }
            return process.exitValue();
        }

        private String tail() {
            synchronized (all) {
                return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
            }
        }

        /** Copies the console's screenshots into this module's target/screenshots. */
        void keepScreenshots() throws IOException {
            Path from = dir.resolve("target/screenshots");
            if (!Files.isDirectory(from)) {
                return;
            }
            Path to = Files.createDirectories(Prerequisites.buildDirectory().resolve("screenshots"));
            try (var s = Files.list(from)) {
                for (Path png : s.toList()) {
                    Files.copy(png, to.resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            try {
                keepScreenshots(); // a failure's screenshot too
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
