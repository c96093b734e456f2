package crew.ui.workspace.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;



import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.ESelectionService;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;

import crew.ui.app.CrewUi;
import crew.ui.workspace.CrewWorkspace;
import crew.ui.workspace.WorkbenchEditors;
import crew.ui.workspace.WorkspaceItem;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * The workspace navigator: endpoint designs, device snapshots and lab sessions of the workspace folder. Enter or a
 * double-click opens a design in the endpoint editor; the context menu also opens it in the designer, and imports saved
 * AWS CLI output as designs (as File > Import AWS CLI Output does). F5 rereads.
 */
public class NavigatorPart {
    public static final String ID = "crew.ui.workspace.navigator";
    static final String EMPTY = "No workspace folder. Choose one in File > Preferences > CREW (Workspace folder), "
            + "or start CREW with -Dcrew.examples=<folder>; then press F5.";

    @Inject @Optional EPartService parts;
    @Inject @Optional EModelService models;
    @Inject @Optional MApplication application;
    @Inject @Optional IEventBroker events;
    /** Publishes the selected {@link WorkspaceItem} (e.g. the tunnel console's "Start lab" takes the selected design). */
    @Inject @Optional ESelectionService selectionService;

    private Label heading;
    private Tree tree;
    private Path folder;

    @PostConstruct
    public void createControls(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        heading = new Label(parent, SWT.WRAP);
        heading.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        tree = new Tree(parent, SWT.BORDER | SWT.SINGLE | SWT.V_SCROLL);
        tree.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        tree.addListener(SWT.DefaultSelection, e -> openSelected(WorkbenchEditors.ENDPOINT_EDITOR));
        tree.addListener(SWT.Selection, e -> {
            if (selectionService != null) {
                selectionService.setSelection(selection().orElse(null));
            }
        });
        Menu menu = new Menu(tree);
        item(menu, "Open in endpoint editor\tEnter", () -> openSelected(WorkbenchEditors.ENDPOINT_EDITOR));
        item(menu, "Open in designer\tCtrl+Shift+D", () -> openSelected(WorkbenchEditors.DESIGNER));
        item(menu, "Import AWS CLI output as designs", this::importSelected);
        new MenuItem(menu, SWT.SEPARATOR);
        item(menu, "Refresh\tF5", this::refresh);
        tree.setMenu(menu);
        refresh();
    }

    private static void item(Menu menu, String text, Runnable action) {
        MenuItem item = new MenuItem(menu, SWT.PUSH);
        item.setText(text);
        item.addListener(SWT.Selection, e -> action.run());
    }

    /** Rereads the configured workspace folder. */
    public void refresh() {
        show(CrewWorkspace.folder().orElse(null));
    }

    /** Shows {@code newFolder} (null: the empty state); the folder is read in a job, not on the UI thread. */
    public void show(Path newFolder) {
        folder = newFolder;
        if (folder == null) {
            heading.setText(EMPTY);
            tree.removeAll();
            heading.getParent().layout(true);
            return;
        }
        heading.setText("Reading " + folder + " ...");
        Display display = tree.getDisplay();
        Path reading = folder;
        Job job = Job.create("Reading workspace " + reading.getFileName(), monitor -> {
            try {
                List<WorkspaceItem> items = CrewWorkspace.scan(reading);
                display.asyncExec(() -> fill(reading, items, null));
            } catch (IOException e) {
                display.asyncExec(() -> fill(reading, List.of(), e.getMessage()));
                return Status.error("Could not read workspace " + reading, e);
            }
            return Status.OK_STATUS;
        });
        job.schedule();
    }

    private void fill(Path shown, List<WorkspaceItem> items, String error) {
        if (tree.isDisposed() || !shown.equals(folder)) {
            return;
        }
        tree.removeAll();
        heading.setText(error != null ? "Could not read the workspace: " + error
                : items.isEmpty() ? shown + " holds no designs, snapshots or lab sessions yet." : shown.toString());
        for (WorkspaceItem.Kind kind : WorkspaceItem.Kind.values()) {
            TreeItem category = new TreeItem(tree, SWT.NONE);
            long count = items.stream().filter(i -> i.kind() == kind).count();
            category.setText(kind.title() + " (" + count + ")");
            for (WorkspaceItem item : items) {
                if (item.kind() == kind) {
                    TreeItem child = new TreeItem(category, SWT.NONE);
                    child.setText(shown.relativize(item.path()).toString().replaceFirst("\\.json$", ""));
                    child.setData(item);
                }
            }
            category.setExpanded(true);
        }
        heading.getParent().layout(true);
    }

    /** The items shown, for tests and handlers. */
    public List<WorkspaceItem> items() {
        java.util.ArrayList<WorkspaceItem> all = new java.util.ArrayList<>();
        for (TreeItem category : tree.getItems()) {
            for (TreeItem child : category.getItems()) {
                all.add((WorkspaceItem) child.getData());
            }
        }
        return all;
    }

    Tree tree() {
        return tree;
    }

    String heading() {
        return heading.getText();
    }

    public java.util.Optional<WorkspaceItem> selection() {
        TreeItem[] selected = tree.getSelection();
        return selected.length == 1 && selected[0].getData() instanceof WorkspaceItem w ? java.util.Optional.of(w)
                : java.util.Optional.empty();
    }

    /** Opens the selected item in the editor {@code descriptorId}. */
    public void openSelected(String descriptorId) {
        java.util.Optional<WorkspaceItem> item = selection();
        if (item.isEmpty()) {
            return;
        }
        if (item.get().kind() != WorkspaceItem.Kind.ENDPOINT_DESIGN) {
            status(item.get().label() + ": no editor for " + item.get().kind().title().toLowerCase() + " in this version");
            return;
        }
        if (parts == null || models == null || application == null) {
            return;
        }
        if (WorkbenchEditors.open(parts, models, application, descriptorId, item.get().path()).isEmpty()) {
            status("No editor installed for " + descriptorId);
        }
    }

    private volatile crew.ui.workspace.AwsCliImportAction.Result lastImport;

    /**
     * Imports the folder of the selected AWS CLI output (every describe-client-vpn-* file beside it) as designs into
     * the workspace's designs folder, in a job, then rereads the workspace.
     */
    public void importSelected() {
        java.util.Optional<WorkspaceItem> item = selection();
        if (item.isEmpty() || item.get().kind() != WorkspaceItem.Kind.AWS_CLI_OUTPUT || folder == null) {
            status("Select saved AWS CLI output (aws ec2 describe-client-vpn-* --output json) to import it");
            return;
        }
        importFolder(item.get().path().getParent());
    }

    /** Imports AWS CLI output from {@code source} (a folder or file) into the workspace shown, then rereads it. */
    public void importFolder(Path source) {
        Path into = folder;
        if (into == null) {
            status(EMPTY);
            return;
        }
        Display display = tree.getDisplay();
        Job.create("Importing AWS CLI output from " + source.getFileName(), monitor -> {
            crew.ui.workspace.AwsCliImportAction.Result r = crew.ui.workspace.AwsCliImportAction.importInto(List.of(source), into);
            lastImport = r;
            display.asyncExec(() -> {
                status(r.summary());
                if (!tree.isDisposed() && into.equals(folder)) {
                    show(into); // the folder shown, which need not be the configured one
                }
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    /** The last import's result (null before any), for tests. */
    public crew.ui.workspace.AwsCliImportAction.Result lastImport() {
        return lastImport;
    }

    private void status(String message) {
        if (events != null) {
            events.post(CrewUi.TOPIC_STATUS, message);
        }
    }

}
