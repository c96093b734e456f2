package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementMode;
import crew.enforce.EnforcementPolicy;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;
import crew.routing.api.RoutingBackends;
import crew.routing.api.RoutingException;
import crew.tunnel.RouteAttack;
import crew.tunnel.SessionRecord;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelListener;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelState;
import crew.tunnel.TunnelStatus;
import crew.tunnel.lab.EndpointLab;
import crew.tunnel.lab.LabPlan;
import crew.ui.app.CrewUi;
import crew.ui.workspace.CrewPreferences;
import crew.ui.workspace.CrewWorkspace;
import crew.ui.workspace.DesignFile;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkspaceItem;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The tunnel and enforcement console: client profiles (the workspace's profiles/ folder, imported files, the client
 * profiles of labs that are up), Connect/Disconnect of a {@link crew.tunnel.TunnelSession} in the workbench process
 * with its state live, its protected routes and connect time, the enforcement events as they happen and as an audit
 * log, the sessions of other crew processes, the endpoint lab for the design selected in the workspace, and an Attack
 * for lab sessions. Everything that touches openvpn, the routing table, namespaces or files runs in jobs.
 */
public class TunnelPart {
    public static final String ID = "crew.ui.tunnel.part";
    static final String ALL_TAGS = "All tags";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    static final String NO_PROFILES = "No client profiles. Import an .ovpn (Import..., Alt+I), export one from the endpoint editor into the"
            + " workspace's profiles/ folder, or start a lab for a design (its users' profiles appear here).";
    static final String NO_ROUTES = "Not connected. Choose a profile and press Connect (Alt+C): the routes the tunnel installs and protects"
            + " appear here.";
    static final String NO_EVENTS = "No enforcement events yet. Connect a profile whose endpoint enforces (CRE); in a lab session, Attack"
            + " (Alt+A) adds a conflicting route and the engine's response appears here.";
    static final String NO_SESSIONS = "No tunnel session runs in this workbench or in another crew process (crew tunnel connect).";
    static final String NO_DESIGNS = "No endpoint design in the workspace: open a workspace with designs (File > Preferences > CREW) to start a lab.";

    @Inject @Optional RoutingBackends backends;
    @Inject @Optional IEventBroker broker;

    private Display display;
    private Combo profileCombo;
    private Label profileNotes;
    private Composite credentialsRow;
    private Text username;
    private Text password;
    private Text keyPassphrase;
    private Combo designCombo;
    private Label labStatus;
    private Button importButton;
    private Button refreshButton;
    private Button startLabButton;
    private Button stopLabButton;
    private Button connectButton;
    private Button disconnectButton;
    private Button attackButton;
    private Label stateLabel;
    private Label detailLabel;
    private Label attackLabel;
    private TabFolder tabs;
    private RowTable routesTable;
    private Combo tagCombo;
    private RowTable auditTable;
    private RowTable sessionsTable;
    private Button disconnectOther;
    private Text logText;
    private Color red;
    private Color green;

    private final List<ProfileEntry> profiles = new ArrayList<>();
    private final List<Path> designs = new ArrayList<>();
    private final List<EnforcementEvent> events = new ArrayList<>();
    private final Map<String, EndpointLab> labs = new ConcurrentHashMap<>();
    private final List<ProfileEntry> imported = new ArrayList<>();
    private volatile ConsoleSession current;
    private volatile Job running;
    private Path wantedDesign;
    private String wantedProfile;
    private List<SessionRecord> others = List.of();
    private Thread shutdownHook;
    private boolean disposed;
    private Job sessionsPoll;
    private String lastAttack = "";

