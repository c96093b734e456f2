package crew.ui.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.enforce.EnforcementEvent;
import crew.routing.linux.LinuxNetwork;
import crew.testing.Prerequisites;
import crew.testing.Screenshots;
import crew.testing.UiWait;
import crew.ui.workspace.CrewPreferences;
import crew.ui.workspace.CrewWorkspace;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkspaceItem;

/**
 * The console end to end with the real kernel and openvpn (root): a lab from the split-tunnel example design started
 * from the console, its lab-user profile connected, state CONNECTED with the protected routes listed, Attack removed
 * by the engine and in the audit log, Disconnect, Stop lab, and nothing left behind.
 */
class TunnelConsoleLabTest {
    private Display display;
    private Shell shell;
    private TunnelPart part;
    private String previousHome;
    private String previousExamples;
    private Path home;

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
        if (part != null) {
            part.dispose(); // disconnects and stops the lab if the test failed half-way
        }
        if (shell != null) {
            shell.dispose();
        }
        TunnelConsoleSwtTest.restore("crew.home", previousHome);
        TunnelConsoleSwtTest.restore(CrewWorkspace.EXAMPLES_PROPERTY, previousExamples);
    }

    private static void press(org.eclipse.swt.widgets.Button b) {
        TunnelConsoleSwtTest.press(b);
    }

    @Test
    void givenTheSplitTunnelExample_whenTheLabUserConnectsAndAttacks_thenTheEngineRemovesTheRouteAndTheAuditLogShowsIt() throws Exception {
        Prerequisites.requireRoot();
        Path openvpn = Prerequisites.requireExecutable("openvpn", "the lab and the tunnel drive the real openvpn");
        Prerequisites.requireExecutable("nsenter", "openvpn is started inside the lab's namespaces with nsenter (util-linux)");
        Path example = Path.of(System.getProperty("crew.test.splitTunnelDesign", "../../bundles/crew.examples/workspace/designs/split-tunnel.crew.json"));
        assertTrue(Files.exists(example), example + " exists");

        previousHome = System.getProperty("crew.home");
        previousExamples = System.getProperty(CrewWorkspace.EXAMPLES_PROPERTY);
        home = Files.createDirectories(temp.resolve("home"));
        System.setProperty("crew.home", home.toString());
        Path workspace = Files.createDirectories(temp.resolve("workspace/designs"));
        Path design = Files.copy(example, workspace.resolve("split-tunnel.crew.json"));
        System.setProperty(CrewWorkspace.EXAMPLES_PROPERTY, workspace.getParent().toString());
        CrewPreferences.put(CrewPreferences.OPENVPN_PATH, openvpn.toString());

        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
        UiWait.until(display, () -> part.designCombo().getItemCount() == 1, 5000, "the workspace's design is offered for a lab");
        // the navigator's selection chooses the lab's design
        part.workspaceSelection(new WorkspaceItem(WorkspaceItem.Kind.ENDPOINT_DESIGN, design, "split-tunnel.crew"));
        assertEquals("split-tunnel.crew", part.designCombo().getText());

        long t0 = System.nanoTime();
        press(part.startLabButton());
        UiWait.until(display, () -> part.labs().size() == 1 && part.profiles().stream().anyMatch(p -> p.lab() && p.client().equals("lab-user"))
                && !part.busy(), 90_000, "the lab is up and its profiles are listed: " + part.labStatus());
        System.out.printf("[tunnel console] lab up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertTrue(part.labStatus().contains("CRE enforced"), part.labStatus());
        assertTrue(part.selectProfile(p -> p.lab() && p.client().equals("lab-user")));
        String labId = part.profiles().stream().filter(p -> p.lab() && p.client().equals("lab-user")).findFirst().orElseThrow().labId();
        List<String> labNamespaces = List.of("crew-" + labId + "-dev", "crew-" + labId + "-srv", "crew-" + labId + "-vpc");
        assertTrue(LinuxNetwork.namespaces().containsAll(labNamespaces), "the lab's namespaces exist");

        t0 = System.nanoTime();
        press(part.connectButton());
        UiWait.until(display, () -> part.state().startsWith("CONNECTED") && !part.busy(), 60_000,
                "connected: " + part.state() + " / " + part.detail());
        System.out.printf("[tunnel console] connected in %d ms (%s)%n", (System.nanoTime() - t0) / 1_000_000, part.state());
        assertTrue(part.state().contains("enforced") && part.state().contains("connected in"), part.state());
        List<String> destinations = part.routesTable().rows().stream().map(r -> r.cells().get(0)).toList();
        assertTrue(destinations.contains("172.31.0.0/16"), "protected routes listed: " + destinations);
        UiWait.until(display, () -> part.sessionsTable().rows().stream().anyMatch(r -> r.cells().get(1).equals("this workbench")
                && r.cells().get(5).equals("CONNECTED")), 5000, "the session is in the sessions table");
        assertTrue(Files.exists(home.resolve("tunnel").resolve(part.session().entry().sessionId()).resolve("session.json")),
                "the session is published for other crew processes");

        // the job that connected sets busy off, then the buttons follow on the UI thread: wait for what a user waits for
        UiWait.until(display, () -> part.attackButton().isEnabled(), 5000, "Attack enabled once connected");
        press(part.attackButton());
        UiWait.until(display, () -> !part.attackResult().isEmpty(), 15_000, "the attack's result");
        assertTrue(part.attackResult().contains("172.31.0.0/24") && part.attackResult().contains("removed by the enforcement engine after"),
                part.attackResult());
        System.out.println("[tunnel console] " + part.attackResult());
        UiWait.until(display, () -> part.auditTable().rows().stream().anyMatch(r -> r.cells().get(2).equals("conflict detected")
                && r.cells().get(3).contains("172.31.0.0/24")), 5000, "the conflict is in the audit log");
        part.tagCombo().select(part.tagCombo().indexOf(EnforcementEvent.TAG));
        part.tagCombo().notifyListeners(SWT.Selection, new Event());
        assertTrue(part.auditTable().rows().stream().allMatch(r -> r.cells().get(5).contains(EnforcementEvent.TAG)));
        assertTrue(part.auditTable().rows().stream().anyMatch(r -> r.cells().get(2).equals("conflict detected")));
        RowTable audit = part.auditTable();
        assertTrue(audit.asText(true, false).contains("conflict detected"), audit.asText(true, false));
        part.tabs().setSelection(1);
        Screenshots.save(shell, "tunnel-console");
        part.tabs().setSelection(0);

        press(part.disconnectButton());
        UiWait.until(display, () -> part.state().startsWith("DISCONNECTED"), 40_000, "disconnected: " + part.state());
        assertTrue(part.routesTable().rows().isEmpty(), "no protected routes after disconnect");
        UiWait.until(display, () -> !Files.exists(home.resolve("tunnel").resolve(part.session().entry().sessionId()).resolve("session.json")),
                5000, "the session record is removed");

        UiWait.until(display, () -> !part.busy(), 10_000, "no job runs");
        press(part.stopLabButton());
        UiWait.until(display, () -> part.labs().isEmpty() && part.labStatus().contains("stopped") && !part.busy(), 60_000,
                "the lab is stopped: " + part.labStatus());
        assertTrue(part.labStatus().contains("removed"), part.labStatus());
        UiWait.until(display, () -> part.profiles().stream().noneMatch(ProfileEntry::lab), 5000, "the lab's profiles are gone");

        List<String> left = LinuxNetwork.namespaces().stream().filter(labNamespaces::contains).toList();
        assertTrue(left.isEmpty(), "namespaces left: " + left);
        List<String> procs = ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("openvpn") && c.contains(home.toString())).toList();
        assertTrue(procs.isEmpty(), "openvpn processes left: " + procs);
    }
}
