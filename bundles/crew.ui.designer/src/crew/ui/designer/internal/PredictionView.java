package crew.ui.designer.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import crew.design.device.Conflict;
import crew.design.device.DevicePrediction;
import crew.design.device.PredictionDefaults;
import crew.design.device.ProtectedRoute;
import crew.model.device.DeviceRoute;
import crew.model.net.IpAddress;
import crew.ui.workspace.RowTable;

/**
 * The device prediction: the current device table (a snapshot from the workspace, or this device's table) beside the
 * table after connecting in split tunnel and in full tunnel (the design as it is, and with SplitTunnel flipped).
 * Routes the VPN adds, the protected (tunnel) routes CRE keeps, and conflicting routes (removed by CRE, or kept and
 * leaking when CRE is off) are marked and coloured; each side lists its leaks.
 */
final class PredictionView {
    static final RGB PROTECTED = new RGB(200, 230, 201);
    static final RGB ADDED = new RGB(227, 242, 253);
    static final RGB CONFLICT = new RGB(255, 205, 210);
    static final RGB EXEMPT = new RGB(238, 238, 238);
    /** A device route that conflicts only in the other tunnel mode than the design's: not red, the design keeps it. */
    static final RGB FLIPPED_CONFLICT = new RGB(255, 236, 179);

    static final String MARK_PROTECTED = "added, protected";
    static final String MARK_ADDED = "added";
    static final String MARK_ADDED_EXEMPT = "added, exempt";
    static final String MARK_REMOVED = "conflicting: removed by CRE";
    static final String MARK_KEPT = "conflicting: kept (CRE off), leaks";
    /** Followed by the other mode's name ("full tunnel"): the route conflicts only with SplitTunnel flipped. */
    static final String MARK_FLIPPED_ONLY = "SplitTunnel flipped: conflicts in ";

    static final String[] ROUTE_HEADERS = {"Destination", "Gateway", "Interface", "Metric", "Mark", "Route"};
    static final String[] FLEET_HEADERS = {"Device", "Routes", "Loses with CRE", "Would leak without CRE"};

    private final Composite box;
    private final Combo source;
    private final Text client;
    private final Text clientIpv6;
    private final Text endpoint;
    private final Text tunnel;
    private final Label settingsError;
    private final Label status;
    private final Side device;
    private final Side split;
    private final Side full;
    private final Label fleetHeading;
    private final RowTable fleet;
    private List<DeviceSources.Source> sources = List.of();
    private Consumer<DeviceSources.Source> onSource = s -> { };
    private Consumer<DesignAnalysis.Settings> onSettings = s -> { };

    /** One column: a heading, a summary, the routes and the leaks. */
    static final class Side {
        final Label heading;
        final Label summary;
        final RowTable routes;
        final RowTable leaks;

        Side(Composite parent, String title, boolean withLeaks) {
            Composite c = new Composite(parent, SWT.NONE);
            c.setLayout(new GridLayout(1, false));
            heading = new Label(c, SWT.NONE);
            heading.setText(title);
            heading.setFont(JFaceResources.getBannerFont());
            summary = new Label(c, SWT.WRAP);
            GridData s = new GridData(SWT.FILL, SWT.TOP, true, false);
            s.widthHint = 200;
            summary.setLayoutData(s);
            routes = new RowTable(c, ROUTE_HEADERS);
            routes.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
            routes.setEmptyMessage("No routes.");
            if (withLeaks) {
                Label l = new Label(c, SWT.NONE);
                l.setText("Leaks (traffic for the tunnel that would leave outside it without CRE)");
                leaks = new RowTable(c, "Range", "Tunnel route", "Would leave via");
                GridData g = new GridData(SWT.FILL, SWT.FILL, true, false);
                g.heightHint = 110;
                leaks.control().setLayoutData(g);
                leaks.setEmptyMessage("No leaks: no device route takes traffic away from the tunnel.");
            } else {
                leaks = null;
            }
        }
    }

