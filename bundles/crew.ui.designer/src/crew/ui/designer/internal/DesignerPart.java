package crew.ui.designer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;

import crew.model.device.DeviceRoute;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.net.Cidr;
import crew.ui.workspace.DesignFile;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkbenchEditors;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The route/authorization designer of one design file. Tabs: the routes as a destination x subnet grid (a
 * destination that an associated subnet does not carry is highlighted, a route through a subnet that is not
 * associated too), the authorization rules, the access matrix (groups x rule ranges, the reason per cell), the device
 * prediction for split and full tunnel beside the device table, the address-space map, a trace of one destination,
 * and the target networks. The analyses are crew.design's (what {@code crew access}, {@code crew predict} and
 * {@code crew trace} compute), run in jobs; the part follows changes of the design file.
 */
public class DesignerPart {
    static final RGB MISSING = new RGB(255, 236, 179);
    static final RGB NOT_ASSOCIATED = new RGB(255, 204, 204);

    static final String TAB_ROUTES = "Routes";
    static final String TAB_RULES = "Authorization rules";
    static final String TAB_ACCESS = "Access matrix";
    static final String TAB_PREDICTION = "Device prediction";
    static final String TAB_MAP = "Address map";
    static final String TAB_TRACE = "Trace";
    static final String TAB_SUBNETS = "Target networks";

    @Inject @Optional MPart part;

    private Composite root;
    private Label heading;
    private TabFolder tabs;
    private Composite gridBox;
    private RowTable grid;
    private RowTable rules;
    private RowTable subnets;
    private AccessMatrixView matrix;
    private PredictionView prediction;
    private AddressMapView map;
    private TraceView trace;
    private EndpointDesign design;
    private Path file;
    private DeviceSources.Source source;
    /** The client's side of the prediction (the Prediction tab's fields), kept in the part's persisted state. */
    private DesignAnalysis.Settings settings = DesignAnalysis.Settings.DEFAULTS;
    private DesignAnalysis analysis;
    private DesignWatcher watcher;
    private int generation;
    private int reloads;

    @PostConstruct
    public void createControls(Composite parent) {
        root = parent;
        parent.setLayout(new GridLayout(1, false));
        heading = new Label(parent, SWT.WRAP);
        heading.setFont(JFaceResources.getBannerFont());
        heading.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        tabs = new TabFolder(parent, SWT.TOP);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        gridBox = new Composite(tabs, SWT.NONE);
        gridBox.setLayout(new FillLayout());
        tab(TAB_ROUTES, gridBox);
        Composite rulesBox = box();
        rules = new RowTable(rulesBox, "Destination", "Group", "Who", "Description", "Decides");
        rules.setEmptyMessage("No authorization rules: nobody can reach anything. Add one per destination and group.");
        tab(TAB_RULES, rulesBox);
        Composite matrixBox = box();
        matrix = new AccessMatrixView(matrixBox);
        tab(TAB_ACCESS, matrixBox);
        Composite predictionBox = box();
        prediction = new PredictionView(predictionBox);
        prediction.onSource(s -> {
            source = s;
            analyse();
        });
        settings = restoreSettings();
        prediction.setSettings(settings);
        prediction.onSettings(s -> {
            settings = s;
            saveSettings(s);
            analyse();
        });
        tab(TAB_PREDICTION, predictionBox);
        Composite mapBox = box();
        map = new AddressMapView(mapBox);
        tab(TAB_MAP, mapBox);
        Composite traceBox = box();
        trace = new TraceView(traceBox);
        tab(TAB_TRACE, traceBox);
        Composite subnetsBox = box();
        subnets = new RowTable(subnetsBox, "Subnet", "Availability zone", "Subnet CIDR", "VPC", "Association");
        subnets.setEmptyMessage("No associated subnets: clients cannot connect. Associate one subnet per availability zone.");
        tab(TAB_SUBNETS, subnetsBox);
        tabs.setSelection(0);
        parent.addListener(SWT.Dispose, e -> stopWatching());
        String path = part == null ? null : part.getPersistedState().get(WorkbenchEditors.FILE);
        if (path == null) {
            heading.setText("No design file. Select a design in the Workspace navigator and press Ctrl+Shift+D.");
            matrix.showMessage("Open a design (Workspace navigator, Ctrl+Shift+D) to see who may reach what.");
            prediction.showMessage("Open a design (Workspace navigator, Ctrl+Shift+D) to predict a device's routing table.");
        } else {
            load(Path.of(path));
        }
    }

    private Composite box() {
        Composite box = new Composite(tabs, SWT.NONE);
        box.setLayout(new FillLayout());
        return box;
    }

    private void tab(String title, Control control) {
        TabItem item = new TabItem(tabs, SWT.NONE);
        item.setText(title);
        item.setControl(control);
    }

    @PreDestroy
    public void dispose() {
        stopWatching();
    }

