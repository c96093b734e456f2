package crew.ui.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TabItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.enforce.EnforcementEvent;
import crew.testing.Prerequisites;
import crew.testing.Screenshots;
import crew.testing.UiWait;
import crew.tunnel.SessionRecord;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.CrewWorkspace;

/**
 * The console without root: empty states that say what to do, profile import (a SAML profile refused with its
 * line, a profile with scripts imported with notes), the audit table's tag filter and CSV copy.
 */
class TunnelConsoleSwtTest {
    private Display display;
    private Shell shell;
    private TunnelPart part;
    private String previousHome;
    private String previousExamples;

    @TempDir
    Path temp;

    @BeforeEach
    void open() throws IOException {
        Prerequisites.requireDisplay();
        previousHome = System.getProperty("crew.home");
        previousExamples = System.getProperty(CrewWorkspace.EXAMPLES_PROPERTY);
        System.setProperty("crew.home", Files.createDirectories(temp.resolve("home")).toString());
        System.setProperty(CrewWorkspace.EXAMPLES_PROPERTY, Files.createDirectories(temp.resolve("workspace")).toString());
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1300, 640);
    }

    @AfterEach
    void close() {
        if (part != null) {
            part.dispose();
        }
        if (shell != null) {
            shell.dispose();
        }
        restore("crew.home", previousHome);
        restore(CrewWorkspace.EXAMPLES_PROPERTY, previousExamples);
    }

    static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    static void press(Button b) {
        assertTrue(b.isEnabled(), b.getText() + " is enabled");
        b.notifyListeners(SWT.Selection, new Event());
    }

    @Test
    void givenAnEmptyWorkspace_whenOpened_thenEveryAreaSaysWhatToDoNext() throws Exception {
        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
        UiWait.until(display, () -> part.profileNotes().equals(TunnelPart.NO_PROFILES), 5000, "the profile list's empty state");
        UiWait.until(display, () -> part.labStatus().equals(TunnelPart.NO_DESIGNS), 5000, "the lab's empty state");
        assertEquals("Not connected", part.state());
        assertFalse(part.connectButton().isEnabled(), "nothing to connect");
        assertFalse(part.attackButton().isEnabled());
        assertFalse(part.startLabButton().isEnabled());
        assertTrue(part.routesTable().rows().isEmpty());
        assertTrue(part.auditTable().rows().isEmpty());
        UiWait.until(display, () -> part.sessionsTable().rows().isEmpty(), 5000, "no sessions");
        // mnemonics: every action is reachable from the keyboard
        for (Button b : List.of(part.connectButton(), part.disconnectButton(), part.attackButton(), part.startLabButton(), part.stopLabButton())) {
            assertTrue(b.getText().contains("&"), b.getText() + " has a mnemonic");
        }
        Screenshots.save(shell, "tunnel-console-empty");
    }

    @Test
    void givenAProfileWithSamlFederation_whenImported_thenTheRefusalNamesTheDirectiveAndItsLine() throws Exception {
        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
        UiWait.until(display, () -> part.profileNotes().equals(TunnelPart.NO_PROFILES), 5000, "the profile list's empty state");
        Path saml = temp.resolve("saml.ovpn");
        Files.writeString(saml, "client\ndev tun\nproto udp\nremote vpn.example.com 443\nauth-federate\nauth-user-pass\n");
        part.importProfile(saml);
        UiWait.until(display, () -> part.profileNotes().startsWith("Import refused"), 5000, "the import is refused");
        assertTrue(part.profileNotes().contains(":5: 'auth-federate' is not supported"), part.profileNotes());
        assertTrue(part.profiles().isEmpty(), "a profile CREW cannot connect is not offered");

        Path scripted = temp.resolve("office.ovpn");
        Files.writeString(scripted, "client\ndev tun\nproto udp\nremote vpn.example.com 443\nscript-security 2\nup /etc/openvpn/up.sh\n");
        part.importProfile(scripted);
        UiWait.until(display, () -> part.profileNotes().startsWith("Imported"), 5000, "the import succeeds");
        assertTrue(part.profileNotes().contains("line 6: 'up' ignored"), part.profileNotes());
        assertTrue(part.profileNotes().contains("line 5: 'script-security' ignored"), part.profileNotes());
        Path copy = Path.of(System.getProperty(CrewWorkspace.EXAMPLES_PROPERTY)).resolve("profiles/office.ovpn");
        assertTrue(Files.exists(copy), "copied into the workspace's profiles/ folder");
        assertEquals(1, part.profiles().size());
        assertEquals(copy, part.profiles().get(0).file());
        assertTrue(part.connectButton().isEnabled());
        if (!Prerequisites.isRoot() && !NetworkPrivileges.canAdministerNetwork()) {
            press(part.connectButton());
            UiWait.until(display, () -> part.detail().contains("sudo ./crew agent"), 2000, "says how to start an agent");
        }
        // a refresh finds it in the workspace
        part.refresh();
        UiWait.until(display, () -> part.profiles().stream().anyMatch(p -> p.label().equals("office.ovpn (workspace)")), 5000,
                "the workspace profile is listed");
        Screenshots.save(shell, "tunnel-console-import");
    }

    @Test
    void givenAProfileAskingForAPassword_whenChosen_thenTheCredentialFieldsAskForItBeforeConnecting() throws Exception {
        Path profiles = Files.createDirectories(Path.of(System.getProperty(CrewWorkspace.EXAMPLES_PROPERTY)).resolve("profiles"));
        Files.writeString(profiles.resolve("ad.ovpn"), "client\ndev tun\nproto udp\nremote vpn.example.com 443\nauth-user-pass\n");
        Files.writeString(profiles.resolve("cert.ovpn"), "client\ndev tun\nproto udp\nremote vpn.example.com 443\n");
        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
        UiWait.until(display, () -> part.profiles().size() == 2, 5000, "both workspace profiles are listed");
        int ad = part.profiles().stream().map(p -> p.file().getFileName().toString()).toList().indexOf("ad.ovpn");
        part.profileCombo().select(ad);
        part.profileCombo().notifyListeners(SWT.Selection, new Event());
        UiWait.until(display, part::credentialsShown, 5000, "the credential fields appear for an auth-user-pass profile");
        assertTrue(part.profileNotes().contains("asks for a username and password (enter them below)"), part.profileNotes());
        assertTrue(part.usernameField().isEnabled() && part.passwordField().isEnabled());
        assertFalse(part.keyPassphraseField().isEnabled(), "the key is not encrypted");
        assertTrue((part.passwordField().getStyle() & SWT.PASSWORD) != 0, "the password is masked");
        if (NetworkPrivileges.canAdministerNetwork()) {
            press(part.connectButton());
            UiWait.until(display, () -> part.detail().contains("enter them above"), 2000, "connect asks for the missing credentials");
        }
        Screenshots.save(shell, "tunnel-console-credentials");
        part.profileCombo().select(1 - ad);
        part.profileCombo().notifyListeners(SWT.Selection, new Event());
        UiWait.until(display, () -> !part.credentialsShown() && part.profileNotes().contains("cert.ovpn"), 5000,
                "no credential fields for a certificate-only profile");
    }

    @Test
    void givenASessionOfAnotherCrewProcess_whenShown_thenItIsReadOnlyAndDisconnectSignalsItsProcess() throws Exception {
        Process owner = new ProcessBuilder("sleep", "120").start();
        try {
            Path dir = Path.of(System.getProperty("crew.home")).resolve("tunnel").resolve("cli-office");
            new SessionRecord("cli-office", owner.pid(), true, "/tmp/office.ovpn", "", "CONNECTED", "CONNECTED", "enforced", Instant.now().toString(),
                    "tun0", true, "aws", "192.168.1.1", "eth0", List.of("10.0.0.0/16 via 10.200.0.1 dev tun0")).write(dir);
            part = new TunnelPart();
            part.createControls(shell);
            shell.open();
            UiWait.until(display, () -> part.sessionsTable().rows().size() == 1, 5000, "the other process's session is listed");
            RowTable.Row row = part.sessionsTable().rows().get(0);
            assertEquals("cli-office", row.cells().get(0));
            assertEquals("another crew process", row.cells().get(1));
            assertEquals(String.valueOf(owner.pid()), row.cells().get(2));
            assertEquals("CONNECTED", row.cells().get(5));
            assertFalse(part.disconnectOtherButton().isEnabled(), "nothing selected");
            part.sessionsTable().table().setSelection(0);
            part.sessionsTable().table().notifyListeners(SWT.Selection, new Event());
            Thread.sleep(3500);
            UiWait.drain(display); // a periodic re-read in between keeps the selection
            assertTrue(part.sessionsTable().selectedRow().isPresent(), "still selected after the sessions were re-read");
            press(part.disconnectOtherButton());
            UiWait.until(display, () -> part.detail().contains("cli-office disconnected"), 10_000, "the owner was signalled: " + part.detail());
            assertFalse(owner.isAlive(), "SIGTERM ended the session's process");
            Files.delete(dir.resolve("session.json"));
            UiWait.until(display, () -> part.sessionsTable().rows().isEmpty(), 10_000, "the ended session disappears");
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void givenEnforcementEvents_whenFilteredByTag_thenOnlyThoseRowsAreShownAndCopyAsCsv() {
        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
        part.addEvent(EnforcementEvent.of("lab-user", EnforcementEvent.Kind.SESSION_STARTED, null, "2 routes"));
        part.addEvent(EnforcementEvent.of("lab-user", EnforcementEvent.Kind.CONFLICT_DETECTED, "172.31.0.0/24 via 192.168.77.1 dev lan0", "more specific"));
        part.addEvent(new EnforcementEvent(Instant.now(), "other", EnforcementEvent.Kind.ERROR, null, "untagged", List.of("error")));
        assertEquals(3, part.auditTable().rows().size());
        part.tagCombo().select(part.tagCombo().indexOf(EnforcementEvent.TAG));
        part.tagCombo().notifyListeners(SWT.Selection, new Event());
        assertEquals(2, part.auditTable().rows().size(), "only events tagged Client Route Enforcement");
        part.tagCombo().select(part.tagCombo().indexOf("conflict-detected"));
        part.tagCombo().notifyListeners(SWT.Selection, new Event());
        assertEquals(1, part.auditTable().rows().size());
        String csv = part.auditTable().asText(true, false);
        assertTrue(csv.startsWith("Time,Session,Event,Route,Detail,Tags\n"), csv);
        assertTrue(csv.contains("lab-user,conflict detected,172.31.0.0/24 via 192.168.77.1 dev lan0,more specific,\"Client Route Enforcement, conflict-detected\""),
                csv);
        part.tagCombo().select(0);
        part.tagCombo().notifyListeners(SWT.Selection, new Event());
        part.auditTable().filterField().setText("untagged");
        assertEquals(1, part.auditTable().visibleRows().size());
    }

    @Test
    void givenTheConsole_whenItsMnemonicsAreCollected_thenNoTwoControlsShownTogetherShareOne() {
        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
        // the controls above the tabs are always shown; each tab page is shown with them (one page at a time)
        Map<Character, String> always = new HashMap<>();
        for (Control c : shell.getChildren()) {
            collectMnemonics(c, part.tabs(), always);
        }
        for (TabItem page : part.tabs().getItems()) {
            Map<Character, String> shown = new HashMap<>(always);
            collectMnemonics(page.getControl(), null, shown);
        }
        assertTrue(always.containsKey('c') && always.get('c').equals("&Connect"), "Alt+C is Connect's: " + always);
        assertEquals("&Disconnect", always.get('d'), "Alt+D is Disconnect's: " + always);
    }

    /** Adds the mnemonics of {@code c} and its children (not below {@code skip}) to {@code seen}; a repeated one fails. */
    private static void collectMnemonics(Control c, Control skip, Map<Character, String> seen) {
        if (c == skip) {
            return;
        }
        String text = c instanceof Button b ? b.getText() : c instanceof Label l ? l.getText() : "";
        int at = text.replace("&&", "").indexOf('&');
        if (at >= 0 && at + 1 < text.replace("&&", "").length()) {
            char m = Character.toLowerCase(text.replace("&&", "").charAt(at + 1));
            String before = seen.put(m, text);
            assertTrue(before == null, "Alt+" + Character.toUpperCase(m) + " is both '" + before + "' and '" + text + "': GTK gives it to the first only");
        }
        if (c instanceof Composite parent) {
            for (Control child : parent.getChildren()) {
                collectMnemonics(child, skip, seen);
            }
        }
    }

    @Test
    void givenTheFocusOnConnect_whenAJobDisablesIt_thenTheFocusStaysInTheConsole() throws Exception {
        Path profiles = Files.createDirectories(Path.of(System.getProperty(CrewWorkspace.EXAMPLES_PROPERTY)).resolve("profiles"));
        Files.writeString(profiles.resolve("cert.ovpn"), "client\ndev tun\nproto udp\nremote vpn.example.com 443\n");
        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
        shell.forceActive();
        UiWait.until(display, () -> part.connectButton().isEnabled(), 5000, "the profile is listed and Connect enabled");
        part.connectButton().setFocus();
        UiWait.until(display, () -> display.getFocusControl() == part.connectButton(), 5000,
                "the X server gives the console's shell the keyboard focus (Xvfb: no window manager needed)");
        CountDownLatch release = new CountDownLatch(1);
        part.runJob(Job.create("holding the console busy", monitor -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Status.OK_STATUS;
        }));
        try {
            assertFalse(part.connectButton().isEnabled(), "Connect is disabled while the job runs");
            UiWait.drain(display);
            assertEquals(part.profileCombo(), display.getFocusControl(),
                    "the focus went to the profile list, not nowhere (a window without a focus control takes no keys, Alt+C included)");
        } finally {
            release.countDown();
        }
        UiWait.until(display, () -> part.connectButton().isEnabled(), 10_000, "Connect is enabled again after the job");
    }

    @Test
    void givenTheFocusOnTheProfileList_whenTheListIsRefilled_thenTheWindowStillHasAFocusControl() throws Exception {
        Path profiles = Files.createDirectories(Path.of(System.getProperty(CrewWorkspace.EXAMPLES_PROPERTY)).resolve("profiles"));
        Files.writeString(profiles.resolve("a.ovpn"), "client\ndev tun\nproto udp\nremote vpn.example.com 443\n");
        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
        shell.forceActive();
        UiWait.until(display, () -> part.profiles().size() == 1, 5000, "the profile is listed");
        part.profileCombo().setFocus();
        UiWait.until(display, () -> display.getFocusControl() == part.profileCombo(), 5000,
                "the X server gives the console's shell the keyboard focus (Xvfb: no window manager needed)");
        // a lab's profiles arrive: the list is refilled while it has the focus
        Files.writeString(profiles.resolve("b.ovpn"), "client\ndev tun\nproto udp\nremote vpn.example.com 443\n");
        part.refresh();
        UiWait.until(display, () -> part.profiles().size() == 2, 5000, "the list is refilled");
        UiWait.drain(display);
        assertTrue(display.getFocusControl() != null, "the window has a focus control after the refill (else it takes no keys, Alt+C included)");
    }
}