    PredictionView(Composite parent) {
        box = new Composite(parent, SWT.NONE);
        box.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(box, SWT.NONE);
        bar.setLayout(new GridLayout(3, false));
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        Label l = new Label(bar, SWT.NONE);
        l.setText("&Device table before connecting:");
        source = new Combo(bar, SWT.READ_ONLY | SWT.DROP_DOWN);
        source.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        source.addListener(SWT.Selection, e -> {
            int i = source.getSelectionIndex();
            if (i >= 0 && i < sources.size()) {
                onSource.accept(sources.get(i));
            }
        });
        Button reload = new Button(bar, SWT.PUSH);
        reload.setText("&Reload");
        reload.setToolTipText("Read the device table and the design again");
        reload.addListener(SWT.Selection, e -> {
            int i = source.getSelectionIndex();
            if (i >= 0 && i < sources.size()) {
                onSource.accept(sources.get(i));
            }
        });
        Composite where = new Composite(box, SWT.NONE);
        where.setLayout(new GridLayout(9, false));
        where.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        client = setting(where, "&Client address:", "the client CIDR's third address", 110);
        clientIpv6 = setting(where, "Client IP&v6:", PredictionDefaults.CLIENT_IPV6 + " (dual stack)", 150);
        endpoint = setting(where, "E&ndpoint:", PredictionDefaults.ENDPOINT_ADDRESS.toString(), 110);
        tunnel = setting(where, "T&unnel:", PredictionDefaults.TUNNEL, 60);
        Button apply = new Button(where, SWT.PUSH);
        apply.setText("&Predict");
        apply.setToolTipText("Predict again with these values (Enter in a field does the same); an empty field takes crew predict's default");
        apply.addListener(SWT.Selection, e -> applySettings());
        settingsError = new Label(box, SWT.WRAP);
        settingsError.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        settingsError.setForeground(box.getDisplay().getSystemColor(SWT.COLOR_RED));
        showSettingsError("");
        status = new Label(box, SWT.WRAP);
        status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        status.setText("Reading the design and the device table ...");
        SashForm sash = new SashForm(box, SWT.HORIZONTAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        device = new Side(sash, "Device now", false);
        split = new Side(sash, "Split tunnel", true);
        full = new Side(sash, "Full tunnel", true);
        fleetHeading = new Label(box, SWT.WRAP);
        fleetHeading.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        fleetHeading.setText("The fleet: every device snapshot of the workspace with this design (as crew predict --devices)");
        fleet = new RowTable(box, FLEET_HEADERS);
        GridData fg = new GridData(SWT.FILL, SWT.FILL, true, false);
        fg.heightHint = 120;
        fleet.control().setLayoutData(fg);
        fleet.setEmptyMessage("No device snapshots in the workspace's devices/ folder.");
        device.routes.setEmptyMessage("No device table: put a snapshot (ip route, netstat -rn or route print output, *.txt) in the "
                + "workspace's devices/ folder and press Reload. The prediction below assumes an empty table.");
    }

    private Text setting(Composite parent, String label, String dflt, int width) {
        Label l = new Label(parent, SWT.NONE);
        l.setText(label);
        Text t = new Text(parent, SWT.SINGLE | SWT.BORDER);
        t.setMessage(dflt);
        t.setToolTipText("Empty: " + dflt + " (crew predict's default)");
        GridData g = new GridData(SWT.FILL, SWT.CENTER, true, false);
        g.widthHint = width;
        t.setLayoutData(g);
        t.addListener(SWT.DefaultSelection, e -> applySettings());
        return t;
    }

    /** Reads the four fields; a bad one is named under them and the prediction stays as it was. */
    private void applySettings() {
        DesignAnalysis.Settings s;
        try {
            s = DesignAnalysis.Settings.parse(client.getText(), clientIpv6.getText(), endpoint.getText(), tunnel.getText());
        } catch (IllegalArgumentException e) {
            showSettingsError(e.getMessage() + ". The prediction below is for the previous values.");
            return;
        }
        showSettingsError("");
        onSettings.accept(s);
    }

    /** The error line under the fields takes room only while there is an error. */
    private void showSettingsError(String text) {
        settingsError.setText(text);
        settingsError.setVisible(!text.isEmpty());
        ((GridData) settingsError.getLayoutData()).exclude = text.isEmpty();
        box.layout(true);
    }

    /** Shows {@code s} in the fields (a default as an empty field). */
    void setSettings(DesignAnalysis.Settings s) {
        client.setText(s.client() == null ? "" : s.client().toString());
        clientIpv6.setText(s.clientIpv6() == null ? "" : s.clientIpv6().toString());
        endpoint.setText(s.endpoint() == null ? "" : s.endpoint().toString());
        tunnel.setText(s.tunnel() == null ? "" : s.tunnel());
    }

    void onSettings(Consumer<DesignAnalysis.Settings> action) {
        onSettings = action;
    }

    Composite control() {
        return box;
    }

    void onSource(Consumer<DeviceSources.Source> action) {
        onSource = action;
    }

    void setSources(List<DeviceSources.Source> list, DeviceSources.Source selected) {
        sources = List.copyOf(list);
        source.removeAll();
        for (DeviceSources.Source s : sources) {
            source.add(s.label());
        }
        int i = sources.indexOf(selected);
        if (i >= 0) {
            source.select(i);
        }
        source.setEnabled(!sources.isEmpty());
        if (sources.isEmpty()) {
            source.add("(no device snapshots in the workspace: an empty table)");
            source.select(0);
        }
    }

    /** The fleet table: one row per device snapshot (red when the device loses routes). */
    void showFleet(List<FleetPrediction.Device> devices) {
        List<RowTable.Row> rows = new ArrayList<>();
        int affected = 0;
        for (FleetPrediction.Device d : devices) {
            if (d.error() != null) {
                rows.add(RowTable.Row.of(d, d.label(), "?", "not predicted: " + d.error(), ""));
                continue;
            }
            String loses = d.removed().isEmpty() ? "nothing" : d.removed().size() + ": " + String.join(", ",
                    d.removed().stream().map(r -> r.destination().toString()).toList());
            String leaks = d.leaks().isEmpty() ? "nothing" : String.join(", ", d.leaks().stream().map(l -> l.range() + " via "
                    + (l.via().interfaceName() == null ? String.valueOf(l.via().gateway()) : l.via().interfaceName())).toList());
            RowTable.Row row = RowTable.Row.of(d, d.label(), String.valueOf(d.routes()), loses, leaks);
            if (!d.removed().isEmpty() || !d.leaks().isEmpty()) {
                affected++;
                row = row.colored(CONFLICT, loses.equals("nothing") ? "CRE is off: these routes stay and traffic leaks" : "CRE removes these routes");
            }
            rows.add(row);
        }
        fleet.setRows(rows);
        fleetHeading.setText("The fleet: " + affected + " of " + devices.size() + " device snapshots of the workspace affected by this design "
                + "(as crew predict --devices)");
        box.layout(true, true);
    }

    RowTable fleetTable() {
        return fleet;
    }

    void showMessage(String message) {
        status.setText(message);
        box.layout(true);
    }

    void show(DesignAnalysis a) {
        boolean designSplit = a.design().endpoint().splitTunnel();
        split.heading.setText("Split tunnel" + (designSplit ? " (this design)" : " (SplitTunnel flipped)"));
        full.heading.setText("Full tunnel" + (designSplit ? " (SplitTunnel flipped)" : " (this design)"));
        DesignAnalysis.Settings settings = a.inputs().settings();
        IpAddress clientAddress = a.clientAddress();
        String clientText = clientAddress == null ? "?" : clientAddress.toString();
        boolean outside = clientAddress != null && a.design().endpoint().clientCidrBlock() != null
                && !a.design().endpoint().clientCidrBlock().contains(clientAddress);
        status.setText("Device table: " + a.inputs().deviceSource() + " (" + a.inputs().deviceTable().size() + " routes). Client "
                + clientText + (outside ? " (outside the client CIDR " + a.design().endpoint().clientCidrBlock() + ": AWS would not assign it)" : "")
                + " on " + settings.tunnelOrDefault() + ", endpoint " + settings.endpointOrDefault() + "; CRE "
                + (a.design().endpoint().clientRouteEnforcement() ? "enforced" : "off") + " in this design."
                + "\nDNS: " + crew.design.device.DnsPrediction.of(a.design().endpoint()).describe() + "."
                + (a.predictionError() == null ? "" : "\nCannot predict: " + a.predictionError() + "."));
        device.routes.setRows(deviceRows(a));
        device.summary.setText(deviceSummary(a));
        fill(split, a.split());
        fill(full, a.full());
        box.layout(true, true);
    }

    private static void fill(Side side, DevicePrediction p) {
        if (p == null) {
            side.routes.setRows(List.of());
            side.leaks.setRows(List.of());
            side.summary.setText("No prediction.");
            return;
        }
        side.routes.setRows(predictionRows(p));
        List<RowTable.Row> leaks = new ArrayList<>();
        for (DevicePrediction.Leak l : p.leaks()) {
            leaks.add(RowTable.Row.of(l, l.range().toString(), l.protectedRange().toString(), l.via().toString())
                    .colored(CONFLICT, l.toString()));
        }
        side.leaks.setRows(leaks);
        long prot = p.protectedRoutes().size();
        side.summary.setText(p.added().size() + " routes added (" + prot + " protected), " + p.conflicts().size() + " conflicting"
                + (p.conflicts().isEmpty() ? "" : p.enforced() ? " (CRE removes them)" : " (CRE off: they stay)") + ", "
                + p.leaks().size() + (p.leaks().size() == 1 ? " leak" : " leaks") + " without CRE.");
    }

    /** The table after connecting, plus the routes CRE removed, each marked. */
    static List<RowTable.Row> predictionRows(DevicePrediction p) {
        Set<DeviceRoute> added = new HashSet<>(p.added());
        Map<DeviceRoute, Conflict> conflicts = new HashMap<>();
        p.conflicts().forEach(c -> conflicts.put(c.route(), c));
        Set<String> protectedKeys = new HashSet<>();
        for (ProtectedRoute r : p.protectedRoutes()) {
            protectedKeys.add(r.destination() + " " + r.gateway() + " " + r.interfaceName());
        }
        Set<crew.model.net.Cidr> exempt = new HashSet<>(p.exemptRanges());
        List<RowTable.Row> rows = new ArrayList<>();
        for (DeviceRoute r : p.after()) {
            if (added.contains(r)) {
                if (protectedKeys.contains(r.destination() + " " + r.gateway() + " " + r.interfaceName())) {
                    rows.add(row(r, MARK_PROTECTED, PROTECTED, "a tunnel route: CRE keeps it in place"));
                } else if (exempt.contains(r.destination())) {
                    rows.add(row(r, MARK_ADDED_EXEMPT, EXEMPT, "added outside the tunnel; CRE allows conflicts here"));
                } else {
                    rows.add(row(r, MARK_ADDED, ADDED, "added by the VPN client"));
                }
            } else if (conflicts.containsKey(r)) {
                rows.add(row(r, MARK_KEPT, CONFLICT, conflicts.get(r).reason() + "; CRE is off, so traffic leaks"));
            } else {
                rows.add(row(r, "", null, null));
            }
        }
        if (p.enforced()) {
            for (Conflict c : p.conflicts()) {
                rows.add(row(c.route(), MARK_REMOVED, CONFLICT, c.reason() + "; CRE removes it"));
            }
        }
        return rows;
    }

    /**
     * The device table before connecting. Red follows the design's own tunnel mode (its column says "this design"),
     * so that no route is red where that column reports no conflict; a route that conflicts only with SplitTunnel
     * flipped is marked apart, in amber.
     */
    private static List<RowTable.Row> deviceRows(DesignAnalysis a) {
        boolean split = a.design().endpoint().splitTunnel();
        Set<DeviceRoute> own = conflicting(split ? a.split() : a.full());
        Set<DeviceRoute> flipped = conflicting(split ? a.full() : a.split());
        String ownMode = mode(split);
        String flippedMode = mode(!split);
        List<RowTable.Row> rows = new ArrayList<>();
        for (DeviceRoute r : a.inputs().deviceTable()) {
            if (own.contains(r)) {
                String mark = "conflicts in " + ownMode + (flipped.contains(r) ? " and " + flippedMode : "");
                rows.add(row(r, mark, CONFLICT, mark + " (" + ownMode + " is this design's mode)"));
            } else if (flipped.contains(r)) {
                rows.add(row(r, MARK_FLIPPED_ONLY + flippedMode, FLIPPED_CONFLICT, "no conflict in this design (" + ownMode
                        + "); it would conflict with SplitTunnel flipped to " + flippedMode));
            } else {
                rows.add(row(r, "", null, null));
            }
        }
        return rows;
    }

    private static String deviceSummary(DesignAnalysis a) {
        boolean split = a.design().endpoint().splitTunnel();
        Set<DeviceRoute> own = conflicting(split ? a.split() : a.full());
        Set<DeviceRoute> flipped = conflicting(split ? a.full() : a.split());
        flipped.removeAll(own);
        return a.inputs().deviceTable().size() + " routes. Conflicts with " + mode(split) + " (this design): " + own.size() + ", marked red; only with "
                + mode(!split) + " (SplitTunnel flipped): " + flipped.size() + ", marked amber.";
    }

    private static String mode(boolean split) {
        return split ? "split tunnel" : "full tunnel";
    }

    private static Set<DeviceRoute> conflicting(DevicePrediction p) {
        Set<DeviceRoute> s = new HashSet<>();
        if (p != null) {
            p.conflicts().forEach(c -> s.add(c.route()));
        }
        return s;
    }

    private static RowTable.Row row(DeviceRoute r, String mark, RGB color, String tip) {
        return new RowTable.Row(List.of(r.destination().toString(), r.gateway() == null ? "" : r.gateway().toString(),
                r.interfaceName() == null ? "" : r.interfaceName(), Integer.toString(r.metric()), mark, r.toString()), color,
                tip == null ? r.toString() : r + "\n" + tip, r);
    }

    // for tests
    RowTable deviceTable() {
        return device.routes;
    }

    String deviceSummary() {
        return device.summary.getText();
    }

    RowTable splitTable() {
        return split.routes;
    }

    RowTable fullTable() {
        return full.routes;
    }

    RowTable splitLeaks() {
        return split.leaks;
    }

    RowTable fullLeaks() {
        return full.leaks;
    }

    Combo source() {
        return source;
    }

    String status() {
        return status.getText();
    }

    Text clientField() {
        return client;
    }

    Text clientIpv6Field() {
        return clientIpv6;
    }

    Text endpointField() {
        return endpoint;
    }

    Text tunnelField() {
        return tunnel;
    }

    String settingsError() {
        return settingsError.getText();
    }
}
