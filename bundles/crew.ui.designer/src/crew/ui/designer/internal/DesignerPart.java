package crew.ui.designer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.net.Cidr;
import crew.ui.workspace.DesignFile;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkbenchEditors;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * The route/authorization designer of one design file: the routes as a destination x subnet grid (a destination
 * that an associated subnet does not carry is highlighted, a route through a subnet that is not associated too),
 * the authorization rules, and the target networks. Every table sorts, filters and copies.
 */
public class DesignerPart {
    static final RGB MISSING = new RGB(255, 236, 179);
    static final RGB NOT_ASSOCIATED = new RGB(255, 204, 204);

    @Inject @Optional MPart part;

    private Composite root;
    private Label heading;
    private TabFolder tabs;
    private RowTable grid;
    private RowTable rules;
    private RowTable subnets;
    private EndpointDesign design;

    @PostConstruct
    public void createControls(Composite parent) {
        root = parent;
        parent.setLayout(new GridLayout(1, false));
        heading = new Label(parent, SWT.WRAP);
        heading.setFont(JFaceResources.getBannerFont());
        heading.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        tabs = new TabFolder(parent, SWT.TOP);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        String path = part == null ? null : part.getPersistedState().get(WorkbenchEditors.FILE);
        if (path == null) {
            heading.setText("No design file. Select a design in the Workspace navigator and press Ctrl+Shift+D.");
        } else {
            load(Path.of(path));
        }
    }

    public void load(Path file) {
        heading.setText("Reading " + file + " ...");
        Display display = root.getDisplay();
        Job.create("Reading " + file.getFileName(), monitor -> {
            try {
                EndpointDesign read = DesignFile.read(file);
                display.asyncExec(() -> show(read));
                return Status.OK_STATUS;
            } catch (IOException e) {
                display.asyncExec(() -> heading.setText("Cannot open this design: " + e.getMessage()));
                return Status.warning("Cannot open " + file + ": " + e.getMessage());
            }
        }).schedule();
    }

    public void show(EndpointDesign newDesign) {
        if (root.isDisposed()) {
            return;
        }
        design = newDesign;
        for (TabItem item : tabs.getItems()) {
            item.getControl().dispose();
            item.dispose();
        }
        heading.setText("Design \"" + design.name() + "\": " + design.routes().size() + " routes, "
                + design.authorizationRules().size() + " authorization rules, " + design.targetNetworks().size()
                + " associated subnets" + (design.endpoint().splitTunnel() ? ", split tunnel" : ", full tunnel"));
        grid = tab("Routes", routeHeaders());
        grid.setEmptyMessage("No routes. Associating a subnet creates its VPC route; add others with CreateClientVpnRoute.");
        grid.setRows(routeRows());
        rules = tab("Authorization rules", List.of("Destination", "Group", "Who", "Description"));
        rules.setEmptyMessage("No authorization rules: nobody can reach anything. Add one per destination and group.");
        List<RowTable.Row> ruleRows = new ArrayList<>();
        for (AuthorizationRule r : design.authorizationRules()) {
            ruleRows.add(RowTable.Row.of(r, r.targetNetworkCidr().toString(), r.accessGroupId() == null ? "" : r.accessGroupId(),
                    r.authorizeAllGroups() ? "all users" : "group " + r.accessGroupId(), r.description()));
        }
        rules.setRows(ruleRows);
        subnets = tab("Target networks", List.of("Subnet", "Availability zone", "Subnet CIDR", "VPC", "Association"));
        subnets.setEmptyMessage("No associated subnets: clients cannot connect. Associate one subnet per availability zone.");
        List<RowTable.Row> subnetRows = new ArrayList<>();
        for (TargetNetwork t : design.targetNetworks()) {
            subnetRows.add(RowTable.Row.of(t, t.subnetId(), t.availabilityZone(), t.subnetCidr() == null ? "" : t.subnetCidr().toString(),
                    t.vpcId(), t.associationId()));
        }
        subnets.setRows(subnetRows);
        Composite pending = new Composite(tabs, SWT.NONE);
        pending.setLayout(new FillLayout());
        new Label(pending, SWT.WRAP).setText("The access matrix, device prediction (split and full tunnel), address-space map and "
                + "trace use the design services (crew.design). They appear here once that component is installed;\n"
                + "meanwhile ./crew lists the commands available in this installation.");
        TabItem analysis = new TabItem(tabs, SWT.NONE);
        analysis.setText("Analysis");
        analysis.setControl(pending);
        tabs.setSelection(0);
        root.layout(true, true);
        // GTK sizes a tab's control only when the folder resizes: size the new ones now
        for (TabItem item : tabs.getItems()) {
            item.getControl().setBounds(tabs.getClientArea());
        }
    }

    private RowTable tab(String title, List<String> headers) {
        Composite box = new Composite(tabs, SWT.NONE);
        box.setLayout(new FillLayout());
        RowTable table = new RowTable(box, headers.toArray(String[]::new));
        TabItem item = new TabItem(tabs, SWT.NONE);
        item.setText(title);
        item.setControl(box);
        return table;
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
}
