package crew.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentProtocol;
import crew.agent.api.UnixSocketTransport;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.WorkspaceFile;
import crew.testing.Prerequisites;
import crew.tunnel.lab.EndpointLab;
import crew.tunnel.lab.LabPlan;

/**
 * SIGKILL of the agent at random moments while it connects or runs an enforced session, with an attacker adding
 * conflicting routes: openvpn exits (the management socket is its dead-man switch), the restarted agent restores the
 * device's table from the journal before it serves (the user's own route the engine had removed comes back), and the
 * stale socket is replaced. Prints kill-to-restored (a new JVM included, as systemd's restart would start one).
 */
class AgentCrashTest {
    static final String NS = "crew-agk1-dev";

    /** The agent as its own process, killable. */
    static final class AgentProcess {
        final Process process;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final List<String> output = Collections.synchronizedList(new ArrayList<>());

        AgentProcess(Path home, Path socket) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            process = new ProcessBuilder(java, "-Dcrew.home=" + home, "-cp", TestClassPath.agent(), crew.agent.internal.AgentMain.class.getName(),
                    socket.toString(), "rw-rw----", "agcrew").redirectErrorStream(true).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null;) {
                        output.add(line);
                        if (line.startsWith("READY")) {
                            ready.complete(null);
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
                ready.completeExceptionally(new AssertionError("the agent ended before it was ready:\n" + String.join("\n", output)));
            });
            t.setDaemon(true);
            t.start();
        }
    }

    static Set<String> table() throws Exception {
        Set<String> t = new TreeSet<>();
        for (String family : new String[] {"-4", "-6"}) {
            Process p = new ProcessBuilder("ip", family, "-n", NS, "route", "show", "table", "main").redirectErrorStream(true).start();
            new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.startsWith("172.31.2")).forEach(t::add);
            p.waitFor();
        }
        return t;
    }

    static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", NS));
        cmd.addAll(List.of(args));
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static boolean openvpnOf(Path home) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-f", home.resolve("tunnel").toString()).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Test
    void givenSigkillsAtRandomMomentsWithAnAttacker_whenTheAgentRestarts_thenTheTableIsRestoredBeforeItServes() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("openvpn", "the lab and the tunnel run the real openvpn");
        Prerequisites.requireExecutable("pgrep", "the test checks that openvpn exits with the agent");
        int runs = Integer.getInteger("crew.agent.crashRuns", 20);
        Path labHome = Files.createTempDirectory("crew-agk-lab");
        Path agentHome = Files.createTempDirectory("crew-agk-agent");
        Path sockDir = Files.createTempDirectory("crew-agk-sock");
        Path socket = sockDir.resolve("agent.sock");
        String previous = System.getProperty("crew.home");
        System.setProperty("crew.home", labHome.toString());
        EndpointDesign design = WorkspaceFile.read(Path.of(System.getProperty("crew.examples"), "designs", "split-tunnel.crew.json"));
        EndpointLab lab = EndpointLab.up(design, "agk1", LabPlan.defaultClients(design), crew.tunnel.TunnelOptions.findOpenvpn(), l -> {
        });
        AgentProcess agent = null;
        List<Long> restoreMillis = new ArrayList<>();
        List<Long> openvpnMillis = new ArrayList<>();
        int killedConnected = 0;
        try {
            String client = lab.plan().clients().keySet().iterator().next();
            String profile = Files.readString(lab.clientProfile(client));
            Process dflt = new ProcessBuilder("ip", "-4", "-n", NS, "route", "show", "default").start();
            String gateway = new String(dflt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")[2];
            // the user's own route to part of the protected range: the engine removes it, recovery must bring it back
            ip("route", "add", "172.31.1.0/24", "via", gateway, "dev", LabPlan.DEVICE_LAN);
            Set<String> before = table();
            assertTrue(before.stream().anyMatch(l -> l.startsWith("172.31.1.0/24")), before.toString());
            Random random = new Random(1313);
            for (int run = 0; run < runs; run++) {
                if (agent == null) {
                    agent = new AgentProcess(agentHome, socket);
                    agent.ready.get(60, TimeUnit.SECONDS);
                }
                AgentClient c = AgentClient.connect(new UnixSocketTransport(socket), "crash test");
                JsonObject connect = new JsonObject();
                connect.addProperty("profileName", client + ".ovpn");
                connect.addProperty("profile", profile);
                connect.addProperty("netns", NS);
                connect.addProperty("enforce", "always");
                connect.addProperty("session", "agk");
                CompletableFuture<Object> connecting = CompletableFuture.supplyAsync(() -> {
                    try {
                        return c.call(AgentProtocol.TUNNEL_CONNECT, connect);
                    } catch (Exception e) {
                        return e;
                    }
                });
                AtomicBoolean attacking = new AtomicBoolean(true);
                Thread attacker = new Thread(() -> {
                    int n = 0;
                    while (attacking.get()) {
                        try {
                            ip("route", "replace", "172.31.2" + (n++ % 10) + ".0/24", "via", gateway, "dev", LabPlan.DEVICE_LAN);
                            Thread.sleep(20);
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                attacker.start();
                if (run % 2 == 1) {
                    // every other kill comes after the connect, however slow the machine: a connected, enforced session
                    connecting.get(60, TimeUnit.SECONDS);
                }
                Thread.sleep(random.nextInt(1500));
                if (connecting.isDone() && !(connecting.get() instanceof Exception)) {
                    killedConnected++;
                }
                long t0 = System.nanoTime();
                agent.process.destroyForcibly();
                agent.process.waitFor(10, TimeUnit.SECONDS);
                attacking.set(false);
                attacker.join();
                c.close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (openvpnOf(agentHome) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertTrue(!openvpnOf(agentHome), "run " + run + ": openvpn outlived the agent by 15 s");
                openvpnMillis.add((System.nanoTime() - t0) / 1_000_000);
                agent = new AgentProcess(agentHome, socket);
                agent.ready.get(60, TimeUnit.SECONDS);
                restoreMillis.add((System.nanoTime() - t0) / 1_000_000);
                for (int i = 0; i < 10; i++) {
                    ip("route", "del", "172.31.2" + i + ".0/24");
                }
                assertEquals(before, table(), "run " + run + ": the table after recovery; agent said:\n" + String.join("\n", agent.output));
            }
        } finally {
            if (agent != null) {
                agent.process.destroy();
                agent.process.waitFor(30, TimeUnit.SECONDS);
            }
            lab.down();
            AgentFixture.deleteTree(labHome);
            AgentFixture.deleteTree(agentHome);
            AgentFixture.deleteTree(sockDir);
            if (previous == null) {
                System.clearProperty("crew.home");
            } else {
                System.setProperty("crew.home", previous);
            }
        }
        Collections.sort(restoreMillis);
        Collections.sort(openvpnMillis);
        System.out.printf("agent SIGKILL x%d (%d while connected): openvpn gone after p50 %d ms (max %d); kill to restored and serving p50 %d ms"
                + " (max %d), a new JVM included%n", runs, killedConnected, openvpnMillis.get(runs / 2), openvpnMillis.get(runs - 1),
                restoreMillis.get(runs / 2), restoreMillis.get(runs - 1));
        assertTrue(killedConnected > 0, "no kill hit a connected session");
    }
}
