package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEventSink;
import crew.enforce.EnforcementMode;
import crew.enforce.internal.StreamedEvents;
import crew.routing.api.RoutingBackends;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelState;
import crew.tunnel.TunnelStatus;
import crew.tunnel.lab.EndpointLab;
import crew.ui.app.CrewUi;
import crew.ui.workspace.CrewPreferences;
import crew.ui.workspace.CrewWorkspace;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkspaceItem;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The tunnel and enforcement console: client profiles ({@link ProfileArea}), the endpoint lab for the design
 * selected in the workspace ({@link LabArea}), Connect/Disconnect/Attack of the console's session and its state
 * ({@link SessionArea}), the privileged agent's state for this user ({@link #agentLine()}), and the tabs: protected
 * routes ({@link RoutesTab}), the enforcement events as an audit log ({@link AuditTab}), the sessions of other crew
 * processes ({@link SessionsTab}) and the openvpn log ({@link LogTab}). Sessions and labs run in the agent when one
 * runs, in this process only as root. This class lays the areas out and holds what they share: the session, the
 * busy job, the display. Everything that touches openvpn, the routing table, namespaces or files runs in jobs.
 */
public class TunnelPart {
    public static final String ID = "crew.ui.tunnel.part";
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
    private Color red;
    private Color green;
    private ProfileArea profiles;
    private LabArea lab;
    private SessionArea session;
    private Label agentLine;
    private TabFolder tabs;
    private RoutesTab routes;
    private AuditTab audit;
    private SessionsTab sessions;
    private LogTab log;