    @PostConstruct
    public void createControls(Composite parent) {
        display = parent.getDisplay();
        red = new Color(display, new RGB(176, 0, 32));
        green = new Color(display, new RGB(0, 110, 40));
        parent.addListener(SWT.Dispose, e -> {
            red.dispose();
            green.dispose();
        });
        parent.setLayout(new GridLayout(1, false));

        Composite profileRow = row(parent, 5);
        new Label(profileRow, SWT.NONE).setText("&Profile:");
        profileCombo = new Combo(profileRow, SWT.READ_ONLY);
        profileCombo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        profileCombo.addListener(SWT.Selection, e -> profileChosen());
        importButton = button(profileRow, "&Import .ovpn...", this::importDialog);
        refreshButton = button(profileRow, "&Refresh", this::refresh);
        new Label(profileRow, SWT.NONE);
        profileNotes = new Label(parent, SWT.WRAP);
        profileNotes.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        // shown only for profiles that ask: auth-user-pass (Active Directory) or an encrypted private key
        credentialsRow = row(parent, 6);
        new Label(credentialsRow, SWT.NONE).setText("User&name:");
        username = new Text(credentialsRow, SWT.BORDER);
        username.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(credentialsRow, SWT.NONE).setText("Pass&word:");
        password = new Text(credentialsRow, SWT.BORDER | SWT.PASSWORD);
        password.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(credentialsRow, SWT.NONE).setText("&Key passphrase:");
        keyPassphrase = new Text(credentialsRow, SWT.BORDER | SWT.PASSWORD);
        keyPassphrase.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        showCredentials(false, false);

        Composite labRow = row(parent, 4);
        new Label(labRow, SWT.NONE).setText("Lab &design:");
        designCombo = new Combo(labRow, SWT.READ_ONLY);
        GridData designData = new GridData(SWT.FILL, SWT.CENTER, true, false);
        designData.widthHint = 260;
        designCombo.setLayoutData(designData);
        designCombo.addListener(SWT.Selection, e -> updateButtons());
        startLabButton = button(labRow, "Start &lab", this::startLab);
        startLabButton.setToolTipText("Start the local endpoint lab for this design (root): an openvpn server in network namespaces, with a"
                + " client profile per user");
        stopLabButton = button(labRow, "St&op lab", this::stopLab);
        labStatus = new Label(parent, SWT.WRAP);
        labStatus.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));

        Composite sessionRow = row(parent, 5);
        connectButton = button(sessionRow, "&Connect", this::connect);
        disconnectButton = button(sessionRow, "&Disconnect", this::disconnect);
        attackButton = button(sessionRow, "&Attack", this::attack);
        attackButton.setToolTipText("Lab sessions: add a route more specific than a protected one through the LAN gateway, as a user with admin"
                + " rights would, and show whether and how fast the enforcement engine removes it");
        stateLabel = new Label(sessionRow, SWT.NONE);
        FontData[] data = stateLabel.getFont().getFontData();
        for (FontData d : data) {
            d.setStyle(SWT.BOLD);
            d.setHeight(d.getHeight() + 2);
        }
        Font bold = new Font(display, data);
        stateLabel.setFont(bold);
        stateLabel.addListener(SWT.Dispose, e -> bold.dispose());
        stateLabel.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        detailLabel = new Label(parent, SWT.WRAP);
        detailLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        attackLabel = new Label(parent, SWT.WRAP);
        attackLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));

        tabs = new TabFolder(parent, SWT.TOP);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        TabItem routesTab = new TabItem(tabs, SWT.NONE);
        routesTab.setText("Protected routes");
        routesTable = new RowTable(tabs, "Destination", "Gateway", "Interface", "Metric", "Table");
        routesTable.setEmptyMessage(NO_ROUTES);
        routesTab.setControl(routesTable.control());

        TabItem auditTab = new TabItem(tabs, SWT.NONE);
        auditTab.setText("Audit log");
        Composite audit = new Composite(tabs, SWT.NONE);
        audit.setLayout(new GridLayout(2, false));
        new Label(audit, SWT.NONE).setText("&Tag:");
        tagCombo = new Combo(audit, SWT.READ_ONLY);
        tagCombo.add(ALL_TAGS);
        tagCombo.add(EnforcementEvent.TAG);
        for (EnforcementEvent.Kind k : EnforcementEvent.Kind.values()) {
            tagCombo.add(k.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        tagCombo.select(0);
        tagCombo.addListener(SWT.Selection, e -> refreshAudit());
        auditTable = new RowTable(audit, "Time", "Session", "Event", "Route", "Detail", "Tags");
        auditTable.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        auditTable.setEmptyMessage(NO_EVENTS);
        auditTab.setControl(audit);

        TabItem sessionsTab = new TabItem(tabs, SWT.NONE);
        sessionsTab.setText("Sessions");
        Composite sessions = new Composite(tabs, SWT.NONE);
        sessions.setLayout(new GridLayout(1, false));
        sessionsTable = new RowTable(sessions, "Session", "Where", "Process", "Profile", "Namespace", "State", "Enforced", "Device",
                "Protected routes", "Since");
        sessionsTable.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        sessionsTable.setEmptyMessage(NO_SESSIONS);
        sessionsTable.table().addListener(SWT.Selection, e -> updateButtons());
        disconnectOther = button(sessions, "Disconnect &selected session (signals its process)", this::disconnectSelectedOther);
        sessionsTab.setControl(sessions);

        TabItem logTab = new TabItem(tabs, SWT.NONE);
        logTab.setText("openvpn log");
        logText = new Text(tabs, SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL | SWT.BORDER);
        logTab.setControl(logText);

        showStatus(null);
        refresh();
        pollSessions();
    }

    private static Composite row(Composite parent, int columns) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(columns, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        c.setLayout(layout);
        c.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        return c;
    }

    private static Button button(Composite parent, String text, Runnable action) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(text);
        b.addListener(SWT.Selection, e -> action.run());
        return b;
    }

    // ---- workspace selection: "Start lab" takes the design selected in the navigator ----

    @Inject
    @Optional
    void workspaceSelection(@Named(IServiceConstants.ACTIVE_SELECTION) @Optional WorkspaceItem item) {
        if (item == null || item.kind() != WorkspaceItem.Kind.ENDPOINT_DESIGN) {
            return;
        }
        wantedDesign = item.path();
        if (designCombo != null && !designCombo.isDisposed()) {
            selectDesign(item.path());
        }
    }

    /** Chooses {@code design} for "Start lab" (adds it to the list when it is not in the workspace). */
    public void selectDesign(Path design) {
        Path p = design.toAbsolutePath().normalize();
        int index = designs.indexOf(p);
        if (index < 0) {
            designs.add(p);
            designCombo.add(label(p));
            index = designs.size() - 1;
        }
        designCombo.select(index);
        wantedDesign = p;
        updateButtons();
    }

    private static String label(Path design) {
        String name = design.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    // ---- profiles ----

    /** Rereads the workspace's profiles and designs and the labs that are up (in a job). */
    public void refresh() {
        Job.create("Reading profiles and labs", monitor -> {
            List<ProfileEntry> found = new ArrayList<>();
            List<Path> foundDesigns = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            java.util.Optional<Path> folder = CrewWorkspace.folder();
            if (folder.isPresent()) {
                Path dir = folder.get().resolve("profiles");
                if (Files.isDirectory(dir)) {
                    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.ovpn")) {
                        List<Path> files = new ArrayList<>();
                        s.forEach(files::add);
                        files.sort(null);
                        files.forEach(f -> found.add(ProfileEntry.host(f.getFileName().toString() + " (workspace)", f)));
                    } catch (IOException e) {
                        problems.add("profiles/: " + e.getMessage());
                    }
                }
                try {
                    CrewWorkspace.scan(folder.get()).stream().filter(i -> i.kind() == WorkspaceItem.Kind.ENDPOINT_DESIGN)
                            .forEach(i -> foundDesigns.add(i.path().toAbsolutePath().normalize()));
                } catch (IOException e) {
                    problems.add("designs: " + e.getMessage());
                }
            }
            try {
                for (EndpointLab.LabInfo lab : EndpointLab.list()) {
                    if (!lab.ownerAlive()) {
                        continue;
                    }
                    lab.clientProfiles().forEach((client, profile) -> found.add(new ProfileEntry("lab " + lab.id() + ": " + client + " (device "
                            + lab.deviceNamespace() + ")", Path.of(profile), lab.deviceNamespace(), lab.id(), client)));
                }
            } catch (IOException e) {
                problems.add("labs: " + e.getMessage());
            }
            ui(() -> fillProfiles(found, foundDesigns, problems));
            return Status.OK_STATUS;
        }).schedule();
    }

    private void fillProfiles(List<ProfileEntry> found, List<Path> foundDesigns, List<String> problems) {
        String selected = selectedProfile().map(ProfileEntry::label).orElse(wantedProfile);
        profiles.clear();
        profiles.addAll(found);
        for (ProfileEntry i : imported) {
            if (profiles.stream().noneMatch(p -> p.file().equals(i.file()))) {
                profiles.add(i);
            }
        }
        profileCombo.removeAll();
        profiles.forEach(p -> profileCombo.add(p.label()));
        int index = 0;
        for (int i = 0; i < profiles.size(); i++) {
            if (profiles.get(i).label().equals(selected)) {
                index = i;
            }
        }
        if (!profiles.isEmpty()) {
            profileCombo.select(index);
        }
        Path design = designCombo.getSelectionIndex() >= 0 ? designs.get(designCombo.getSelectionIndex()) : wantedDesign;
        designs.clear();
        designs.addAll(foundDesigns);
        designCombo.removeAll();
        designs.forEach(d -> designCombo.add(label(d)));
        if (design != null) {
            selectDesign(design);
        } else if (!designs.isEmpty()) {
            designCombo.select(0);
        }
        if (designs.isEmpty() && labs.isEmpty()) {
            labStatus.setText(NO_DESIGNS);
        }
        profileChosen();
        if (!problems.isEmpty()) {
            profileNotes.setText(profileNotes.getText() + " Could not read " + String.join("; ", problems));
        }
        layout();
    }

    /** Selects the first profile that matches; false when none does. */
    public boolean selectProfile(Predicate<ProfileEntry> which) {
        for (int i = 0; i < profiles.size(); i++) {
            if (which.test(profiles.get(i))) {
                profileCombo.select(i);
                profileChosen();
                return true;
            }
        }
        return false;
    }

    java.util.Optional<ProfileEntry> selectedProfile() {
        int i = profileCombo.getSelectionIndex();
        return i < 0 || i >= profiles.size() ? java.util.Optional.empty() : java.util.Optional.of(profiles.get(i));
    }

    /** Reads the chosen profile in a job and shows what CREW changes in it or cannot do. */
    private void profileChosen() {
        updateButtons();
        java.util.Optional<ProfileEntry> p = selectedProfile();
        if (p.isEmpty()) {
            profileNotes.setText(NO_PROFILES);
            layout();
            return;
        }
        wantedProfile = p.get().label();
        Path file = p.get().file();
        showCredentials(false, false);
        Job.create("Reading profile " + file.getFileName(), monitor -> {
            String text = describe(file);
            boolean[] asks = credentialsAsked(file);
            ui(() -> {
                if (selectedProfile().map(x -> x.file().equals(file)).orElse(false)) {
                    profileNotes.setText(text);
                    showCredentials(asks[0], asks[1]);
                    layout();
                }
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    /** What TunnelProfile says about a profile: its notes, or why it cannot be used (with the line). */
    static String describe(Path file) {
        try {
            TunnelProfile profile = TunnelProfile.read(file);
            String auth = (profile.needsCredentials() ? "; asks for a username and password (enter them below)" : "")
                    + (profile.hasEncryptedKey() ? "; its private key is encrypted (enter the passphrase below)" : "");
            return file + auth + (profile.notes().isEmpty() ? "; nothing CREW changes." : "; notes: " + String.join("; ", profile.notes()));
        } catch (TunnelException e) {
            return "Cannot use this profile: " + e.getMessage();
        }
    }

    /** Whether the profile asks for a username and password, and for a key passphrase. */
    static boolean[] credentialsAsked(Path file) {
        try {
            TunnelProfile profile = TunnelProfile.read(file);
            return new boolean[] {profile.needsCredentials(), profile.hasEncryptedKey()};
        } catch (TunnelException e) {
            return new boolean[] {false, false};
        }
    }

    private void showCredentials(boolean login, boolean key) {
        boolean any = login || key;
        credentialsRow.setVisible(any);
        ((GridData) credentialsRow.getLayoutData()).exclude = !any;
        username.setEnabled(login);
        password.setEnabled(login);
        keyPassphrase.setEnabled(key);
    }

    private void importDialog() {
        FileDialog dialog = new FileDialog(profileCombo.getShell(), SWT.OPEN);
        dialog.setText("Import a client profile");
        dialog.setFilterExtensions(new String[] {"*.ovpn", "*"});
        String chosen = dialog.open();
        if (chosen != null) {
            importProfile(Path.of(chosen));
        }
    }

    /**
     * Imports a profile: read and checked in a job; a usable one is copied into the workspace's profiles/ folder
     * (when there is a workspace) and chosen; the notes (or the refusal, with its line) are shown either way.
     */
    public void importProfile(Path file) {
        Job.create("Importing " + file.getFileName(), monitor -> {
            TunnelProfile profile;
            try {
                profile = TunnelProfile.read(file);
            } catch (TunnelException e) {
                ui(() -> {
                    profileNotes.setText("Import refused: " + e.getMessage());
                    layout();
                });
                return Status.OK_STATUS;
            }
            Path target = file.toAbsolutePath().normalize();
            String where = "";
            java.util.Optional<Path> folder = CrewWorkspace.folder();
            if (folder.isPresent() && !target.startsWith(folder.get())) {
                try {
                    Path dir = folder.get().resolve("profiles");
                    Files.createDirectories(dir);
                    Path copy = dir.resolve(file.getFileName());
                    String name = file.getFileName().toString().replaceAll("\\.ovpn$", "");
                    for (int n = 2; Files.exists(copy) && Files.mismatch(copy, file) != -1; n++) {
                        copy = dir.resolve(name + "-" + n + ".ovpn");
                    }
                    Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    target = copy;
                    where = " (copied to " + copy + ")";
                } catch (IOException e) {
                    where = " (not copied into the workspace: " + e.getMessage() + ")";
                }
            }
            ProfileEntry entry = ProfileEntry.host(target.getFileName() + " (imported)", target);
            String notes = "Imported " + file + where + ". " + (profile.notes().isEmpty() ? "Nothing CREW changes in it."
                    : "Notes: " + String.join("; ", profile.notes()));
            ui(() -> {
                imported.removeIf(i -> i.file().equals(entry.file()));
                imported.add(entry);
                profiles.removeIf(i -> i.file().equals(entry.file()));
                profiles.add(entry);
                profileCombo.removeAll();
                profiles.forEach(p -> profileCombo.add(p.label()));
                profileCombo.select(profiles.size() - 1);
                wantedProfile = entry.label();
                updateButtons();
                profileNotes.setText(notes);
                layout();
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    // ---- the session ----

    /** Connects the chosen profile in a job (cancel disconnects). */
    public void connect() {
        java.util.Optional<ProfileEntry> chosen = selectedProfile();
        if (chosen.isEmpty() || running != null || (current != null && !current.status().state().isFinal())) {
            return;
        }
        ProfileEntry entry = chosen.get();
        if (!NetworkPrivileges.canAdministerNetwork()) {
            showError(NetworkPrivileges.NEEDED);
            return;
        }
        String user = username.isEnabled() ? username.getText().trim() : null;
        char[] pass = password.isEnabled() ? password.getText().toCharArray() : null;
        char[] keyPass = keyPassphrase.isEnabled() ? keyPassphrase.getText().toCharArray() : null;
        if (username.isEnabled() && (user.isEmpty() || pass.length == 0)) {
            showError("This profile asks for a username and password (auth-user-pass): enter them above.");
            return;
        }
        if (keyPassphrase.isEnabled() && keyPass.length == 0) {
            showError("This profile's private key is encrypted: enter its passphrase above.");
            return;
        }
        // secrets stay in memory for this session only, not in the widgets
        password.setText("");
        keyPassphrase.setText("");
        events.clear();
        refreshAudit();
        logText.setText("");
        attackLabel.setText("");
        lastAttack = "";
        showError("");
        Path openvpn = openvpnPath();
        EnforcementMode mode = enforcementMode();
        EnforcementPolicy policy = service(EnforcementPolicy.class);
        TunnelListener listener = new TunnelListener() {
            @Override
            public void stateChanged(TunnelStatus status) {
                ui(() -> showStatus(status));
            }

            @Override
            public void log(String line) {
                ui(() -> appendLog(line));
            }
        };
        Job job = new Job("Connecting " + entry.label()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                ConsoleSession s;
                try {
                    s = ConsoleSession.create(entry, backends, openvpn, mode, policy, listener, e -> ui(() -> addEvent(e)), user, pass, keyPass);
                } catch (TunnelException e) {
                    ui(() -> showError(message(e)));
                    return Status.OK_STATUS;
                } catch (RoutingException e) {
                    ui(() -> showError(e.isPermissionDenied() ? NetworkPrivileges.NEEDED : "Cannot reach the device's routing table: " + e.getMessage()));
                    return Status.OK_STATUS;
                } catch (RuntimeException e) {
                    ui(() -> showError("Cannot start the tunnel: " + e.getMessage()));
                    return Status.error("Cannot start the tunnel for " + entry.label(), e);
                }
                current = s;
                ensureShutdownHook();
                ui(() -> showStatus(s.status()));
                try {
                    s.connect();
                    status("Tunnel " + entry.label() + " connected in " + s.session().connectTime().map(d -> d.toMillis() + " ms").orElse("?"));
                } catch (TunnelException e) {
                    ui(() -> showError(message(e)));
                }
                ui(() -> showStatus(s.status()));
                return Status.OK_STATUS;
            }

            @Override
            protected void canceling() {
                ConsoleSession s = current;
                if (s != null) {
                    Thread t = new Thread(s::disconnect, "crew-ui-tunnel-cancel");
                    t.setDaemon(true);
                    t.start();
                }
            }
        };
        runJob(job);
    }

    static String message(TunnelException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("Operation not permitted") || m.contains("EPERM") || m.contains("permission")) {
            return e.reason() + ": " + m + "\n" + NetworkPrivileges.NEEDED;
        }
        return e.reason() + ": " + m;
    }

    /** Disconnects the workbench's session in a job. */
    public void disconnect() {
        ConsoleSession s = current;
        if (s == null || s.status().state().isFinal()) {
            return;
        }
        Job job = Job.create("Disconnecting " + s.entry().label(), monitor -> {
            List<String> problems = s.disconnect();
            ui(() -> {
                showStatus(s.status());
                if (!problems.isEmpty()) {
                    showError("The table was not fully restored: " + String.join("; ", problems));
                }
            });
            status("Tunnel " + s.entry().label() + " disconnected; routing table restored");
            return Status.OK_STATUS;
        });
        // not through runJob: Disconnect must work while Connect's job waits
        job.schedule();
    }

    /** The lab session's attack in a job: add a conflicting route, watch the engine's response, clean up. */
    public void attack() {
        ConsoleSession s = current;
        if (s == null || !s.canAttack() || running != null) {
            return;
        }
        attackLabel.setText("Attack: adding a conflicting route in " + s.entry().namespace() + " ...");
        runJob(Job.create("Attacking the routes of " + s.entry().label(), monitor -> {
            String text;
            boolean good;
            try {
                RouteAttack.Result r = s.attack();
                String added = "Attack: added " + r.route() + " in " + s.entry().namespace() + ": ";
                if (r.removedByEngine()) {
                    text = added + String.format(Locale.ROOT, "removed by the enforcement engine after %.3f ms.",
                            r.removalTime().orElseThrow().toNanos() / 1e6);
                    good = true;
                } else {
                    text = added + "NOT removed within " + r.waited().toMillis() + " ms: this session does not enforce, so traffic to "
                            + r.route().destination() + " would leave outside the tunnel." + (r.removedAgain() ? " The console removed the route again." : "");
                    good = false;
                }
            } catch (RoutingException e) {
                text = "Attack failed: " + (e.isPermissionDenied() ? NetworkPrivileges.NEEDED : e.getMessage());
                good = false;
            } catch (IllegalStateException e) {
                text = "Attack not possible: " + e.getMessage();
                good = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Status.CANCEL_STATUS;
            }
            String shown = text;
            boolean ok = good;
            ui(() -> {
                lastAttack = shown;
                attackLabel.setText(shown);
                attackLabel.setForeground(ok ? green : red);
                layout();
            });
            status(shown);
            return Status.OK_STATUS;
        }));
    }

    // ---- the lab ----

    /** Starts a lab for the chosen design (a job with progress and cancel). */
    public void startLab() {
        int index = designCombo.getSelectionIndex();
        if (index < 0 || running != null) {
            if (index < 0) {
                labStatus.setText(NO_DESIGNS);
            }
            return;
        }
        if (!NetworkPrivileges.canAdministerNetwork()) {
            labStatus.setText(NetworkPrivileges.NEEDED_LAB);
            layout();
            return;
        }
        Path design = designs.get(index);
        Path openvpn = openvpnPath();
        labStatus.setText("Starting a lab for " + label(design) + " ...");
        layout();
        runJob(Job.create("Starting a lab for " + label(design), monitor -> {
            monitor.beginTask("Starting a lab for " + label(design), IProgressMonitor.UNKNOWN);
            EndpointDesign d;
            try {
                d = DesignFile.read(design);
            } catch (IOException e) {
                ui(() -> labStatus.setText("Cannot read the design: " + e.getMessage()));
                return Status.OK_STATUS;
            }
            String id;
            EndpointLab lab;
            try {
                // namespaces are machine-wide: another process may take an id between the check and up(); try the next
                EndpointLab started = null;
                String tried = null;
                for (int attempt = 0; started == null; attempt++) {
                    tried = freeLabId(tried);
                    try {
                        started = EndpointLab.up(d, tried, LabPlan.defaultClients(d), openvpn, line -> {
                            monitor.subTask(line);
                            ui(() -> appendLog("lab: " + line));
                        });
                    } catch (IOException e) {
                        String m = e.getMessage() == null ? "" : e.getMessage();
                        boolean taken = m.startsWith("a lab with id") || (m.startsWith("network namespace") && m.contains("belongs to no lab"));
                        if (attempt >= 4 || !taken) {
                            throw e;
                        }
                    }
                }
                id = tried;
                lab = started;
            } catch (IOException | IllegalArgumentException e) {
                ui(() -> labStatus.setText("The lab did not start: " + e.getMessage()));
                return Status.OK_STATUS;
            } catch (RoutingException e) {
                ui(() -> labStatus.setText("The lab did not start: " + (e.isPermissionDenied() ? NetworkPrivileges.NEEDED_LAB : e.getMessage())));
                return Status.OK_STATUS;
            }
            if (monitor.isCanceled()) {
                List<String> problems = lab.down();
                ui(() -> labStatus.setText("Lab start cancelled; the lab was removed again" + (problems.isEmpty() ? "." : ": " + problems)));
                return Status.CANCEL_STATUS;
            }
            labs.put(id, lab);
            ensureShutdownHook();
            LabPlan plan = lab.plan();
            String text = "Lab " + id + " is up for " + d.name() + ": endpoint " + plan.publicAddress() + ":" + plan.port() + ", device namespace "
                    + plan.deviceNamespace() + ", " + (plan.splitTunnel() ? "split tunnel" : "full tunnel") + (plan.enforced() ? ", CRE enforced" : ", CRE off")
                    + ". Its users' profiles are in the profile list.";
            ui(() -> {
                labStatus.setText(text);
                wantedProfile = "lab " + id + ": " + plan.clients().keySet().iterator().next() + " (device " + plan.deviceNamespace() + ")";
                refreshProfilesKeepingWanted();
            });
            status(text);
            return Status.OK_STATUS;
        }));
    }

    private void refreshProfilesKeepingWanted() {
        String keep = wantedProfile;
        profileCombo.deselectAll();
        wantedProfile = keep;
        refresh();
    }

    /** The first lab id uiN after {@code after} that no lab of this CREW home and no namespace uses. */
    private static String freeLabId(String after) throws IOException {
        List<String> taken = EndpointLab.list().stream().map(EndpointLab.LabInfo::id).toList();
        int from = after == null ? 1 : Integer.parseInt(after.substring(2)) + 1;
        for (int n = from;; n++) {
            String id = "ui" + n;
            boolean used = taken.contains(id);
            for (String suffix : List.of("dev", "srv", "vpc")) {
                used |= Files.exists(Path.of("/var/run/netns/crew-" + id + "-" + suffix));
            }
            if (!used) {
                return id;
            }
        }
    }

    /**
     * Stops the lab of the chosen profile (or this console's only lab): disconnects a session in it first. A lab of
     * another process is asked to stop (its owner removes it).
     */
    public void stopLab() {
        String id = selectedProfile().filter(ProfileEntry::lab).map(ProfileEntry::labId).orElse(labs.size() == 1 ? labs.keySet().iterator().next() : null);
        if (id == null || running != null) {
            if (id == null) {
                labStatus.setText(labs.isEmpty() ? "No lab is up. Choose a design and press Start lab (Alt+L)." : "Choose a profile of the lab to stop.");
                layout();
            }
            return;
        }
        labStatus.setText("Stopping lab " + id + " ...");
        runJob(Job.create("Stopping lab " + id, monitor -> {
            ConsoleSession s = current;
            if (s != null && id.equals(s.entry().labId()) && !s.status().state().isFinal()) {
                s.disconnect();
                ui(() -> showStatus(s.status()));
            }
            EndpointLab lab = labs.remove(id);
            List<String> problems;
            try {
                problems = lab != null ? lab.down() : EndpointLab.downById(id, line -> ui(() -> appendLog("lab: " + line)));
            } catch (IOException e) {
                problems = List.of(e.getMessage());
            }
            List<String> p = problems;
            ui(() -> {
                labStatus.setText(p.isEmpty() ? "Lab " + id + " stopped: its namespaces, server and files are removed." : "Lab " + id
                        + " stopped with problems: " + p);
                refresh();
            });
            return Status.OK_STATUS;
        }));
    }

    // ---- sessions of other processes ----

    private void pollSessions() {
        sessionsPoll = Job.create("Reading tunnel sessions", monitor -> {
            List<SessionRecord> list;
            try {
                long self = ProcessHandle.current().pid();
                list = SessionRecord.list().stream().filter(r -> r.ownerPid() != self).toList();
            } catch (IOException e) {
                list = List.of();
            }
            List<SessionRecord> found = list;
            ui(() -> {
                others = found;
                refreshSessions();
            });
            if (!disposed) {
                sessionsPoll.schedule(3000);
            }
            return Status.OK_STATUS;
        });
        sessionsPoll.setSystem(true);
        sessionsPoll.schedule();
    }

    private void refreshSessions() {
        List<RowTable.Row> rows = new ArrayList<>();
        ConsoleSession s = current;
        if (s != null) {
            TunnelStatus st = s.status();
            rows.add(new RowTable.Row(List.of(s.entry().sessionId(), "this workbench", String.valueOf(ProcessHandle.current().pid()),
                    s.entry().file().toString(), s.entry().namespace() == null ? "" : s.entry().namespace(), st.state().name(),
                    st.enforced() ? "yes" : "no", st.configuration().map(c -> c.device()).orElse(""), String.valueOf(st.protectedRoutes().size()),
                    time(st.since())), null, st.detail(), s));
        }
        for (SessionRecord r : others) {
            rows.add(new RowTable.Row(List.of(r.sessionId(), r.ownerAlive() ? "another crew process" : "gone (stale record)", String.valueOf(r.ownerPid()),
                    r.profile(), r.namespace(), r.state(), r.enforced() ? "yes" : "no", r.device(), String.valueOf(r.protectedRoutes().size()),
                    r.since()), r.ownerAlive() ? null : new RGB(235, 235, 235), String.join("\n", r.protectedRoutes()), r));
        }
        List<List<String>> before = sessionsTable.rows().stream().map(RowTable.Row::cells).toList();
        if (before.equals(rows.stream().map(RowTable.Row::cells).toList())) {
            return; // the poll found nothing new: keep the selection
        }
        String selected = sessionsTable.selectedRow().map(r -> r.cells().get(0) + "/" + r.cells().get(2)).orElse(null);
        sessionsTable.setRows(rows);
        List<RowTable.Row> visible = sessionsTable.visibleRows();
        for (int i = 0; i < visible.size(); i++) {
            if ((visible.get(i).cells().get(0) + "/" + visible.get(i).cells().get(2)).equals(selected)) {
                sessionsTable.table().setSelection(i);
            }
        }
        updateButtons();
    }

    private void disconnectSelectedOther() {
        java.util.Optional<RowTable.Row> row = sessionsTable.selectedRow();
        if (row.isEmpty()) {
            return;
        }
        if (row.get().data() instanceof ConsoleSession) {
            disconnect();
            return;
        }
        if (!(row.get().data() instanceof SessionRecord r) || !r.ownerAlive()) {
            return;
        }
        Job.create("Disconnecting session " + r.sessionId() + " of process " + r.ownerPid(), monitor -> {
            String text;
            try {
                // through its control socket: another workbench or crew process keeps running
                List<String> problems = r.disconnect(java.time.Duration.ofSeconds(40));
                text = problems.isEmpty() ? r.sessionId() + " disconnected; its process restored the routing table"
                        : r.sessionId() + " ended, but its routing table was not fully restored: " + String.join("; ", problems);
            } catch (java.io.IOException e) {
                text = "Session " + r.sessionId() + " (process " + r.ownerPid() + "): " + e.getMessage();
            }
            status(text);
            String shown = text;
            ui(() -> detailLabel.setText(shown));
            return Status.OK_STATUS;
        }).schedule();
    }

    // ---- showing ----

    private void showStatus(TunnelStatus status) {
        if (stateLabel.isDisposed()) {
            return;
        }
        ConsoleSession s = current;
        if (status == null) {
            stateLabel.setText("Not connected");
            stateLabel.setForeground(null);
            routesTable.setRows(List.of());
        } else {
            String time = status.state() == TunnelState.CONNECTED && s != null
                    ? s.session().connectTime().map(d -> ", connected in " + d.toMillis() + " ms").orElse("") : "";
            stateLabel.setText(status.state().name() + (status.state() == TunnelState.CONNECTED ? (status.enforced() ? ", enforced" : ", NOT enforced")
                    : "") + time);
            stateLabel.setForeground(status.state() == TunnelState.CONNECTED ? green : status.state() == TunnelState.FAILED ? red : null);
            detailLabel.setText((s == null ? "" : s.entry().label() + ": ") + (status.openvpnState().isEmpty() ? "" : "openvpn " + status.openvpnState()
                    + ", ") + status.detail() + " (since " + time(status.since()) + ")"
                    + status.error().map(e -> "\nError: " + message(e)).orElse(""));
            detailLabel.setForeground(status.error().isPresent() ? red : null);
            List<RowTable.Row> rows = new ArrayList<>();
            for (DeviceRoute r : status.protectedRoutes()) {
                rows.add(new RowTable.Row(List.of(r.destination().toString(), r.gateway() == null ? "" : r.gateway().toString(),
                        r.interfaceName() == null ? "" : r.interfaceName(), String.valueOf(r.metric()), r.table() == DeviceRoute.MAIN_TABLE ? "main"
                                : String.valueOf(r.table())), new RGB(204, 238, 204), r + "\nprotected by the session's enforcement engine", r));
            }
            routesTable.setEmptyMessage(status.state().isFinal() ? "The session ended (" + status.state() + "); the device's table is restored. "
                    + NO_ROUTES : status.state() == TunnelState.CONNECTED ? "Connected, but the session protects no route." : "Connecting ...");
            routesTable.setRows(rows);
        }
        refreshSessions();
        layout();
    }

    private void showError(String text) {
        detailLabel.setText(text);
        detailLabel.setForeground(text.isEmpty() ? null : red);
        layout();
    }

    void addEvent(EnforcementEvent e) {
        events.add(0, e);
        refreshAudit();
        if (e.kind() == EnforcementEvent.Kind.CONFLICT_DETECTED || e.kind() == EnforcementEvent.Kind.ROUTE_REMOVED) {
            status("Enforcement: " + kind(e) + " " + (e.route() == null ? "" : e.route()));
        }
    }

    private void refreshAudit() {
        String tag = tagCombo.getSelectionIndex() <= 0 ? null : tagCombo.getText();
        List<RowTable.Row> rows = new ArrayList<>();
        for (EnforcementEvent e : events) {
            if (tag != null && !e.tags().contains(tag)) {
                continue;
            }
            RGB color = switch (e.kind()) {
                case CONFLICT_DETECTED, FIGHT, ERROR -> new RGB(255, 204, 204);
                case ROUTE_REMOVED, PROTECTED_ROUTE_RESTORED, RULE_REMOVED -> new RGB(255, 236, 179);
                default -> null;
            };
            String route = e.route() == null ? "" : e.route();
            String detail = e.detail() == null ? "" : e.detail();
            rows.add(new RowTable.Row(List.of(time(e.time()), e.sessionId(), kind(e), route, detail, String.join(", ", e.tags())), color,
                    e.time() + " " + kind(e) + " " + route + (detail.isEmpty() ? "" : "\n" + detail), e));
        }
        auditTable.setEmptyMessage(events.isEmpty() ? NO_EVENTS : "No event has the tag \"" + tag + "\".");
        auditTable.setRows(rows);
    }

    private static String kind(EnforcementEvent e) {
        return e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String time(Instant t) {
        return LocalTime.ofInstant(t, ZoneId.systemDefault()).format(TIME);
    }

    private void appendLog(String line) {
        if (logText.isDisposed()) {
            return;
        }
        if (logText.getLineCount() > 2000) {
            String text = logText.getText();
            logText.setText(text.substring(text.indexOf('\n', text.length() / 2) + 1));
        }
        logText.append(line + "\n");
    }

    private void updateButtons() {
        if (connectButton == null || connectButton.isDisposed()) {
            return;
        }
        boolean busy = running != null;
        ConsoleSession s = current;
        boolean live = s != null && !s.status().state().isFinal();
        connectButton.setEnabled(!busy && !live && selectedProfile().isPresent());
        disconnectButton.setEnabled(live);
        attackButton.setEnabled(!busy && s != null && s.canAttack());
        startLabButton.setEnabled(!busy && designCombo.getSelectionIndex() >= 0);
        stopLabButton.setEnabled(!busy && (!labs.isEmpty() || selectedProfile().map(ProfileEntry::lab).orElse(false)));
        importButton.setEnabled(true);
        refreshButton.setEnabled(true);
        java.util.Optional<RowTable.Row> row = sessionsTable.selectedRow();
        disconnectOther.setEnabled(row.isPresent() && (row.get().data() instanceof SessionRecord r ? r.ownerAlive() : live));
    }

    private void layout() {
        if (!stateLabel.isDisposed()) {
            stateLabel.getParent().getParent().layout(true, true);
        }
    }

    private void runJob(Job job) {
        running = job;
        updateButtons();
        job.addJobChangeListener(new org.eclipse.core.runtime.jobs.JobChangeAdapter() {
            @Override
            public void done(org.eclipse.core.runtime.jobs.IJobChangeEvent event) {
                running = null;
                ui(() -> updateButtons());
            }
        });
        job.setUser(true);
        job.schedule();
    }

    private void ui(Runnable r) {
        if (display.isDisposed()) {
            return;
        }
        display.asyncExec(() -> {
            if (!stateLabel.isDisposed()) {
                r.run();
                updateButtons();
            }
        });
    }

    private void status(String message) {
        if (broker != null) {
            broker.post(CrewUi.TOPIC_STATUS, message);
        }
    }

    private static Path openvpnPath() {
        String p = CrewPreferences.get(CrewPreferences.OPENVPN_PATH, "").trim();
        return p.isEmpty() ? TunnelOptions.findOpenvpn() : Path.of(p);
    }

    private static EnforcementMode enforcementMode() {
        try {
            return EnforcementMode.parse(CrewPreferences.get(CrewPreferences.ENFORCEMENT_MODE, CrewPreferences.DEFAULT_ENFORCEMENT_MODE));
        } catch (IllegalArgumentException e) {
            return EnforcementMode.AWS;
        }
    }

    private static <T> T service(Class<T> type) {
        Bundle bundle = FrameworkUtil.getBundle(TunnelPart.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            return null;
        }
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
    }

    // ---- the end: nothing the console started outlives the workbench ----

    private synchronized void ensureShutdownHook() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::closeAll, "crew-ui-tunnel-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Disconnects the session and stops the labs this console started. */
    public synchronized void closeAll() {
        ConsoleSession s = current;
        if (s != null && !s.status().state().isFinal()) {
            s.disconnect();
        }
        for (String id : new ArrayList<>(labs.keySet())) {
            EndpointLab lab = labs.remove(id);
            if (lab != null) {
                lab.down();
            }
        }
    }

    @PreDestroy
    public void dispose() {
        disposed = true;
        if (sessionsPoll != null) {
            sessionsPoll.cancel();
        }
        closeAll();
        synchronized (this) {
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // shutting down already
                }
                shutdownHook = null;
            }
        }
    }

    // ---- for tests ----

    Text usernameField() {
        return username;
    }

    Text passwordField() {
        return password;
    }

    Text keyPassphraseField() {
        return keyPassphrase;
    }

    boolean credentialsShown() {
        return credentialsRow.isVisible();
    }

    Combo profileCombo() {
        return profileCombo;
    }

    List<ProfileEntry> profiles() {
        return List.copyOf(profiles);
    }

    String profileNotes() {
        return profileNotes.getText();
    }

    String labStatus() {
        return labStatus.getText();
    }

    String state() {
        return stateLabel.getText();
    }

    String detail() {
        return detailLabel.getText();
    }

    String attackResult() {
        return lastAttack;
    }

    Button connectButton() {
        return connectButton;
    }

    Button disconnectButton() {
        return disconnectButton;
    }

    Button attackButton() {
        return attackButton;
    }

    Button startLabButton() {
        return startLabButton;
    }

    Button stopLabButton() {
        return stopLabButton;
    }

    RowTable routesTable() {
        return routesTable;
    }

    RowTable auditTable() {
        return auditTable;
    }

    RowTable sessionsTable() {
        return sessionsTable;
    }

    Button disconnectOtherButton() {
        return disconnectOther;
    }

    Combo tagCombo() {
        return tagCombo;
    }

    Combo designCombo() {
        return designCombo;
    }

    TabFolder tabs() {
        return tabs;
    }

    boolean busy() {
        return running != null;
    }

    Map<String, EndpointLab> labs() {
        return new LinkedHashMap<>(labs);
    }

    ConsoleSession session() {
        return current;
    }
}
