package crew.ui.plugins.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;

import crew.plugins.InstalledPlugin;
import crew.plugins.PluginBundle;
import crew.plugins.PluginManager;
import crew.plugins.PluginOperation;
import crew.plugins.TrustStore;

/**
 * The installed plugins with their bundles, the services each provides and what keeps one from working; install
 * from a p2 repository (a zip or a folder) and remove, through the same {@link PluginManager} as
 * {@code crew plugin}. The director runs off the UI thread; changes take effect at the next start.
 */
public class PluginsPreferencePage extends PreferencePage {
    private final PluginManager plugins;
    private Tree tree;
    private Tree signers;
    private Button remove;
    private Button allowUnsigned;
    private Text report;
    private volatile boolean busy;

    public PluginsPreferencePage(PluginManager plugins) {
        super("Plugins");
        this.plugins = plugins;
        setDescription("Plugins installed in this CREW product (" + plugins.product() + "), the services each provides, "
                + "and any that does not resolve or fails to start. Installs and removals take effect at the next start.");
        noDefaultAndApplyButton();
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite box = new Composite(parent, SWT.NONE);
        box.setLayout(new GridLayout(4, false));
        tree = new Tree(box, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        tree.setHeaderVisible(true);
        GridData treeData = new GridData(SWT.FILL, SWT.FILL, true, true, 4, 1);
        treeData.heightHint = 220;
        treeData.widthHint = 720;
        tree.setLayoutData(treeData);
        column(tree, "Plugin / bundle", 300);
        column(tree, "Version", 90);
        column(tree, "State", 110);
        column(tree, "Provides / problem", 360);
        tree.addListener(SWT.Selection, e -> updateButtons());

        Button install = new Button(box, SWT.PUSH);
        install.setText("&Install from zip...");
        install.addListener(SWT.Selection, e -> {
            FileDialog d = new FileDialog(getShell(), SWT.OPEN);
            d.setFilterExtensions(new String[] {"*.zip", "*"});
            String f = d.open();
            if (f != null) {
                install(Path.of(f));
            }
        });
        Button installFolder = new Button(box, SWT.PUSH);
        installFolder.setText("Install from &folder...");
        installFolder.addListener(SWT.Selection, e -> {
            String f = new DirectoryDialog(getShell()).open();
            if (f != null) {
                install(Path.of(f));
            }
        });
        remove = new Button(box, SWT.PUSH);
        remove.setText("&Remove");
        remove.addListener(SWT.Selection, e -> {
            InstalledPlugin p = selectedPlugin();
            if (p != null) {
                remove(p.id());
            }
        });
        allowUnsigned = new Button(box, SWT.CHECK);
        allowUnsigned.setText("Allow &unsigned content (and signers not trusted)");

        Label trusted = new Label(box, SWT.NONE);
        trusted.setText("Trusted signers (crew plugin trust FILE adds one):");
        trusted.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 4, 1));
        signers = new Tree(box, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        signers.setHeaderVisible(true);
        GridData signersData = new GridData(SWT.FILL, SWT.FILL, true, false, 4, 1);
        signersData.heightHint = 60;
        signers.setLayoutData(signersData);
        column(signers, "SHA-256 fingerprint", 260);
        column(signers, "Subject", 320);
        column(signers, "Scope", 80);

        report = new Text(box, SWT.BORDER | SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL);
        GridData reportData = new GridData(SWT.FILL, SWT.FILL, true, false, 4, 1);
        reportData.heightHint = 90;
        report.setLayoutData(reportData);
        refresh(null);
        return box;
    }

    private static void column(Tree t, String title, int width) {
        TreeColumn c = new TreeColumn(t, SWT.LEFT);
        c.setText(title);
        c.setWidth(width);
    }

    /** Installs from {@code repository} in the background, then refreshes; the same as the Install buttons. */
    void install(Path repository) {
        boolean unsigned = allowUnsigned.getSelection();
        run("Installing from " + repository + "...", () -> plugins.install(repository, List.of(), unsigned));
    }

    /** Removes plugin {@code id} in the background, then refreshes; the same as the Remove button. */
    void remove(String id) {
        run("Removing " + id + "...", () -> plugins.remove(id));
    }

    private interface Operation {
        PluginOperation run() throws Exception;
    }

    private void run(String what, Operation operation) {
        busy = true;
        report.setText(what);
        Display display = tree.getDisplay();
        Thread t = new Thread(() -> {
            String text;
            try {
                PluginOperation result = operation.run();
                text = (result.ok() ? "Done: " + String.join(", ", result.units()) + ". Restart CREW to use the change."
                        : "Refused or failed: " + String.join(", ", result.units())) + "\n" + String.join("\n", result.messages());
            } catch (Exception e) {
                text = "Failed: " + e.getMessage();
            }
            String message = text;
            display.asyncExec(() -> {
                if (!tree.isDisposed()) {
                    refresh(message);
                }
                busy = false;
            });
        }, "crew-plugins-page");
        t.setDaemon(true);
        t.start();
    }

    /** Whether an install or removal is running. */
    boolean busy() {
        return busy;
    }

    private void refresh(String message) {
        tree.removeAll();
        List<String> lines = new ArrayList<>();
        try {
            List<InstalledPlugin> installed = plugins.installed(false);
            for (InstalledPlugin p : installed) {
                TreeItem item = new TreeItem(tree, SWT.NONE);
                item.setText(new String[] {p.name() + "  (" + p.id() + ")", p.version(), p.healthy() ? "ok" : "BROKEN",
                        p.provider().isEmpty() ? "" : "by " + p.provider()});
                item.setData(p);
                for (PluginBundle b : p.bundles()) {
                    TreeItem bundle = new TreeItem(item, SWT.NONE);
                    bundle.setText(new String[] {b.symbolicName(), b.version(), b.state(), String.join(", ", b.services())});
                    for (String problem : b.problems()) {
                        TreeItem pi = new TreeItem(bundle, SWT.NONE);
                        pi.setText(new String[] {"", "", "PROBLEM", problem});
                    }
                    bundle.setExpanded(true);
                }
                item.setExpanded(true);
            }
            if (installed.isEmpty()) {
                lines.add("No plugins installed.");
            }
        } catch (Exception e) {
            lines.add("Cannot read the product's p2 profile: " + e.getMessage());
        }
        signers.removeAll();
        List<String> problems = new ArrayList<>();
        for (TrustStore.Signer s : plugins.trustStore().signers(problems)) {
            TreeItem item = new TreeItem(signers, SWT.NONE);
            item.setText(new String[] {s.fingerprint(), s.subject(), s.product() ? "product" : "user"});
        }
        lines.addAll(problems);
        if (message != null) {
            lines.add(0, message);
        }
        report.setText(String.join("\n", lines));
        updateButtons();
    }

    private InstalledPlugin selectedPlugin() {
        TreeItem[] s = tree.getSelection();
        if (s.length == 0) {
            return null;
        }
        TreeItem item = s[0];
        while (item.getParentItem() != null) {
            item = item.getParentItem();
        }
        return (InstalledPlugin) item.getData();
    }

    private void updateButtons() {
        remove.setEnabled(selectedPlugin() != null);
    }

    /** The plugins tree, the signers table and the report, for tests. */
    Tree pluginsTree() {
        return tree;
    }

    Tree signersTree() {
        return signers;
    }

    Text reportText() {
        return report;
    }

    Button allowUnsignedCheck() {
        return allowUnsigned;
    }
}