    private synchronized void stopWatching() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** Reads {@code designFile} in a job, shows it, and follows its changes from now on. */
    public void load(Path designFile) {
        file = designFile;
        heading.setText("Reading " + designFile + " ...");
        Display display = root.getDisplay();
        Job.create("Reading " + designFile.getFileName(), monitor -> {
            try {
                EndpointDesign read = DesignFile.read(designFile);
                display.asyncExec(() -> show(read));
                return Status.OK_STATUS;
            } catch (IOException | RuntimeException e) {
                display.asyncExec(() -> {
                    if (!heading.isDisposed()) {
                        heading.setText("Cannot open this design: " + e.getMessage()
                                + "\nFix the file; the designer reads it again when it is saved.");
                    }
                });
                return Status.warning("Cannot open " + designFile + ": " + e.getMessage());
            } finally {
                display.asyncExec(() -> watch(designFile));
            }
        }).schedule();
    }

    private synchronized void watch(Path designFile) {
        if (watcher != null || root.isDisposed()) {
            return;
        }
        try {
            Display display = root.getDisplay();
            watcher = new DesignWatcher(designFile, () -> display.asyncExec(() -> {
                if (!root.isDisposed()) {
                    reloads++;
                    load(designFile);
                }
            }));
        } catch (IOException e) {
            // not watchable (a folder without inotify): the Reload button still works
        }
    }

    public void show(EndpointDesign newDesign) {
        if (root.isDisposed()) {
            return;
        }
        design = newDesign;
        heading.setText("Design \"" + design.name() + "\": " + design.routes().size() + " routes, "
                + design.authorizationRules().size() + " authorization rules, " + design.targetNetworks().size()
                + " associated subnets" + (design.endpoint().splitTunnel() ? ", split tunnel" : ", full tunnel")
                + (design.endpoint().clientRouteEnforcement() ? ", CRE enforced" : ", CRE off"));
        if (grid != null) {
            grid.control().dispose();
        }
        grid = new RowTable(gridBox, routeHeaders().toArray(String[]::new));
        grid.setEmptyMessage("No routes. Associating a subnet creates its VPC route; add others with CreateClientVpnRoute.");
        grid.setRows(routeRows());
        gridBox.layout(true, true);
        List<RowTable.Row> ruleRows = new ArrayList<>();
        for (AuthorizationRule r : design.authorizationRules()) {
            ruleRows.add(RowTable.Row.of(r, r.targetNetworkCidr().toString(), r.accessGroupId() == null ? "" : r.accessGroupId(),
                    r.authorizeAllGroups() ? "all users" : "group " + r.accessGroupId(), r.description(), decides(r)));
        }
        rules.setRows(ruleRows);
        List<RowTable.Row> subnetRows = new ArrayList<>();
        for (TargetNetwork t : design.targetNetworks()) {
            subnetRows.add(RowTable.Row.of(t, t.subnetId(), t.availabilityZone(), t.subnetCidr() == null ? "" : t.subnetCidr().toString(),
                    t.vpcId(), t.associationId()));
        }
        subnets.setRows(subnetRows);
        root.layout(true, true);
        // GTK sizes a tab's control only when the folder resizes: size them now
        for (TabItem item : tabs.getItems()) {
            item.getControl().setBounds(tabs.getClientArea());
        }
        analyse();
    }

    /** What a rule's CIDR decides, in words: the range, minus the more specific rule CIDRs inside it. */
    private String decides(AuthorizationRule r) {
        List<String> inside = new ArrayList<>();
        boolean wider = false;
        for (AuthorizationRule o : design.authorizationRules()) {
            Cidr c = o.targetNetworkCidr();
            if (!c.equals(r.targetNetworkCidr()) && r.targetNetworkCidr().contains(c) && !inside.contains(c.toString())) {
                inside.add(c.toString());
            }
            wider |= !c.equals(r.targetNetworkCidr()) && c.contains(r.targetNetworkCidr());
        }
        return (inside.isEmpty() ? r.targetNetworkCidr().toString() : r.targetNetworkCidr() + " except " + String.join(", ", inside))
                + (wider ? " (wider rules do not apply here)" : "");
    }

    private static final String[] SETTING_KEYS = {"crew.prediction.client", "crew.prediction.clientIpv6", "crew.prediction.endpoint",
            "crew.prediction.tunnel"};

    private DesignAnalysis.Settings restoreSettings() {
        if (part == null) {
            return DesignAnalysis.Settings.DEFAULTS;
        }
        Map<String, String> state = part.getPersistedState();
        try {
            return DesignAnalysis.Settings.parse(state.get(SETTING_KEYS[0]), state.get(SETTING_KEYS[1]), state.get(SETTING_KEYS[2]),
                    state.get(SETTING_KEYS[3]));
        } catch (IllegalArgumentException e) {
            return DesignAnalysis.Settings.DEFAULTS; // a state written by another version: the defaults
        }
    }

    private void saveSettings(DesignAnalysis.Settings s) {
        if (part == null) {
            return;
        }
        Object[] values = {s.client(), s.clientIpv6(), s.endpoint(), s.tunnel()};
        for (int i = 0; i < SETTING_KEYS.length; i++) {
            if (values[i] == null) {
                part.getPersistedState().remove(SETTING_KEYS[i]);
            } else {
                part.getPersistedState().put(SETTING_KEYS[i], values[i].toString());
            }
        }
    }

