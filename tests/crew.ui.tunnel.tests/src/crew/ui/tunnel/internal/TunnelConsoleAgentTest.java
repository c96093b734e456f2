package crew.ui.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

import com.google.gson.JsonObject;

import crew.agent.AgentEngine;
import crew.agent.AgentRuntime;
import crew.agent.AgentServer;
import crew.agent.api.AgentClient;
import crew.agent.api.AgentProtocol;
import crew.agent.api.UnixSocketTransport;
import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEventSink;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingBackend;
import crew.routing.linux.LinuxNetwork;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;
import crew.testing.Screenshots;
import crew.testing.UiWait;
import crew.ui.workspace.CrewWorkspace;
import crew.ui.workspace.WorkspaceItem;

/**
 * The console with a privileged agent running (real kernel, real openvpn): Start lab, Connect, Attack, Disconnect
 * and Stop lab all go through the agent, which runs the lab and the tunnel; the workbench process changes nothing
 * itself. Leaves target/screenshots/tunnel-console-agent.png.
 */
class TunnelConsoleAgentTest {
    private Display display;
    private Shell shell;
    private TunnelPart part;
    private AgentRuntime agent;
    private String previousHome;
    private String previousExamples;
    private ServiceRegistration<EnforcementEventSink> sinkRegistration;

    @TempDir
    Path temp;

