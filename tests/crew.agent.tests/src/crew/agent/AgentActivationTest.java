package crew.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import crew.agent.api.AgentClient;
import crew.agent.api.UnixSocketTransport;
import crew.agent.internal.AgentMain;
import crew.testing.Prerequisites;

/**
 * The agent under systemd's protocols without systemd as PID 1: socket activation through systemd-socket-activate
 * (the listening socket arrives as fd 3 with LISTEN_FDS/LISTEN_PID) and readiness through sd_notify to a
 * NOTIFY_SOCKET (received by a datagram socket, as systemd would).
 */
class AgentActivationTest {

    static List<String> agentCommand(Path home, String socketArgument) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ArrayList<>(List.of(java, "-Dcrew.home=" + home, "-cp", TestClassPath.agent(), AgentMain.class.getName(), socketArgument,
                "rw-rw----", "agcrew"));
    }

    @Test
    void givenSocketActivation_whenTheFirstClientConnects_thenTheAgentServesOnThePassedSocket() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("systemd-socket-activate", "it passes a listening socket as systemd does");
        Path dir = Files.createTempDirectory("crew-ag-act");
        Path sock = dir.resolve("agent.sock");
        List<String> cmd = new ArrayList<>(List.of("systemd-socket-activate", "-l", sock.toString()));
        cmd.addAll(agentCommand(dir.resolve("home"), dir.resolve("not-used.sock").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(sock) && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            try (AgentClient c = AgentClient.connect(new UnixSocketTransport(sock), "activation test")) {
                assertEquals("control", c.hello().get("role").getAsString());
            }
            String out = Files.readString(dir.resolve("out.txt"));
            assertTrue(out.contains("listening on the socket systemd passed"), out);
            assertTrue(!Files.exists(dir.resolve("not-used.sock")), "the agent bound its own socket too");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            AgentFixture.deleteTree(dir);
        }
    }

    @Test
    void givenANotifySocket_whenTheAgentIsReady_thenItSendsReadyToSystemd() throws Exception {
        Prerequisites.requireRoot();
        Path python = Prerequisites.requireExecutable("python3", "it receives the notification datagram (Java has no AF_UNIX datagrams)");
        Path dir = Files.createTempDirectory("crew-ag-notify");
        Path notify = dir.resolve("notify.sock");
        Process receiver = new ProcessBuilder(python.toString(), "-c", "import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n"
                + "s.bind(sys.argv[1])\nprint('bound',flush=True)\nprint(s.recv(4096).decode(),flush=True)", notify.toString()).redirectErrorStream(true).start();
        String bound = new String(receiver.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
        assertEquals("bound\n", bound);
        ProcessBuilder pb = new ProcessBuilder(agentCommand(dir.resolve("home"), dir.resolve("agent.sock").toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("NOTIFY_SOCKET", notify.toString());
        Process agent = pb.start();
        try {
            assertTrue(receiver.waitFor(30, TimeUnit.SECONDS), "no notification within 30 s");
            String message = new String(receiver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(message.contains("READY=1") && message.contains("STATUS=ready"), message);
        } finally {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
            receiver.destroyForcibly();
            AgentFixture.deleteTree(dir);
        }
    }
}
