package crew.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.agent.api.FastPath;
import crew.agent.internal.PlainClient;
import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.testing.Prerequisites;

/**
 * The crew command's fast path: {@link PlainClient} in a plain JVM (a child process on the class path of
 * {@link PlainClient#BUNDLES}' jars and nothing of the framework) answers as the framework's commands answer here,
 * byte for byte on stdout and stderr and with the same exit code, and answers nothing (exit 75, no output) where it
 * cannot. The product smoke test (releng/smoke/product-smoke.sh) compares the same through the launcher.
 */
class PlainClientTest {
    private static ServiceTracker<CommandRegistry, CommandRegistry> tracker;
    private static CommandRegistry registry;
    private static Path work;
    private static Path bundlesInfo;

    /** One run: exit code, stdout, stderr. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(PlainClientTest.class).getBundleContext();
        tracker = new ServiceTracker<>(context, CommandRegistry.class, null);
        tracker.open();
        registry = tracker.waitForService(10_000);
        assertNotNull(registry, "no CommandRegistry service");
        work = Files.createTempDirectory("crew-plain");
        // the bundle list as the product's: each bundle of this framework with its version (the framework's as org.eclipse.osgi)
        List<String> lines = new ArrayList<>(List.of("#version=1"));
        for (Bundle b : context.getBundles()) {
            String name = b.getBundleId() == 0 ? "org.eclipse.osgi" : b.getSymbolicName();
            lines.add(name + "," + b.getVersion() + ",plugins/" + name + ".jar,4,false");
        }
        bundlesInfo = Files.write(work.resolve("bundles.info"), lines);
    }

    @AfterAll
    static void tearDown() throws IOException {
        tracker.close();
        AgentFixture.deleteTree(work);
    }

    /** The command run in this framework, as the crew application runs it. */
    static Result framework(String... words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Path.of("."), false);
        int code = new CommandLine(registry).run(List.of(words), context);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The command run by PlainClient in a JVM of its own on its class path alone, the agent at {@code socket}. */
    static Result plain(Path socket, String... words) throws Exception {
        List<Path> jars = TestClassPath.of(PlainClient.BUNDLES::contains);
        assertEquals(PlainClient.BUNDLES.size(), jars.size(), "the bundles of PlainClient.BUNDLES in this framework: " + jars);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcrew.bundles=" + bundlesInfo, "-Dcrew.agent.socket=" + socket, "-cp",
                String.join(File.pathSeparator, jars.stream().map(Path::toString).toList()), PlainClient.class.getName()));
        command.addAll(List.of(words));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().remove("CREW_AGENT_SOCKET");
        Process p = pb.redirectOutput(work.resolve("out").toFile()).redirectError(work.resolve("err").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "PlainClient did not end within 60 s");
        return new Result(p.exitValue(), Files.readString(work.resolve("out")), Files.readString(work.resolve("err")));
    }

    static void assertSame(Path socket, String... words) throws Exception {
        Result plain = plain(socket, words);
        Result framework = framework(words);
        assertEquals(framework.toString(), plain.toString(), "crew " + String.join(" ", words) + ": the fast path and the framework differ");
    }

    @Test
    void givenNoFramework_whenVersionRuns_thenItPrintsWhatTheFrameworksCommandPrints() throws Exception {
        Path none = work.resolve("no-agent.sock");
        assertSame(none, "--version");
        assertSame(none, "--version", "--json");
        assertSame(none, "version");
        assertSame(none, "version", "--help");
        assertSame(none, "--version", "--bogus"); // the same parser and options: the same error, exit 2
        assertEquals(0, plain(none, "--version").code());
    }

    @Test
    void givenARunningAgent_whenTheStatusCommandsRun_thenTheFastPathAnswersAsTheFrameworkDoes() throws Exception {
        Prerequisites.requireRoot();
        try (AgentFixture agent = AgentFixture.start()) {
            System.setProperty("crew.agent.socket", agent.socket.toString());
            try {
                for (String[] words : List.of(new String[] { "agent", "status" }, new String[] { "agent", "status", "--json" },
                        new String[] { "tunnel", "status" }, new String[] { "tunnel", "status", "--json" }, new String[] { "tunnel", "status", "nosuch" },
                        new String[] { "tunnel", "status", "--help" }, new String[] { "lab", "status" }, new String[] { "lab", "status", "--json" },
                        new String[] { "agent", "status", "extra" })) {
                    assertSame(agent.socket, words);
                }
                assertEquals(0, plain(agent.socket, "tunnel", "status").code());
            } finally {
                System.clearProperty("crew.agent.socket");
            }
        }
    }

    @Test
    void givenNoAgent_whenAStatusCommandWouldWorkInProcess_thenTheFastPathAnswersNothing() throws Exception {
        Path none = work.resolve("no-agent.sock");
        System.setProperty("crew.agent.socket", none.toString());
        try {
            // agent status needs no in-process path: "no agent runs", exit 3, the same text
            assertSame(none, "agent", "status");
            assertEquals(3, plain(none, "agent", "status").code());
        } finally {
            System.clearProperty("crew.agent.socket");
        }
        for (String[] words : List.of(new String[] { "tunnel", "status" }, new String[] { "lab", "status", "--json" }, new String[] { "help" },
                new String[] { "lint", "--example", "split-tunnel" }, new String[] { "agent" })) {
            assertEquals(new Result(FastPath.NOT_ANSWERED, "", ""), plain(none, words), String.join(" ", words));
        }
    }

    @Test
    void givenABundleListWithoutCrewCli_whenVersionRuns_thenTheFastPathAnswersNothing() throws Exception {
        Path saved = Files.copy(bundlesInfo, work.resolve("bundles.info.saved"));
        try {
            Files.write(bundlesInfo, Files.readAllLines(saved).stream().filter(l -> !l.startsWith("crew.cli,")).toList());
            assertEquals(new Result(FastPath.NOT_ANSWERED, "", ""), plain(work.resolve("no-agent.sock"), "--version"));
        } finally {
            Files.move(saved, bundlesInfo, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
