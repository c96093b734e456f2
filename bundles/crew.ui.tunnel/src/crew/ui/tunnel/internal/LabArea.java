package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentProtocol;
import crew.model.endpoint.EndpointDesign;
import crew.routing.api.RoutingException;
import crew.tunnel.lab.EndpointLab;
import crew.tunnel.lab.LabPlan;
import crew.ui.workspace.DesignFile;

/**
 * The console's lab controls: the design to start a lab for, Start lab and Stop lab, and what the lab is doing. A
 * lab runs in the privileged agent when one runs (its users' profiles come back as this user's copies), in this
 * process only as root.
 */
final class LabArea {
    /** Lab ids the console picks: PREFIX + N ({@code crew.ui.labPrefix}, default "ui"); its namespaces are crew-ID-dev... */
    static final String LAB_PREFIX_PROPERTY = "crew.ui.labPrefix";

    private final TunnelPart console;
    private final Combo designCombo;
    private final Label status;
    private final Button startButton;
    private final Button stopButton;
    private final List<Path> designs = new ArrayList<>();
    private final Map<String, EndpointLab> labs = new ConcurrentHashMap<>();
    private final AgentLabs agentLabs = new AgentLabs();
    private Path wantedDesign;

    LabArea(Composite parent, TunnelPart console) {
        this.console = console;
        Composite labRow = TunnelPart.row(parent, 4);
        new Label(labRow, SWT.NONE).setText("Lab d&esign:"); // Alt+E: Alt+D is Disconnect's
        designCombo = new Combo(labRow, SWT.READ_ONLY);
        GridData designData = new GridData(SWT.FILL, SWT.CENTER, true, false);
        designData.widthHint = 260;
        designCombo.setLayoutData(designData);
        designCombo.addListener(SWT.Selection, e -> console.updateButtons());
        startButton = TunnelPart.button(labRow, "Start &lab", this::start);
        startButton.setToolTipText("Start the local endpoint lab for this design (through the CREW agent, or as root): an openvpn server in network"
                + " namespaces, with a client profile per user");
        stopButton = TunnelPart.button(labRow, "St&op lab", this::stop);
        status = new Label(parent, SWT.WRAP);
        status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    }

    /** The design the navigator selected (it may not be listed yet). */
    void want(Path design) {
        wantedDesign = design;
        if (!designCombo.isDisposed()) {
            select(design);
        }
    }

    /** Chooses {@code design} for "Start lab" (adds it to the list when it is not in the workspace). */
    void select(Path design) {
        Path p = design.toAbsolutePath().normalize();
        int index = designs.indexOf(p);
        if (index < 0) {
            designs.add(p);
            designCombo.add(label(p));
            index = designs.size() - 1;
        }
        designCombo.select(index);
        wantedDesign = p;
        console.updateButtons();
    }

