package crew.ui.app.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

import jakarta.annotation.PostConstruct;

/** The first thing a user sees: what CREW does, and which of its capabilities this installation has. */
public class WelcomePart {

    static final String TITLE = "CREW - Client Routes Enforcement Workbench";
    static final String INTRO = String.join("\n",
            "AWS Client VPN pushes routes to connected devices; a user with admin rights can add a more specific route",
            "and send corporate traffic around the tunnel. Client Routes Enforcement (CRE) watches the device's routing",
            "table and removes such conflicting routes. CREW lets you design, test and enforce those routes:",
            "",
            "  - edit every Client VPN endpoint setting, CRE included, offline or against an AWS account;",
            "  - validate routes and authorization rules against AWS's rules and quotas, see who can reach what,",
            "    and predict a device's routing table after it connects, with what would leak;",
            "  - watch a device's live routing table, each route classified;",
            "  - run a real OpenVPN tunnel whose routes CREW installs and protects, against a local endpoint lab.",
            "",
            "Everything here is also available headless: ./crew help");

    private Table capabilities;

    @PostConstruct
    public void createControls(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        Label title = new Label(parent, SWT.NONE);
        title.setText(TITLE);
        title.setFont(JFaceResources.getHeaderFont());
        Label intro = new Label(parent, SWT.WRAP);
        intro.setText(INTRO);
        intro.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        Label available = new Label(parent, SWT.NONE);
        available.setText("Installed capabilities:");
        available.setFont(JFaceResources.getBannerFont());

        capabilities = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        capabilities.setHeaderVisible(true);
        capabilities.setLinesVisible(true);
        capabilities.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        for (String header : new String[] {"Capability", "What it does", "Bundle", "Version"}) {
            new TableColumn(capabilities, SWT.NONE).setText(header);
        }
        for (Capability c : capabilities(bundleContext())) {
            TableItem item = new TableItem(capabilities, SWT.NONE);
            item.setText(new String[] {c.name(), c.description(), c.bundle(), c.version()});
        }
        for (TableColumn column : capabilities.getColumns()) {
            column.pack();
        }
    }

    /** Rows of the capability table, for tests. */
    Table capabilityTable() {
        return capabilities;
    }

    private BundleContext bundleContext() {
        Bundle bundle = FrameworkUtil.getBundle(getClass());
        return bundle == null ? null : bundle.getBundleContext();
    }

    /** One installed CREW bundle, described by its own manifest. */
    record Capability(String name, String description, String bundle, String version) {
    }

    /** The CREW bundles installed in this framework (test bundles excluded), sorted by symbolic name. */
    static List<Capability> capabilities(BundleContext context) {
        List<Capability> result = new ArrayList<>();
        if (context == null) {
            return result;
        }
        for (Bundle b : context.getBundles()) {
            String id = b.getSymbolicName();
            if (id == null || !id.startsWith("crew.") || id.endsWith(".tests") || id.equals("crew.testing")) {
                continue;
            }
            String name = b.getHeaders().get("Bundle-Name");
            String description = b.getHeaders().get("Bundle-Description");
            result.add(new Capability(name == null ? id : name.replaceFirst("^CREW ", ""),
                    description == null ? "" : description, id, b.getVersion().toString()));
        }
        result.sort(Comparator.comparing(Capability::bundle));
        return result;
    }
}