    /** Computes the analyses for the current design and device source in a job; the newest request wins. */
    private void analyse() {
        if (design == null) {
            return;
        }
        EndpointDesign d = design;
        Path f = file;
        DeviceSources.Source chosen = source;
        DesignAnalysis.Settings where = settings;
        int mine = ++generation;
        Display display = root.getDisplay();
        prediction.showMessage("Predicting ...");
        Job.create("Analysing design " + d.name(), monitor -> {
            List<DeviceSources.Source> list = List.of();
            String listProblem = null;
            if (f != null) {
                try {
                    list = DeviceSources.list(f);
                } catch (IOException e) {
                    listProblem = "cannot list the workspace's device snapshots: " + e.getMessage();
                }
            }
            DeviceSources.Source use = chosen != null && list.contains(chosen) ? chosen : DeviceSources.preferred(list).orElse(null);
            List<DeviceRoute> table = List.of();
            String label;
            if (use == null) {
                label = "none (an empty table" + (listProblem == null ? "; the workspace has no device snapshots" : "; " + listProblem) + ")";
            } else {
                try {
                    table = DeviceSources.read(use);
                    label = use.label();
                } catch (IOException | RuntimeException e) {
                    label = use.label() + " could not be read (" + e.getMessage() + "), so an empty table";
                }
            }
            DesignAnalysis a = DesignAnalysis.compute(d, new DesignAnalysis.Inputs(table, label, where));
            List<DeviceSources.Source> sources = list;
            List<FleetPrediction.Device> fleet = FleetPrediction.compute(d, list, where);
            display.asyncExec(() -> {
                if (!root.isDisposed() && mine == generation) {
                    apply(a, sources, use);
                    prediction.showFleet(fleet);
                }
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    private void apply(DesignAnalysis a, List<DeviceSources.Source> sources, DeviceSources.Source used) {
        analysis = a;
        source = used;
        prediction.setSources(sources, used);
        matrix.show(a);
        prediction.show(a);
        map.show(a);
        trace.show(a);
    }

    /** Shows the tab titled {@code title}. */
    void selectTab(String title) {
        for (TabItem item : tabs.getItems()) {
            if (item.getText().equals(title)) {
                tabs.setSelection(item);
                item.getControl().setBounds(tabs.getClientArea());
                ((Composite) item.getControl()).layout(true, true);
                return;
            }
        }
        throw new IllegalArgumentException("no tab " + title);
    }

    private List<String> routeHeaders() {
        RouteGrid g = RouteGrid.of(design);
        List<String> headers = new ArrayList<>();
        headers.add("Destination");
        for (int i = 0; i < g.columns().size(); i++) {
            String c = g.columns().get(i);
            headers.add(g.associated().get(i) ? c : c + " (not associated)");
        }
        headers.add("Problem");
        return headers;
    }

    private List<RowTable.Row> routeRows() {
        RouteGrid g = RouteGrid.of(design);
        List<RowTable.Row> rows = new ArrayList<>();
        for (Cidr destination : g.destinations()) {
            List<String> cells = new ArrayList<>();
            cells.add(destination.toString());
            for (String column : g.columns()) {
                cells.add(g.targets().get(destination).contains(column) ? "route" : "");
            }
            List<String> missing = g.missing(destination);
            List<String> unassociated = g.unassociated(destination);
            String problem = !unassociated.isEmpty() ? "through " + String.join(", ", unassociated) + ", which is not associated"
                    : !missing.isEmpty() ? "no route through " + String.join(", ", missing)
                            + ": clients whose traffic leaves by that subnet cannot reach " + destination : "";
            cells.add(problem);
            RGB color = !unassociated.isEmpty() ? NOT_ASSOCIATED : !missing.isEmpty() ? MISSING : null;
            rows.add(new RowTable.Row(cells, color, problem.isEmpty() ? descriptions(destination) : problem, destination));
        }
        return rows;
    }

    private String descriptions(Cidr destination) {
        List<String> d = new ArrayList<>();
        for (ClientVpnRoute r : design.routes()) {
            if (r.destinationCidr().equals(destination) && r.description() != null) {
                d.add(r.targetSubnet() + ": " + r.description());
            }
        }
        return String.join("\n", d);
    }

    // for tests
    RowTable grid() {
        return grid;
    }

    RowTable rules() {
        return rules;
    }

    RowTable subnets() {
        return subnets;
    }

    String heading() {
        return heading.getText();
    }

    List<String> gridHeaders() {
        List<String> h = new ArrayList<>();
        Table t = grid.table();
        for (TableColumn c : t.getColumns()) {
            h.add(c.getText());
        }
        return h;
    }

    TabFolder tabs() {
        return tabs;
    }

    DesignAnalysis analysis() {
        return analysis;
    }

    AccessMatrixView matrix() {
        return matrix;
    }

    PredictionView prediction() {
        return prediction;
    }

    AddressMapView map() {
        return map;
    }

    TraceView trace() {
        return trace;
    }

    EndpointDesign design() {
        return design;
    }

    int reloads() {
        return reloads;
    }
}