    static String label(Path design) {
        String name = design.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** Shows the workspace's designs, keeping the chosen or wanted one. */
    void fillDesigns(List<Path> found) {
        Path design = designCombo.getSelectionIndex() >= 0 ? designs.get(designCombo.getSelectionIndex()) : wantedDesign;
        designs.clear();
        designs.addAll(found);
        designCombo.removeAll();
        designs.forEach(d -> designCombo.add(label(d)));
        if (design != null) {
            select(design);
        } else if (!designs.isEmpty()) {
            designCombo.select(0);
        }
        if (designs.isEmpty() && labs.isEmpty()) {
            status.setText(TunnelPart.NO_DESIGNS);
        }
    }

    /** The profiles of the labs this console started in the agent. */
    List<ProfileEntry> agentProfiles() {
        return agentLabs.entries();
    }

    /** Starts a lab for the chosen design (a job with progress and cancel). */
    void start() {
        int index = designCombo.getSelectionIndex();
        if (index < 0 || console.busy()) {
            if (index < 0) {
                status.setText(TunnelPart.NO_DESIGNS);
            }
            return;
        }
        Path design = designs.get(index);
        Path openvpn = TunnelPart.openvpnPath();
        status.setText("Starting a lab for " + label(design) + " ...");
        console.layout();
        console.runJob(Job.create("Starting a lab for " + label(design), monitor -> {
            monitor.beginTask("Starting a lab for " + label(design), IProgressMonitor.UNKNOWN);
            Optional<AgentClient> agent;
            try {
                agent = ConsoleAgent.find();
            } catch (ConsoleAgent.Unavailable e) {
                console.ui(() -> say(e.getMessage()));
                return Status.OK_STATUS;
            }
            if (agent.isPresent()) {
                return startInAgent(agent.get(), design);
            }
            if (!NetworkPrivileges.canAdministerNetwork()) {
                console.ui(() -> {
                    status.setText(NetworkPrivileges.neededForLab());
                    console.layout();
                });
                return Status.OK_STATUS;
            }
            return startHere(design, openvpn, monitor);
        }));
    }

    /** The lab in this process (root, no agent). */
    private IStatus startHere(Path design, Path openvpn, IProgressMonitor monitor) {
        EndpointDesign d;
        try {
            d = DesignFile.read(design);
        } catch (IOException e) {
            console.ui(() -> say("Cannot read the design: " + e.getMessage()));
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
                        console.ui(() -> console.appendLog("lab: " + line));
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
            console.ui(() -> say("The lab did not start: " + e.getMessage()));
            return Status.OK_STATUS;
        } catch (RoutingException e) {
            console.ui(() -> say("The lab did not start: " + (e.isPermissionDenied() ? NetworkPrivileges.neededForLab() : e.getMessage())));
            return Status.OK_STATUS;
        }
        if (monitor.isCanceled()) {
            List<String> problems = lab.down();
            console.ui(() -> say("Lab start cancelled; the lab was removed again" + (problems.isEmpty() ? "." : ": " + problems)));
            return Status.CANCEL_STATUS;
        }
        labs.put(id, lab);
        console.ensureShutdownHook();
        LabPlan plan = lab.plan();
        String text = "Lab " + id + " is up for " + d.name() + ": endpoint " + plan.publicAddress() + ":" + plan.port() + ", device namespace "
                + plan.deviceNamespace() + ", " + (plan.splitTunnel() ? "split tunnel" : "full tunnel") + (plan.enforced() ? ", CRE enforced" : ", CRE off")
                + ". Its users' profiles are in the profile list.";
        String wanted = "lab " + id + ": " + plan.clients().keySet().iterator().next() + " (device " + plan.deviceNamespace() + ")";
        console.ui(() -> started(text, wanted));
        console.status(text);
        return Status.OK_STATUS;
    }

    /** The lab in the agent (the workbench is an ordinary user): its users' profiles come back as this user's copies. */
    private IStatus startInAgent(AgentClient agent, Path design) {
        try (AgentClient c = agent) {
            AgentLabs.Lab lab = agentLabs.start(c, design, freeLabId(null));
            String text = "Lab " + lab.id() + " is up in the CREW agent for " + label(design) + ": endpoint " + lab.endpoint() + ", device namespace "
                    + lab.deviceNamespace() + ". Its users' profiles are in the profile list.";
            String wanted = "lab " + lab.id() + ": " + lab.clients().get(0) + " (device " + lab.deviceNamespace() + ", agent)";
            console.ui(() -> started(text, wanted));
            console.status(text);
        } catch (AgentException e) {
            String text = e.code() == AgentProtocol.REFUSED ? ConsoleAgent.refused(e) : "The agent did not start the lab: " + e.getMessage();
            console.ui(() -> say(text));
        } catch (IOException e) {
            console.ui(() -> say("The agent did not start the lab: " + e.getMessage()));
        }
        return Status.OK_STATUS;
    }

    /** Shows {@code text} as the lab's status (a longer text wraps: the console lays out again). */
    private void say(String text) {
        status.setText(text);
        console.layout();
    }

    private void started(String text, String wantedProfile) {
        status.setText(text);
        console.profileArea().want(wantedProfile);
        console.refresh();
    }

    /** The first lab id PREFIX+N after {@code after} that no lab of this CREW home and no namespace uses. */
    private static String freeLabId(String after) throws IOException {
        String prefix = System.getProperty(LAB_PREFIX_PROPERTY, "ui");
        List<String> taken = EndpointLab.list().stream().map(EndpointLab.LabInfo::id).toList();
        int from = after == null ? 1 : Integer.parseInt(after.substring(prefix.length())) + 1;
        for (int n = from;; n++) {
            String id = prefix + n;
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
    void stop() {
        List<String> all = new ArrayList<>(labs.keySet());
        all.addAll(agentLabs.ids());
        Optional<ProfileEntry> chosen = console.profileArea().selected();
        String id = chosen.filter(ProfileEntry::lab).map(ProfileEntry::labId).orElse(all.size() == 1 ? all.get(0) : null);
        if (id == null || console.busy()) {
            if (id == null) {
                status.setText(all.isEmpty() ? "No lab is up. Choose a design and press Start lab (Alt+L)." : "Choose a profile of the lab to stop.");
                console.layout();
            }
            return;
        }
        status.setText("Stopping lab " + id + " ...");
        console.runJob(Job.create("Stopping lab " + id, monitor -> {
            ConsoleTunnel s = console.session();
            if (s != null && id.equals(s.entry().labId()) && !s.status().state().isFinal()) {
                s.disconnect();
                console.ui(() -> console.showStatus(s.status()));
            }
            EndpointLab lab = labs.remove(id);
            List<String> problems;
            try {
                problems = agentLabs.has(id) ? agentLabs.stop(id)
                        : lab != null ? lab.down() : EndpointLab.downById(id, line -> console.ui(() -> console.appendLog("lab: " + line)));
            } catch (IOException | AgentException e) {
                problems = List.of(e.getMessage());
            }
            List<String> p = problems;
            console.ui(() -> {
                status.setText(p.isEmpty() ? "Lab " + id + " stopped: its namespaces, server and files are removed." : "Lab " + id
                        + " stopped with problems: " + p);
                console.refresh();
            });
            return Status.OK_STATUS;
        }));
    }

    void updateButtons(boolean busy, boolean labProfileChosen) {
        startButton.setEnabled(!busy && designCombo.getSelectionIndex() >= 0);
        stopButton.setEnabled(!busy && (!labs.isEmpty() || !agentLabs.ids().isEmpty() || labProfileChosen));
    }

    /** Stops the labs this process runs (the agent's outlive the window: crew lab down ends them). */
    void closeAll() {
        for (String id : new ArrayList<>(labs.keySet())) {
            EndpointLab lab = labs.remove(id);
            if (lab != null) {
                lab.down();
            }
        }
    }

    // ---- for tests ----

    String status() {
        return status.getText();
    }

    Combo designCombo() {
        return designCombo;
    }

    Button startButton() {
        return startButton;
    }

    Button stopButton() {
        return stopButton;
    }

    Map<String, EndpointLab> labs() {
        return new LinkedHashMap<>(labs);
    }
}
