package crew.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.CommandRegistry;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;

/**
 * Journals after crashes, against the real kernel: each is replayed only in the namespace its session ran in, never
 * while its owner lives, and a damaged one is set aside with its reason instead of blocking every later session.
 * Sessions run in a separate JVM that is killed with SIGKILL, as a crash would.
 */
class JournalRecoveryTest {
    private final List<DeviceNamespace> namespaces = new ArrayList<>();
    private final List<ClosableRoutingBackend> backends = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("ip", "iproute2 builds the device namespaces");
        dir = Files.createTempDirectory("crew-journals");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        for (ClosableRoutingBackend b : backends) {
            b.close();
        }
        for (DeviceNamespace n : namespaces) {
            n.close();
        }
    }

    private DeviceNamespace device() throws Exception {
        DeviceNamespace d = new DeviceNamespace();
        namespaces.add(d);
        d.ip("route add 172.31.1.0/24 via 192.168.1.1"); // the user's conflicting route: the session removes it
        return d;
    }

    private ClosableRoutingBackend backend(DeviceNamespace d) throws Exception {
        ClosableRoutingBackend b = LinuxRouting.namespace(d.name);
        backends.add(b);
        return b;
    }

    /** Starts CrashableEnforcer in {@code d} and returns once its session protects the namespace. */
    private Process enforcerIn(DeviceNamespace d, Path journal, EnforcementMode mode) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", CrashRecoveryTest.classPath(), CrashableEnforcer.class.getName(), d.name, journal.toString(),
                mode.name()).redirectErrorStream(true).start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line; (line = out.readLine()) != null;) {
            seen.add(line);
            if (line.equals("STARTED")) {
                return p;
            }
        }
        throw new AssertionError("the enforcer did not start: " + seen);
    }

    /** A session in {@code d} killed with SIGKILL while it protects: its journal is left behind. */
    private Path crashedSessionIn(DeviceNamespace d, String name, EnforcementMode mode) throws Exception {
        Path journal = dir.resolve(name + ".journal");
        Process p = enforcerIn(d, journal, mode);
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertTrue(d.table().stream().anyMatch(l -> l.contains("proto 197")), "the crashed session left its routes in " + d.name);
        assertFalse(d.has("172.31.1.0/24"), "and removed the user's route");
        return journal;
    }

    private static Set<String> without(Set<String> table, String part) {
        Set<String> t = new java.util.TreeSet<>(table);
        t.removeIf(l -> l.contains(part));
        return t;
    }

    @Test
    void givenAUsersDivertingRule_whenAnExtendedSessionRemovesItAndStops_thenTheRuleIsBack() throws Exception {
        DeviceNamespace d = device();
        d.ip("route add 172.31.5.0/24 via 192.168.1.1 table 100");
        d.ip("rule add to 172.31.5.0/24 lookup 100 pref 500");
        Set<String> rulesBefore = d.rules();
        Set<String> tableBefore = d.table();
        SessionSpec spec = new SessionSpec("rules", "tun0", IpAddress.parse("10.200.0.1"), List.of(Cidr.parse("172.31.0.0/16")), List.of(),
                List.of(), EnforcementMode.EXTENDED, null, Duration.ofMillis(500));
        EnforcementSession s = new EnforcementSession(spec, backend(d), null, dir.resolve("rules.journal"));
        s.start();
        assertTrue(DeviceNamespace.within(2000, () -> !d.ip("rule").contains("lookup 100")), "extended mode removes the diverting rule");
        assertTrue(Files.readString(dir.resolve("rules.journal")).contains("\"op\":\"remove-rule\""), "the user's rule is journalled before removal");
        assertEquals(List.of(), s.stop());
        assertEquals(rulesBefore, d.rules(), "the user's rule is back after the session");
        assertEquals(tableBefore, d.table());
    }

    @Test
    void givenANewJournal_thenOnlyItsOwnerCanReadIt() throws Exception {
        DeviceNamespace d = device();
        Path journal = dir.resolve("fresh/perm.journal");
        SessionSpec spec = new SessionSpec("perm", "tun0", IpAddress.parse("10.200.0.1"), List.of(Cidr.parse("172.31.0.0/16")), List.of(),
                List.of(), EnforcementMode.AWS, null, Duration.ofMillis(500));
        EnforcementSession s = new EnforcementSession(spec, backend(d), null, journal);
        s.start();
        try {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal.getParent())));
        } finally {
            assertEquals(List.of(), s.stop());
        }
    }

    @Test
    void givenACrashedSessionInNamespaceA_whenRecoveringInB_thenBIsUntouchedAndTheJournalWaitsForA() throws Exception {
        DeviceNamespace a = device();
        DeviceNamespace b = device();
        Set<String> aBefore = a.table();
        Set<String> bBefore = b.table();
        Path journal = crashedSessionIn(a, "a", EnforcementMode.AWS);

        List<Recovery.Result> inB = Recovery.recoverAll(dir, backend(b), line -> { });
        assertEquals(1, inB.size());
        assertEquals(Recovery.Outcome.ELSEWHERE, inB.get(0).outcome(), inB.toString());
        assertTrue(inB.get(0).message().contains("--netns " + a.name), inB.get(0).message());
        assertEquals(bBefore, b.table(), "nothing of A's session is replayed in B");
        assertTrue(Files.exists(journal), "the journal waits for recovery in A");

        List<Recovery.Result> inA = Recovery.recoverAll(dir, backend(a), line -> { });
        assertEquals(Recovery.Outcome.RECOVERED, inA.get(0).outcome(), inA.toString());
        assertEquals(aBefore, a.table());
        assertFalse(Files.exists(journal));
    }

    @Test
    void givenACrashedSessionsNamespaceDeletedOrRecreated_whenRecovering_thenTheJournalIsSetAsideAndNothingReplayed() throws Exception {
        DeviceNamespace a = device();
        DeviceNamespace b = device();
        Set<String> bBefore = b.table();
        Path gone = crashedSessionIn(a, "gone", EnforcementMode.AWS);
        a.close();
        namespaces.remove(a);

        List<Recovery.Result> results = Recovery.recoverAll(dir, backend(b), line -> { });
        assertEquals(Recovery.Outcome.SET_ASIDE, results.get(0).outcome(), results.toString());
        assertTrue(results.get(0).message().contains("no longer exists"), results.get(0).message());
        assertEquals(bBefore, b.table(), "nothing replayed in another namespace");
        assertFalse(Files.exists(gone));
        Path kept = dir.resolve(Recovery.SET_ASIDE).resolve("gone.journal");
        assertTrue(Files.exists(kept), "the journal is kept for the user");
        assertTrue(Files.readString(dir.resolve(Recovery.SET_ASIDE).resolve("gone.journal.why")).contains("no longer exists"));

        // a namespace deleted and created again under the same name is another namespace
        DeviceNamespace c = device();
        Path recreated = crashedSessionIn(c, "recreated", EnforcementMode.AWS);
        DeviceNamespace.run("ip", "netns", "del", c.name);
        DeviceNamespace.run("ip", "netns", "add", c.name);
        List<Recovery.Result> again = Recovery.recoverAll(dir, backend(c), line -> { });
        assertEquals(Recovery.Outcome.SET_ASIDE, again.get(0).outcome(), again.toString());
        assertTrue(again.get(0).message().contains("was deleted and a new namespace now has its name"), again.get(0).message());
        assertEquals("", c.ip("route show"), "the new namespace with the old name gets nothing replayed");
        assertFalse(Files.exists(recreated));
    }

    @Test
    void givenDamagedJournals_whenRecoveringAndStarting_thenEachIsNamedAndSetAsideAndTheGoodOneRecovered() throws Exception {
        DeviceNamespace d = device();
        Set<String> before = d.table();
        Path good = crashedSessionIn(d, "good", EnforcementMode.AWS);
        List<String> lines = Files.readAllLines(good);
        // a garbled byte in the begin line
        String begin = lines.get(0);
        Files.writeString(dir.resolve("garbled.journal"), begin.substring(0, 20) + "\u0001" + begin.substring(21) + "\n");
        // a begin record without its snapshot (checksummed as CREW would write it)
        String beginRecord = RouteJournal.unseal(begin);
        Files.writeString(dir.resolve("nosnapshot.journal"), RouteJournal.seal(beginRecord.replaceFirst(",\"snapshot\":\\[[^\\]]*\\]", "")) + "\n");
        // a byte changed inside a string of the begin record: valid JSON, caught by the checksum
        int at = begin.indexOf("\"session\":\"") + 11;
        Files.writeString(dir.resolve("flipped.journal"), begin.substring(0, at) + (char) (begin.charAt(at) ^ 1) + begin.substring(at + 1) + "\n");
        // a journal that does not start with begin
        Files.writeString(dir.resolve("headless.journal"), String.join("\n", lines.subList(1, lines.size())) + "\n");

        List<Recovery.Result> results = Recovery.recoverAll(dir, backend(d), line -> { });
        assertEquals(5, results.size(), results.toString());
        for (Recovery.Result r : results) {
            String name = r.journal().getFileName().toString();
            if (name.equals("good.journal")) {
                assertEquals(Recovery.Outcome.RECOVERED, r.outcome(), r.toString());
            } else {
                assertEquals(Recovery.Outcome.SET_ASIDE, r.outcome(), r.toString());
                assertTrue(r.message().contains("line 1"), "names the line: " + r.message());
                assertTrue(Files.exists(dir.resolve(Recovery.SET_ASIDE).resolve(name)), name + " kept for the user");
                assertFalse(r.blocksNewSession());
            }
        }
        assertTrue(results.stream().anyMatch(r -> r.message().contains("no snapshot")), results.toString());
        assertTrue(results.stream().anyMatch(r -> r.journal().endsWith("flipped.journal") && r.message().contains("checksum mismatch")),
                results.toString());
        assertTrue(results.stream().anyMatch(r -> r.message().contains("does not start with its begin record")), results.toString());
        assertEquals(before, d.table(), "the good journal restored the device");
        assertEquals(List.of(), Recovery.journals(dir), "nothing is left to block the next session");
    }

    @Test
    void givenAJournalWithAnUnreadableRecord_whenRecovered_thenTheReadableRecordsAreUndoneAndTheJournalIsKept() throws Exception {
        DeviceNamespace d = device();
        Set<String> before = d.table();
        Path journal = crashedSessionIn(d, "torn", EnforcementMode.AWS);
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.add(1, "{\"op\":\"install\",\"route\":{\"dst\":\"172.31.0.0/1"); // a record damaged on disk
        Files.write(journal, lines);
        Recovery.Result r = Recovery.recover(journal, backend(d), line -> { });
        assertEquals(Recovery.Outcome.SET_ASIDE, r.outcome(), r.toString());
        assertTrue(r.message().contains("line 2"), r.message());
        assertEquals(before, d.table(), "every readable record was undone");
        assertTrue(Files.exists(dir.resolve(Recovery.SET_ASIDE).resolve("torn.journal")));
    }

    @Test
    void givenALiveSessionAndAReusedPid_whenRecovering_thenTheLiveOneIsLeftAndTheReusedOneRecovered() throws Exception {
        DeviceNamespace d = device();
        Set<String> before = d.table();
        Path live = dir.resolve("live.journal");
        Process owner = enforcerIn(d, live, EnforcementMode.AWS);
        List<Recovery.Result> results = Recovery.recoverAll(dir, backend(d), line -> { });
        assertEquals(Recovery.Outcome.RUNNING, results.get(0).outcome(), results.toString());
        assertTrue(results.get(0).message().contains("pid " + owner.pid()), results.get(0).message());
        assertTrue(Files.exists(live));
        assertTrue(d.table().stream().anyMatch(l -> l.contains("proto 197")), "the live session's routes stay");

        // the owner dies and its pid goes to an unrelated process: the journal's pid is made to point at one
        owner.destroyForcibly().waitFor();
        Process stranger = new ProcessBuilder("sleep", "60").start();
        processes.add(stranger);
        List<String> lines = new ArrayList<>(Files.readAllLines(live));
        lines.set(0, RouteJournal.seal(RouteJournal.unseal(lines.get(0)).replaceFirst("\"pid\":" + owner.pid() + ",", "\"pid\":" + stranger.pid() + ",")));
        Files.write(live, lines);
        List<Recovery.Result> after = Recovery.recoverAll(dir, backend(d), line -> { });
        assertEquals(Recovery.Outcome.RECOVERED, after.get(0).outcome(), after.toString());
        assertTrue(after.get(0).message().contains("now belongs to another process"), after.get(0).message());
        assertEquals(before, d.table());
    }

    /** Runs a `crew` command through the registry, as the crew application does. */
    private static String[] crew(String... words) throws Exception {
        BundleContext context = FrameworkUtil.getBundle(JournalRecoveryTest.class).getBundleContext();
        ServiceTracker<CommandRegistry, CommandRegistry> tracker = new ServiceTracker<>(context, CommandRegistry.class, null);
        tracker.open();
        try {
            CommandRegistry registry = tracker.waitForService(10_000);
            List<String> all = List.of(words);
            CliCommand cmd = registry.find(all).orElseThrow(() -> new AssertionError("no command for " + all));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    new ByteArrayInputStream(new byte[0]), Path.of("."), false);
            int code;
            String message = "";
            try {
                code = cmd.run(ctx, Arguments.parse(all.subList(1, all.size()), cmd.options()));
            } catch (CommandException e) {
                code = e.exitCode();
                message = e.getMessage();
            }
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8) + message};
        } finally {
            tracker.close();
        }
    }

    @Test
    void givenACorruptJournal_whenCrewEnforceStartsAndRecovers_thenItRunsAndNamesTheBadJournal() throws Exception {
        DeviceNamespace d = device();
        Set<String> before = d.table();
        Files.writeString(dir.resolve("bad.journal"), "{\"op\":\"begin\",\"session\":\"x\u0007\n");
        String[] run = crew("enforce", "--netns", d.name, "--interface", "tun0", "--gateway", "10.200.0.1", "--protect", "172.31.0.0/16",
                "--journal", dir.resolve("next.journal").toString(), "--seconds", "1");
        assertEquals("0", run[0], "a corrupt journal does not block a new session: " + run[1] + run[2]);
        assertTrue(run[2].contains("bad.journal") && run[2].contains("line 1") && run[2].contains("set aside"), run[2]);
        assertEquals(before, d.table(), "the session ended and restored the device");

        Files.writeString(dir.resolve("bad2.journal"), "garbage\n");
        String[] recover = crew("enforce", "--recover", "--netns", d.name, "--journal", dir.resolve("bad2.journal").toString());
        assertEquals("4", recover[0], "set aside, not restored: " + recover[1] + recover[2]);
        assertTrue(recover[2].contains("bad2.journal") && recover[2].contains("line 1"), recover[2]);
        assertTrue(recover[1].contains("Nothing was restored"), recover[1]);
    }

    @Test
    void givenARunningSession_whenASecondOneWouldProtectOverlappingRoutes_thenItIsRefusedAndTheFirstUntouched() throws Exception {
        DeviceNamespace d = device();
        Process first = enforcerIn(d, dir.resolve("first.journal"), EnforcementMode.AWS); // another process, another journal folder
        Set<String> table = d.table();
        String[] second = crew("enforce", "--netns", d.name, "--interface", "tun0", "--gateway", "10.200.0.1", "--protect", "172.31.4.0/24",
                "--journal", Files.createTempDirectory("crew-other-home").resolve("second.journal").toString(), "--seconds", "1");
        assertEquals("4", second[0], second[1] + second[2]);
        assertTrue(second[2].contains("172.31.0.0/16") && second[2].contains("overlaps 172.31.4.0/24"), second[2]);
        assertEquals(table, d.table(), "the refused session changed nothing");
        assertTrue(first.isAlive());

        String[] apart = crew("enforce", "--netns", d.name, "--interface", "tun0", "--gateway", "10.200.0.1", "--protect", "10.99.0.0/16",
                "--journal", dir.resolve("apart.journal").toString(), "--seconds", "1");
        assertEquals("0", apart[0], "a session that overlaps nothing runs beside it: " + apart[1] + apart[2]);
        assertEquals(table, d.table());
    }
}
