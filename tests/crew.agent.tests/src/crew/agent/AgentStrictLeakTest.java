package crew.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
 * Strict mode through a crash of the agent: SIGKILL during a connected, strictly enforced session, with the device
 * sending to a protected destination all the while. openvpn exits and its TUN device with the tunnel's routes, but
 * the session's packet filter stays in the kernel, so until the restarted agent restores the device not one packet
 * to a protected destination leaves through the LAN (counted by an nftables counter on the device's LAN egress).
 */
class AgentStrictLeakTest {
    private static final String ID = "agk2";
    private static final String NS = "crew-" + ID + "-dev";
    private static final String PROTECTED_HOST = "172.31.1.10";

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    /** Packets to the protected range that left through the device's LAN since the counter was made. */
    private static long leaked() throws Exception {
        String out = run("ip", "netns", "exec", NS, "nft", "list", "chain", "inet", "crew_leak_count", "post");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    @Test
    void givenAStrictSession_whenTheAgentIsKilled_thenNothingToAProtectedDestinationLeavesBeforeTheRestore() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("openvpn", "the lab and the tunnel run the real openvpn");
        Prerequisites.requireExecutable("nft", "the test counts the device's LAN egress with an nftables counter");
        Prerequisites.requireExecutable("ping", "the device sends to a protected destination throughout");
        Path labHome = Files.createTempDirectory("crew-agk2-lab");
        Path agentHome = Files.createTempDirectory("crew-agk2-agent");
        Path sockDir = Files.createTempDirectory("crew-agk2-sock");
        Path socket = sockDir.resolve("agent.sock");
        String previous = System.getProperty("crew.home");
        System.setProperty("crew.home", labHome.toString());
        EndpointDesign design = WorkspaceFile.read(Path.of(System.getProperty("crew.examples"), "designs", "split-tunnel.crew.json"));
        EndpointLab lab = EndpointLab.up(design, ID, LabPlan.defaultClients(design), crew.tunnel.TunnelOptions.findOpenvpn(), l -> {
        });
        AgentCrashTest.AgentProcess agent = null;
        Process ping = null;
        try {
            String client = lab.plan().clients().keySet().iterator().next();
            agent = new AgentCrashTest.AgentProcess(agentHome, socket);
            agent.ready.get(60, TimeUnit.SECONDS);
            AgentClient c = AgentClient.connect(new UnixSocketTransport(socket), "strict leak test");
            JsonObject connect = new JsonObject();
            connect.addProperty("profileName", client + ".ovpn");
            connect.addProperty("profile", Files.readString(lab.clientProfile(client)));
            connect.addProperty("netns", NS);
            connect.addProperty("enforce", "always");
            connect.addProperty("mode", "strict");
            connect.addProperty("session", "agk2");
            c.call(AgentProtocol.TUNNEL_CONNECT, connect);
            assertTrue(run("ip", "-n", NS, "rule").contains("lookup 197"), "strict mode pins the protected range");

            // a counter after every filter: what really leaves through the LAN to the protected range
            run("ip", "netns", "exec", NS, "nft", "add", "table", "inet", "crew_leak_count");
            run("ip", "netns", "exec", NS, "nft", "add chain inet crew_leak_count post { type filter hook postrouting priority 300 ; }");
            run("ip", "netns", "exec", NS, "nft", "add rule inet crew_leak_count post oifname \"" + LabPlan.DEVICE_LAN
                    + "\" ip daddr 172.31.0.0/16 counter");
            ping = new ProcessBuilder("ip", "netns", "exec", NS, "ping", "-q", "-i", "0.01", PROTECTED_HOST).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(500);
            assertEquals(0, leaked(), "while connected the protected range goes through the tunnel");

            long t0 = System.nanoTime();
            agent.process.destroyForcibly();
            agent.process.waitFor(10, TimeUnit.SECONDS);
            c.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (AgentCrashTest.openvpnOf(agentHome) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(!AgentCrashTest.openvpnOf(agentHome), "openvpn exits with the agent");
            assertTrue(!run("ip", "-n", NS, "link").contains("tun0"), "its TUN device, and the tunnel's routes, are gone");
            Thread.sleep(1500); // 150 more packets sent while nothing of CREW runs
            long dead = leaked();
            long deadMillis = (System.nanoTime() - t0) / 1_000_000;

            agent = new AgentCrashTest.AgentProcess(agentHome, socket);
            agent.ready.get(60, TimeUnit.SECONDS);
            long restoredMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("strict session, agent SIGKILLed: %d packets to the protected range left through the LAN in the %d ms before"
                    + " the restart; restored and serving after %d ms%n", dead, deadMillis, restoredMillis);
            assertEquals(0, dead, "no packet to a protected destination left outside the tunnel between the kill and the restore");
            assertTrue(!run("ip", "-n", NS, "rule").contains("lookup 197"), "the restarted agent removed the pinning rules");
            assertTrue(!run("ip", "netns", "exec", NS, "nft", "list", "tables").contains("crew_agk2"), "and the session's filter");
        } finally {
            if (ping != null) {
                ping.destroyForcibly().waitFor();
            }
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
    }
}
