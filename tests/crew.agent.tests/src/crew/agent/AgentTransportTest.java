package crew.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentTransport;
import crew.agent.api.AgentUnavailableException;
import crew.agent.api.UnixSocketTransport;
import crew.agent.internal.AgentMain;
import crew.testing.Prerequisites;
import crew.tunnel.TunnelOptions;

/**
 * Where clients look for the agent: the system socket unless the crew.agent.socket property or $CREW_AGENT_SOCKET
 * names another (an agent on a private socket, as the product's agent-ui check and the tests run one), the property
 * first; and a client pointed there by the property reaches an agent listening there.
 */
class AgentTransportTest {

    @Test
    void givenNothingSet_whenTheSocketIsChosen_thenTheSystemSocket() {
        assertEquals(Path.of("/run/crew/agent.sock"), AgentTransport.socketFrom(null, null));
        assertEquals(Path.of("/run/crew/agent.sock"), AgentTransport.socketFrom("", "  "), "blank values count as not set");
    }

    @Test
    void givenTheVariable_whenTheSocketIsChosen_thenItsPath() {
        assertEquals(Path.of("/tmp/x/agent.sock"), AgentTransport.socketFrom(null, "/tmp/x/agent.sock"));
        assertEquals(Path.of("/tmp/x/agent.sock"), AgentTransport.socketFrom("", "/tmp/x/agent.sock"), "an empty property does not hide the variable");
    }

    @Test
    void givenThePropertyAndTheVariable_whenTheSocketIsChosen_thenThePropertyWins() {
        assertEquals(Path.of("/srv/p.sock"), AgentTransport.socketFrom("/srv/p.sock", "/tmp/x/agent.sock"));
    }

    @Test
    void givenARelativePath_whenTheSocketIsChosen_thenItIsTakenFromTheWorkingDirectory() {
        Path chosen = AgentTransport.socketFrom("run/../agent.sock", null);
        assertTrue(chosen.isAbsolute(), chosen.toString());
        assertEquals(Path.of("agent.sock").toAbsolutePath(), chosen);
    }

    @Test
    void givenTheProperty_whenAClientConnects_thenItReachesTheAgentThereAndNamesThatSocketWhenNoneRuns() throws Exception {
        Path dir = Files.createTempDirectory("crew-transport");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path socket = dir.resolve("agent.sock");
        String before = System.getProperty(AgentTransport.SOCKET_PROPERTY);
        String home = System.getProperty("crew.home");
        System.setProperty(AgentTransport.SOCKET_PROPERTY, socket.toString());
        System.setProperty("crew.home", dir.resolve("home").toString());
        try {
            assertEquals(socket, AgentTransport.defaultSocket());
            AgentUnavailableException none = assertThrows(AgentUnavailableException.class, () -> AgentTransport.system().connect());
            assertTrue(none.getMessage().contains(socket.toString()), none.getMessage());
            try (AgentRuntime agent = AgentRuntime.start(new AgentRuntime.Settings(socket, "rw-------", "root", TunnelOptions.findOpenvpn(),
                    AgentServer.Limits.defaults()), AgentMain.namespaceBackends(), null, line -> {
                    }); AgentClient c = AgentClient.connect(AgentTransport.system(), "transport test")) {
                assertEquals(ProcessHandle.current().pid(), c.hello().get("agentPid").getAsLong(), "the agent on the property's socket answered");
                assertEquals(socket.toString(), ((UnixSocketTransport) AgentTransport.system()).socket().toString());
            }
        } finally {
            restore(AgentTransport.SOCKET_PROPERTY, before);
            restore("crew.home", home);
            AgentFixture.deleteTree(dir);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
