package crew.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.cli.CommandRegistry;
import crew.testing.Prerequisites;

/** crew agent install: the units shipped in the bundle, written for this product, and the control group created. */
class AgentInstallTest {

    @Test
    void givenNoGroupCrew_whenTheAgentIsInstalled_thenTheUnitsAreWrittenAndTheGroupExists() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("groupadd", "the install creates group crew");
        ServiceTracker<CommandRegistry, CommandRegistry> tracker = new ServiceTracker<>(
                FrameworkUtil.getBundle(AgentInstallTest.class).getBundleContext(), CommandRegistry.class, null);
        tracker.open();
        CommandRegistry registry = tracker.waitForService(10_000);
        assertNotNull(registry);
        boolean hadGroup = new ProcessBuilder("getent", "group", "crew").start().waitFor() == 0;
        Path dir = Files.createTempDirectory("crew-ag-units");
        try {
            AgentCliTest.Run dry = new AgentCliTest.Run(registry, "agent", "install", "--dry-run");
            assertEquals(0, dry.await(), dry.all());
            assertTrue(dry.out().contains("ListenStream=/run/crew/agent.sock") && dry.out().contains("Type=notify"), dry.all());
            AgentCliTest.Run install = new AgentCliTest.Run(registry, "agent", "install", "--unit-dir", dir.toString());
            assertEquals(0, install.await(), install.all());
            String socket = Files.readString(dir.resolve("crew-agent.socket"));
            String service = Files.readString(dir.resolve("crew-agent.service"));
            assertTrue(socket.contains("SocketMode=0660") && socket.contains("SocketGroup=crew"), socket);
            assertTrue(service.contains("Type=notify") && service.contains("Restart=on-failure") && service.contains("RestartPreventExitStatus=3")
                    && service.contains("/crew agent\n") && !service.contains("@JAVA_HOME@") && !service.contains("@PRODUCT@"), service);
            assertEquals(0, new ProcessBuilder("getent", "group", "crew").start().waitFor(), "group crew exists: " + install.all());
        } finally {
            if (!hadGroup) {
                new ProcessBuilder("groupdel", "crew").start().waitFor();
            }
            AgentFixture.deleteTree(dir);
            tracker.close();
        }
    }
}
