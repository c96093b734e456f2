package crew.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;

/**
 * kill -9 of the enforcing process at random moments (before, during and after its start, while an attacker adds
 * conflicting routes), in each mode: every time, recovery from the journal brings back the pre-session table
 * exactly, routes and policy rules (extended and strict remove the user's diverting rule; it must come back).
 */
class CrashRecoveryTest {
    private static final int RUNS = 20;

    private static final EnforcementMode[] MODES = {EnforcementMode.AWS, EnforcementMode.EXTENDED, EnforcementMode.STRICT};

    /** The class path of the bundles the enforcer needs, from their locations in this framework. */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        Set<String> wanted = Set.of("crew.model", "crew.routing.api", "crew.routing.linux", "crew.enforce", "crew.enforce.tests",
                "com.google.gson", "com.sun.jna");
        for (Bundle b : FrameworkUtil.getBundle(CrashRecoveryTest.class).getBundleContext().getBundles()) {
            if (wanted.contains(b.getSymbolicName())) {
                // "initial@reference:file:../../bundles/x/target/x.jar", relative to the framework's install area
                String loc = b.getLocation().replaceFirst("^initial@", "").replaceFirst("^reference:", "").replaceFirst("^file:", "");
                File f = new File(loc);
                if (!f.isAbsolute()) {
                    String install = System.getProperty("osgi.install.area", "").replaceFirst("^file:", "");
                    f = new File(install, loc);
                }
                f = f.toPath().normalize().toFile();
                entries.add(f.getAbsolutePath());
                if (new File(f, "target/classes").isDirectory()) {
                    entries.add(new File(f, "target/classes").getAbsolutePath());
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Set<String> withoutAttacker(Set<String> table) {
        Set<String> t = new TreeSet<>(table);
        t.removeIf(l -> l.contains("172.31.2") || l.contains("2001:db8:10:a0"));
        return t;
    }

    @Test
    void givenKillMinus9AtRandomMoments_whenTheNextStartRecovers_thenThePreSessionTableIsBackEveryTime() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("ip", "iproute2 builds the device namespace");
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = classPath();
        Random random = new Random(1128);
        int killedDuringSession = 0;
        try (DeviceNamespace device = new DeviceNamespace()) {
            device.ip("route add 172.31.1.0/24 via 192.168.1.1"); // the user's own conflicting route
            device.ip("-6 route add 2001:db8:10:1::/64 via 2001:db8:1::1");
            device.ip("route add 172.31.5.0/24 via 192.168.1.1 table 100");
            device.ip("rule add to 172.31.5.0/24 lookup 100 pref 500"); // the user's rule: extended and strict remove it
            Set<String> before = device.table();
            Set<String> rulesBefore = device.rules();
            Path dir = Files.createTempDirectory("crew-crash");
            for (int run = 0; run < RUNS; run++) {
                Path journal = dir.resolve("run" + run + ".journal");
                EnforcementMode mode = MODES[run % MODES.length];
                Process p = new ProcessBuilder(java, "-cp", cp, CrashableEnforcer.class.getName(), device.name, journal.toString(), mode.name())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("run" + run + ".log").toFile()).start();
                AtomicBoolean attacking = new AtomicBoolean(true);
                Thread attacker = new Thread(() -> {
                    int i = 0;
                    while (attacking.get()) {
                        try {
                            device.ip("route replace 172.31.2" + (i % 50) + ".0/24 via 192.168.1.1");
                            device.ip("-6 route replace 2001:db8:10:a0" + (10 + i % 50) + "::/64 via 2001:db8:1::1");
                        } catch (Exception e) {
                            // the namespace is busy or the route was just removed: keep attacking
                        }
                        i++;
                    }
                });
                attacker.start();
                if (run % 4 == 3) {
                    Thread.sleep(random.nextInt(1500)); // early: JVM start or journal begin
                } else {
                    // wait until the session has begun (its journal exists), whatever the machine's load, then
                    // kill at a random moment of installing, remediating or protecting
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (!Files.exists(journal) && p.isAlive() && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(random.nextInt(1500));
                }
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
                attacking.set(false);
                attacker.join();
                String log = Files.readString(dir.resolve("run" + run + ".log"));
                assertFalse(log.contains("ClassNotFoundException"), "the enforcer process could not start with class path " + cp + ": " + log);
                if (Files.exists(journal)) {
                    killedDuringSession++; // the session had begun: its journal must undo it
                }
                // the next start: recover from the journal (there is none when the kill came before begin)
                if (Files.exists(journal)) {
                    try (ClosableRoutingBackend backend = LinuxRouting.namespace(device.name)) {
                        Recovery.Result result = Recovery.recover(journal, backend, line -> { });
                        assertEquals(List.of(), result.problems(), "run " + run);
                        assertTrue(Set.of(Recovery.Outcome.RECOVERED, Recovery.Outcome.NOTHING_TO_RESTORE).contains(result.outcome()),
                                "run " + run + ": " + result);
                    }
                }
                assertFalse(Files.exists(journal), "run " + run + ": journal removed after recovery");
                try (ClosableRoutingBackend backend = LinuxRouting.namespace(device.name)) {
                    Recovery.recoverAll(dir, backend, line -> { });
                }
                try (var left = Files.list(dir)) {
                    assertEquals(List.of(), left.filter(f -> f.toString().contains(".journal")).toList(),
                            "run " + run + ": no journal, and no journal killed before its begin, is left");
                }
                Set<String> after = device.table();
                assertTrue(after.stream().noneMatch(l -> l.contains("proto 197")), "run " + run + ": none of CREW's routes left: " + after);
                String when = "run " + run + " (" + mode + ", killed " + (log.contains("STARTED") ? "during" : "before") + " the session)";
                assertEquals(before, withoutAttacker(after), when + ": the user's table is back");
                assertEquals(rulesBefore, device.rules(), when + ": the user's policy rules are back, and none of CREW's is left");
                // the attacker's leftovers are not the user's; clear them for the next run
                for (String l : after) {
                    if (!before.contains(l) && (l.contains("172.31.2") || l.contains("2001:db8:10:a0"))) {
                        device.ip((l.startsWith("-6") ? "-6 " : "") + "route del " + l.substring(3).split(" ")[0]);
                    }
                }
            }
        }
        System.out.println("crash test: " + RUNS + " kills, " + killedDuringSession + " after the session had begun (journal present); every table restored");
        assertTrue(killedDuringSession >= RUNS / 2, "most kills must hit a session that had begun: " + killedDuringSession);
    }
}