    private volatile ConsoleTunnel current;
    private volatile Job running;
    private TunnelState shownState;
    private Path wantedDesign;
    private Thread shutdownHook;
    /** The console's control that last had the keyboard focus (see {@link #regainFocus()}). */
    private Control lastFocus;
    private final Runnable regainLater = this::regainFocusNow;

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
        Listener focusIn = e -> {
            if (e.widget instanceof Control c && session != null && !session.isDisposed() && inConsole(c)) {
                lastFocus = c;
            }
        };
        display.addFilter(SWT.FocusIn, focusIn);
        parent.addListener(SWT.Dispose, e -> display.removeFilter(SWT.FocusIn, focusIn));
        profiles = new ProfileArea(parent, this);
        lab = new LabArea(parent, this);
        session = new SessionArea(parent, this);
        agentLine = new Label(parent, SWT.WRAP);
        agentLine.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));

        tabs = new TabFolder(parent, SWT.TOP);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        routes = new RoutesTab(tabs);
        tab("Protected routes", routes.control());
        audit = new AuditTab(tabs);
        tab("Audit log", audit.control());
        sessions = new SessionsTab(tabs, () -> current, session::disconnect, this::updateButtons, this::ui, text -> {
            status(text);
            session.report(text);
        });
        tab("Sessions", sessions.control());
        log = new LogTab(tabs);
        tab("openvpn log", log.control());

        showStatus(null);
        if (wantedDesign != null) {
            lab.want(wantedDesign);
        }
        refresh();
        sessions.startPolling();
    }

    private void tab(String title, Control control) {
        TabItem item = new TabItem(tabs, SWT.NONE);
        item.setText(title);
        item.setControl(control);
    }

    static Composite row(Composite parent, int columns) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(columns, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        c.setLayout(layout);
        c.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        return c;
    }

    static Button button(Composite parent, String text, Runnable action) {
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
        if (lab == null) { // injected before the controls exist
            wantedDesign = item.path();
            return;
        }
        lab.want(item.path());
    }

    /** Chooses {@code design} for "Start lab" (adds it to the list when it is not in the workspace). */
    public void selectDesign(Path design) {
        lab.select(design);
    }

    // ---- reading: profiles, designs, labs, the agent ----

    /** Rereads the workspace's profiles and designs, the labs that are up and the agent's state (in a job). */
    public void refresh() {
        Job.create("Reading profiles and labs", monitor -> {
            List<ProfileEntry> found = new ArrayList<>();
            List<Path> foundDesigns = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            java.util.Optional<Path> folder = CrewWorkspace.folder();
            if (folder.isPresent()) {
                found.addAll(ProfileArea.workspaceProfiles(folder.get(), problems));
                try {
                    CrewWorkspace.scan(folder.get()).stream().filter(i -> i.kind() == WorkspaceItem.Kind.ENDPOINT_DESIGN)
                            .forEach(i -> foundDesigns.add(i.path().toAbsolutePath().normalize()));
                } catch (IOException e) {
                    problems.add("designs: " + e.getMessage());
                }
            }
            try {
                for (EndpointLab.LabInfo info : EndpointLab.list()) {
                    if (!info.ownerAlive()) {
                        continue;
                    }
                    info.clientProfiles().forEach((client, profile) -> found.add(new ProfileEntry("lab " + info.id() + ": " + client + " (device "
                            + info.deviceNamespace() + ")", Path.of(profile), info.deviceNamespace(), info.id(), client)));
                }
            } catch (IOException e) {
                problems.add("labs: " + e.getMessage());
            }
            found.addAll(lab.agentProfiles());
            String agent = ConsoleAgent.describe();
            ui(() -> {
                profiles.fill(found, problems);
                lab.fillDesigns(foundDesigns);
                agentLine.setText(agent);
                layout();
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    /** Rereads what the agent says to this user (in a job). */
    private void refreshAgentLine() {
        Job.create("Reading the CREW agent's status", monitor -> {
            String agent = ConsoleAgent.describe();
            ui(() -> agentLine.setText(agent));
            return Status.OK_STATUS;
        }).schedule();
    }

    /** Selects the first profile that matches; false when none does. */
    public boolean selectProfile(Predicate<ProfileEntry> which) {
        return profiles.select(which);
    }

    /** Imports a profile (read and checked in a job; see {@link ProfileArea#importProfile(Path)}). */
    public void importProfile(Path file) {
        profiles.importProfile(file);
    }

    // ---- actions (buttons, and tests) ----

    public void connect() {
        session.connect();
    }

    public void disconnect() {
        session.disconnect();
    }

    public void attack() {
        session.attack();
    }

    public void startLab() {
        lab.start();
    }

    public void stopLab() {
        lab.stop();
    }

    // ---- what the areas share ----

    ProfileArea profileArea() {
        return profiles;
    }

    RoutingBackends backends() {
        return backends;
    }

    ConsoleTunnel session() {
        return current;
    }

    void setSession(ConsoleTunnel s) {
        current = s;
    }

    /** A new connect starts: the last session's events and log are cleared. */
    void clearSession() {
        audit.clear();
        log.clear();
    }

    Color red() {
        return red;
    }

    Color green() {
        return green;
    }

    void showStatus(TunnelStatus status) {
        if (session.isDisposed()) {
            return;
        }
        TunnelState state = status == null ? null : status.state();
        if (state != shownState && (state == TunnelState.CONNECTED || state != null && state.isFinal()) && current instanceof AgentConsoleSession) {
            refreshAgentLine(); // what the agent runs changed
        }
        shownState = state;
        session.show(status, current);
        routes.show(status);
        sessions.refresh();
        layout();
    }

    void showError(String text) {
        session.showError(text);
    }

    void addEvent(EnforcementEvent e) {
        audit.add(e);
        if (e.kind() == EnforcementEvent.Kind.CONFLICT_DETECTED || e.kind() == EnforcementEvent.Kind.ROUTE_REMOVED) {
            status("Enforcement: " + AuditTab.kind(e) + " " + (e.route() == null ? "" : e.route()));
        }
    }

    void appendLog(String line) {
        log.append(line);
    }

    void updateButtons() {
        if (session == null || session.isDisposed() || lab == null) {
            return;
        }
        boolean busy = running != null;
        ConsoleTunnel s = current;
        java.util.Optional<ProfileEntry> chosen = profiles.selected();
        Control focused = display.getFocusControl();
        session.updateButtons(busy, s, chosen.isPresent());
        lab.updateButtons(busy, chosen.map(ProfileEntry::lab).orElse(false));
        profiles.updateButtons();
        sessions.updateButton(s != null && !s.status().state().isFinal());
        keepFocus(focused);
    }

    /**
     * Keeps the keyboard focus in the console when the control that had it was just disabled (Start lab or Connect
     * while its job runs, Connect once connected). GTK drops the focus of a control it makes insensitive, and a window
     * with no focus control takes no keys at all: no mnemonic (Alt+C did not press Connect after Alt+L had started a
     * lab), no key binding, no Tab, until a click. The profile list is always enabled: the focus goes there.
     */
    private void keepFocus(Control focused) {
        if (focused == null || focused.isDisposed() || focused.isEnabled() || !inConsole(focused)) {
            return;
        }
        // after SWT's own fix-up of the focus (to the parent row, when GTK lets it) has run its course
        display.asyncExec(() -> {
            Combo fallback = profiles.combo();
            if (!fallback.isDisposed() && fallback.isVisible() && !fallback.isFocusControl()) {
                fallback.setFocus();
            }
        });
    }

    private boolean inConsole(Control c) {
        Composite console = session.row().getParent();
        for (Control p = c; p != null; p = p.getParent()) {
            if (p == console) {
                return true;
            }
        }
        return false;
    }

    void layout() {
        if (!session.isDisposed()) {
            session.row().getParent().layout(true, true);
        }
    }

    boolean busy() {
        return running != null;
    }

    /** Runs the console's one busy job (Connect, Attack, Start lab, Stop lab): the buttons follow. */
    void runJob(Job job) {
        running = job;
        updateButtons();
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                running = null;
                ui(() -> updateButtons());
            }
        });
        job.setUser(true);
        job.schedule();
    }

    /** Runs {@code r} on the display thread while the console is open, then updates the buttons. */
    void ui(Runnable r) {
        if (display.isDisposed()) {
            return;
        }
        display.asyncExec(() -> {
            if (!session.isDisposed()) {
                r.run();
                updateButtons();
                regainFocus();
            }
        });
    }

    /**
     * Gives the keyboard focus back to the console when an update left the window with none while the console had
     * it: refilling a combo box that has the focus (the profile list after a lab came up) makes GTK rebuild the
     * box's inner button, and the focus goes with it. A window without a focus control takes no keys at all.
     */
    private void regainFocus() {
        regainFocusNow();
        display.timerExec(150, regainLater); // GTK may finish rebuilding the box after this update
    }

    private void regainFocusNow() {
        Control last = lastFocus;
        if (last == null || session.isDisposed() || display.getFocusControl() != null || display.getActiveShell() != session.row().getShell()) {
            return;
        }
        List<Control> candidates = new ArrayList<>();
        if (!last.isDisposed() && last.isEnabled() && last.isVisible()) {
            candidates.add(last);
        }
        candidates.add(profiles.combo());
        candidates.add(profiles.refreshButton()); // a button takes the focus where a box just rebuilt may not
        for (Control c : candidates) {
            if (!c.isDisposed() && c.setFocus() && display.getFocusControl() != null) {
                return;
            }
        }
    }

    void status(String message) {
        if (broker != null) {
            broker.post(CrewUi.TOPIC_STATUS, message);
        }
    }

    static Path openvpnPath() {
        String p = CrewPreferences.get(CrewPreferences.OPENVPN_PATH, "").trim();
        return p.isEmpty() ? TunnelOptions.findOpenvpn() : Path.of(p);
    }

    static EnforcementMode enforcementMode() {
        try {
            return EnforcementMode.parse(CrewPreferences.get(CrewPreferences.ENFORCEMENT_MODE, CrewPreferences.DEFAULT_ENFORCEMENT_MODE));
        } catch (IllegalArgumentException e) {
            return EnforcementMode.AWS;
        }
    }

    static <T> T service(Class<T> type) {
        Bundle bundle = FrameworkUtil.getBundle(TunnelPart.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            return null;
        }
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
    }

    /**
     * {@code own} followed by every {@link EnforcementEventSink} registered as a service when the session starts (a
     * plugin's, the CloudWatch Logs shipper), as {@code crew tunnel connect} hands its events to them, in this process
     * and through the agent alike. A registered sink that throws is skipped for that event (logged once), the others
     * still get it.
     */
    static EnforcementEventSink withRegisteredSinks(EnforcementEventSink own) {
        Bundle bundle = FrameworkUtil.getBundle(TunnelPart.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        List<EnforcementEventSink> registered = new ArrayList<>();
        if (context != null) {
            try {
                for (ServiceReference<EnforcementEventSink> ref : context.getServiceReferences(EnforcementEventSink.class, null)) {
                    EnforcementEventSink sink = context.getService(ref);
                    if (sink != null) {
                        registered.add(sink);
                    }
                }
            } catch (org.osgi.framework.InvalidSyntaxException cannot) {
                throw new IllegalStateException(cannot); // no filter given
            }
        }
        if (registered.isEmpty()) {
            return own;
        }
        EnforcementEventSink toRegistered = StreamedEvents.toEach(registered, "crew tunnel console", System.err::println);
        return e -> {
            own.accept(e);
            toRegistered.accept(e);
        };
    }

    // ---- the end: nothing the console started in this process outlives the workbench ----

    synchronized void ensureShutdownHook() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::closeAll, "crew-ui-tunnel-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Disconnects the session and stops the labs this console started in this process. */
    public synchronized void closeAll() {
        ConsoleTunnel s = current;
        // a session and labs the agent runs outlive the window (crew tunnel disconnect, crew lab down end them)
        if (s != null && !(s instanceof AgentConsoleSession) && !s.status().state().isFinal()) {
            s.disconnect();
        }
        lab.closeAll();
    }

    @PreDestroy
    public void dispose() {
        sessions.dispose();
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
        return profiles.usernameField();
    }

    Text passwordField() {
        return profiles.passwordField();
    }

    Text keyPassphraseField() {
        return profiles.keyPassphraseField();
    }

    boolean credentialsShown() {
        return profiles.credentialsShown();
    }

    Combo profileCombo() {
        return profiles.combo();
    }

    List<ProfileEntry> profiles() {
        return profiles.profiles();
    }

    String profileNotes() {
        return profiles.notes();
    }

    String labStatus() {
        return lab.status();
    }

    String agentLine() {
        return agentLine.getText();
    }

    String state() {
        return session.state();
    }

    String detail() {
        return session.detail();
    }

    String attackResult() {
        return session.attackResult();
    }

    Button connectButton() {
        return session.connectButton();
    }

    Button disconnectButton() {
        return session.disconnectButton();
    }

    Button attackButton() {
        return session.attackButton();
    }

    Button startLabButton() {
        return lab.startButton();
    }

    Button stopLabButton() {
        return lab.stopButton();
    }

    RowTable routesTable() {
        return routes.table();
    }

    RowTable auditTable() {
        return audit.table();
    }

    RowTable sessionsTable() {
        return sessions.table();
    }

    Button disconnectOtherButton() {
        return sessions.disconnectButton();
    }

    Combo tagCombo() {
        return audit.tagCombo();
    }

    Combo designCombo() {
        return lab.designCombo();
    }

    TabFolder tabs() {
        return tabs;
    }

    Map<String, EndpointLab> labs() {
        return lab.labs();
    }
}