    @BeforeEach
    void open() {
        Prerequisites.requireDisplay();
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1300, 700);
    }

    @AfterEach
    void close() {
        if (sinkRegistration != null) {
            sinkRegistration.unregister();
        }
        if (part != null) {
            part.dispose();
        }
        if (shell != null) {
            shell.dispose();
        }
        if (agent != null) {
            agent.close(); // ends what the agent still runs: the table restored, the lab removed
        }
        System.clearProperty("crew.agent.socket");
        TunnelConsoleSwtTest.restore("crew.home", previousHome);
        TunnelConsoleSwtTest.restore(CrewWorkspace.EXAMPLES_PROPERTY, previousExamples);
    }

    static AgentEngine.Backends namespaces() {
        return new AgentEngine.Backends() {
            @Override
            public RoutingBackend open(String namespace) throws crew.routing.api.RoutingException {
                return LinuxRouting.namespace(namespace);
            }

            @Override
            public void release(RoutingBackend backend, String namespace) {
                ((ClosableRoutingBackend) backend).close();
            }
        };
    }

    @Test
    void givenARunningAgent_whenTheConsoleStartsALabAndConnects_thenTheAgentRunsThemAndTheEngineRemovesTheAttack() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("openvpn", "the agent's lab and tunnel drive the real openvpn");
        Path example = Path.of(System.getProperty("crew.test.splitTunnelDesign", "../../bundles/crew.examples/workspace/designs/split-tunnel.crew.json"));
        previousHome = System.getProperty("crew.home");
        previousExamples = System.getProperty(CrewWorkspace.EXAMPLES_PROPERTY);
        Path home = Files.createDirectories(temp.resolve("home"));
        System.setProperty("crew.home", home.toString());
        Path workspace = Files.createDirectories(temp.resolve("workspace/designs"));
        Path design = Files.copy(example, workspace.resolve("split-tunnel.crew.json"));
        System.setProperty(CrewWorkspace.EXAMPLES_PROPERTY, workspace.getParent().toString());
        Path sockDir = Files.createDirectories(temp.resolve("sock"));
        Files.setPosixFilePermissions(sockDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = sockDir.resolve("agent.sock");
        agent = AgentRuntime.start(new AgentRuntime.Settings(socket, "rw-rw----", "crew", crew.tunnel.TunnelOptions.findOpenvpn(),
                AgentServer.Limits.defaults()), namespaces(), null, line -> System.out.println("agent: " + line));
        System.setProperty("crew.agent.socket", socket.toString());

        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
        UiWait.until(display, () -> part.designCombo().getItemCount() == 1, 5000, "the workspace's design is offered for a lab");
        part.workspaceSelection(new WorkspaceItem(WorkspaceItem.Kind.ENDPOINT_DESIGN, design, "split-tunnel.crew"));
        TunnelConsoleSwtTest.press(part.startLabButton());
        UiWait.until(display, () -> part.profiles().stream().anyMatch(p -> p.lab() && p.client().equals("lab-user")) && !part.busy(), 90_000,
                "the agent's lab is up and its profiles are listed: " + part.labStatus());
        assertTrue(part.labStatus().contains("in the CREW agent"), part.labStatus());
        assertTrue(part.labs().isEmpty(), "the workbench runs no lab itself");
        // the user's own copy of the profile the agent sent (this JVM shares the agent's CREW home, so its lab is listed twice)
        assertTrue(part.selectProfile(p -> p.lab() && p.client().equals("lab-user") && p.label().endsWith(", agent)")));
        assertTrue(part.profiles().stream().anyMatch(p -> p.file().startsWith(home.resolve("agent-lab"))));
        String labId = part.profiles().stream().filter(p -> p.lab()).findFirst().orElseThrow().labId();

        // a sink registered in the workbench (as a plugin's is) gets the events of the agent's session too
        List<EnforcementEvent> pluginSink = new CopyOnWriteArrayList<>();
        BundleContext bundleContext = FrameworkUtil.getBundle(TunnelPart.class).getBundleContext();
        sinkRegistration = bundleContext.registerService(EnforcementEventSink.class, pluginSink::add, null);

        TunnelConsoleSwtTest.press(part.connectButton());
        UiWait.until(display, () -> part.state().startsWith("CONNECTED") && !part.busy(), 60_000, "connected: " + part.state() + " / " + part.detail());
        List<String> destinations = part.routesTable().rows().stream().map(r -> r.cells().get(0)).toList();
        assertTrue(destinations.contains("172.31.0.0/16"), "protected routes listed: " + destinations);
        UiWait.until(display, () -> part.sessionsTable().rows().stream().anyMatch(r -> r.cells().get(1).startsWith("the agent")), 5000,
                "the session is the agent's in the sessions table");
        try (AgentClient c = AgentClient.connect(new UnixSocketTransport(socket), "test")) {
            JsonObject s = c.call(AgentProtocol.STATUS, new JsonObject()).getAsJsonObject();
            assertEquals(1, s.getAsJsonArray("sessions").size(), s.toString());
            assertEquals("CONNECTED", s.getAsJsonArray("sessions").get(0).getAsJsonObject().get("state").getAsString());
        }

        // the job that connected sets busy off, then the buttons follow on the UI thread: wait for what a user waits for
        UiWait.until(display, () -> part.attackButton().isEnabled(), 5000, "Attack enabled once connected");
        TunnelConsoleSwtTest.press(part.attackButton());
        UiWait.until(display, () -> !part.attackResult().isEmpty(), 15_000, "the attack's result");
        assertTrue(part.attackResult().contains("removed by the enforcement engine after"), part.attackResult());
        UiWait.until(display, () -> part.auditTable().rows().stream().anyMatch(r -> r.cells().get(2).equals("conflict detected")), 5000,
                "the agent's enforcement events reach the audit log");
        UiWait.until(display, () -> pluginSink.stream().anyMatch(e -> e.kind() == EnforcementEvent.Kind.ROUTE_REMOVED), 5000,
                "the workbench's registered sink gets the agent's events: " + pluginSink);
        Screenshots.save(shell, "tunnel-console-agent");

        TunnelConsoleSwtTest.press(part.disconnectButton());
        UiWait.until(display, () -> part.state().startsWith("DISCONNECTED") && !part.busy(), 40_000, "disconnected: " + part.state());
        TunnelConsoleSwtTest.press(part.stopLabButton());
        UiWait.until(display, () -> part.labStatus().contains("stopped") && !part.busy(), 60_000, "the lab is stopped: " + part.labStatus());
        List<String> left = LinuxNetwork.namespaces().stream().filter(n -> n.startsWith("crew-" + labId + "-")).toList();
        assertTrue(left.isEmpty(), "namespaces left: " + left);
    }
}
