package crew.ui.endpoint.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.Persist;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.jface.fieldassist.ControlDecoration;
import org.eclipse.jface.fieldassist.FieldDecorationRegistry;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.IpAddressType;
import crew.model.endpoint.TransportProtocol;
import crew.ui.app.CrewUi;
import crew.ui.workspace.DesignFile;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkbenchEditors;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * The endpoint editor: every setting of a Client VPN endpoint, grouped as the AWS console groups them (details,
 * authentication, connection logging, client connect handler, other parameters with CRE first and prominent).
 * Create-only fields say so. Input that does not parse gets a marker on its field and in the problems table, and
 * the design keeps its last valid value. Edits go through an undo/redo history; the part is dirty until saved.
 */
public class EndpointEditorPart {
    public static final String ID = WorkbenchEditors.ENDPOINT_EDITOR;
    static final String CREATE_ONLY = " (create only)";
    static final String CREATE_ONLY_TIP = "Changing this needs a new endpoint: ModifyClientVpnEndpoint cannot change it.";

    @Inject @Optional MPart part;
    @Inject @Optional IEventBroker events;

    private Composite root;
    private Label heading;
    private Composite form;
    private RowTable problems;
    private final Map<EndpointField, Control> controls = new LinkedHashMap<>();
    private final Map<EndpointField, ControlDecoration> markers = new LinkedHashMap<>();
    private final Map<EndpointField, String> fieldProblems = new LinkedHashMap<>();
    private EditHistory<ClientVpnEndpoint> history;
    private EndpointDesign design;
    private Path file;
    private boolean updating;

    @PostConstruct
    public void createControls(Composite parent) {
        root = parent;
        parent.setLayout(new GridLayout(1, false));
        heading = new Label(parent, SWT.WRAP);
        heading.setFont(JFaceResources.getBannerFont());
        heading.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        String path = part == null ? null : part.getPersistedState().get(WorkbenchEditors.FILE);
        if (path == null) {
            heading.setText("No design file. Open one from the Workspace navigator (Enter or double-click).");
        } else {
            load(Path.of(path));
        }
    }

    /** Reads {@code designFile} in a job and shows it; a file that does not read says why in the heading. */
    public void load(Path designFile) {
        file = designFile;
        heading.setText("Reading " + designFile + " ...");
        Display display = root.getDisplay();
        Job job = Job.create("Reading " + designFile.getFileName(), monitor -> {
            try {
                EndpointDesign read = DesignFile.read(designFile);
                display.asyncExec(() -> show(read));
            } catch (IOException e) {
                display.asyncExec(() -> heading.setText("Cannot open this design: " + e.getMessage()));
                return Status.warning("Cannot open " + designFile + ": " + e.getMessage());
            }
            return Status.OK_STATUS;
        });
        job.schedule();
    }

    /** Shows {@code newDesign} (already read), replacing whatever was shown. */
    public void show(EndpointDesign newDesign) {
        if (root.isDisposed()) {
            return;
        }
        design = newDesign;
        history = new EditHistory<>(newDesign.endpoint());
        if (form != null) {
            form.getParent().dispose();
            problems.control().dispose();
        }
        ClientVpnEndpoint e = newDesign.endpoint();
        heading.setText("Endpoint design \"" + newDesign.name() + "\"" + (e.endpointId() == null ? " (not created in AWS yet)"
                : " - " + e.endpointId() + (e.status() == null ? "" : ", " + e.status())));
        ScrolledComposite scroll = new ScrolledComposite(root, SWT.V_SCROLL | SWT.H_SCROLL);
        scroll.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        form = new Composite(scroll, SWT.NONE);
        form.setLayout(new GridLayout(2, false));
        scroll.setContent(form);
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        controls.clear();
        markers.clear();
        fieldProblems.clear();
        Map<String, Composite> groups = new LinkedHashMap<>();
        for (String g : List.of(EndpointField.OTHER, EndpointField.DETAILS, EndpointField.AUTHENTICATION, EndpointField.LOGGING,
                EndpointField.HANDLER)) {
            Group group = new Group(form, SWT.NONE);
            group.setText(g);
            group.setLayout(new GridLayout(2, false));
            group.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, false));
            groups.put(g, group);
        }
        for (EndpointField field : EndpointField.all()) {
            addField(groups.get(field.group()), field);
        }
        actions(form);
        problems = new RowTable(root, "Field", "Problem");
        problems.setEmptyMessage("No problems in the fields.");
        GridData data = new GridData(SWT.FILL, SWT.BOTTOM, true, false);
        data.heightHint = 110;
        problems.control().setLayoutData(data);
        problems.onOpen(row -> controls.get((EndpointField) row.data()).setFocus());
        scroll.setMinSize(form.computeSize(SWT.DEFAULT, SWT.DEFAULT));
        refreshControls();
        updateDirty();
        root.layout(true, true);
    }

    private void addField(Composite group, EndpointField field) {
        boolean cre = field.path().equals("clientRouteEnforcement");
        Control control;
        if (field.kind() == EndpointField.Kind.BOOL) {
            Button check = new Button(group, SWT.CHECK);
            check.setText(field.label() + (field.createOnly() ? CREATE_ONLY : ""));
            check.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
            check.addListener(SWT.Selection, ev -> edited(field, check.getSelection()));
            control = check;
            if (cre) {
                check.setFont(JFaceResources.getBannerFont());
                Label explain = new Label(group, SWT.WRAP);
                explain.setText(field.help() + ". AWS ignores loopback, link-local and multicast ranges; routes that overlap "
                        + "the endpoint's routes and would win are removed while connected.");
                GridData d = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
                d.widthHint = 380;
                explain.setLayoutData(d);
            }
        } else {
            Label label = new Label(group, SWT.NONE);
            label.setText(field.label() + (field.createOnly() ? CREATE_ONLY : "") + ":");
            if (field.createOnly()) {
                label.setToolTipText(CREATE_ONLY_TIP);
            }
            if (field.kind() == EndpointField.Kind.PROTOCOL || field.kind() == EndpointField.Kind.IP_TYPE) {
                Combo combo = new Combo(group, SWT.READ_ONLY);
                if (field.kind() == EndpointField.Kind.PROTOCOL) {
                    for (TransportProtocol p : TransportProtocol.values()) {
                        combo.add(p.awsValue());
                    }
                } else {
                    for (IpAddressType t : IpAddressType.values()) {
                        combo.add(t.awsValue());
                    }
                }
                combo.addListener(SWT.Selection, ev -> edited(field, combo.getText()));
                control = combo;
            } else {
                int style = SWT.BORDER | (field.kind() == EndpointField.Kind.MULTILINE ? SWT.MULTI | SWT.WRAP | SWT.V_SCROLL : SWT.SINGLE);
                Text text = new Text(group, style);
                text.setMessage(field.help());
                text.addListener(SWT.Modify, ev -> edited(field, text.getText()));
                if (field.kind() == EndpointField.Kind.MULTILINE) {
                    // Tab moves focus, as in every other field
                    text.addTraverseListener(ev -> ev.doit = ev.detail == SWT.TRAVERSE_TAB_NEXT || ev.detail == SWT.TRAVERSE_TAB_PREVIOUS
                            || ev.doit);
                }
                control = text;
            }
            GridData d = new GridData(SWT.FILL, SWT.CENTER, true, false);
            d.widthHint = 240;
            if (field.kind() == EndpointField.Kind.MULTILINE) {
                d.heightHint = 48;
            }
            control.setLayoutData(d);
        }
        control.setToolTipText((field.help().isEmpty() ? "" : field.help()) + (field.createOnly() ? "\n" + CREATE_ONLY_TIP : ""));
        control.setData("crew.field", field.path());
        ControlDecoration marker = new ControlDecoration(control, SWT.LEFT | SWT.TOP);
        marker.setImage(FieldDecorationRegistry.getDefault().getFieldDecoration(FieldDecorationRegistry.DEC_ERROR).getImage());
        marker.hide();
        controls.put(field, control);
        markers.put(field, marker);
    }

    /** Pull, plan, apply and export come from crew.aws; without it the buttons say so. */
    private void actions(Composite parent) {
        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
        bar.setLayout(new GridLayout(5, false));
        boolean aws = installed("crew.aws");
        for (String action : List.of("Pull from AWS", "Plan", "Apply", "Export client profile")) {
            Button b = new Button(bar, SWT.PUSH);
            b.setText(action);
            b.setEnabled(false);
            b.setToolTipText(aws ? "Not wired in this version" : "Needs the AWS component (crew.aws), which is not installed");
        }
        Label note = new Label(bar, SWT.NONE);
        note.setText(aws ? "" : "AWS actions need crew.aws.");
    }

    private static boolean installed(String symbolicName) {
        Bundle self = FrameworkUtil.getBundle(EndpointEditorPart.class);
        if (self == null) {
            return false;
        }
        for (Bundle b : self.getBundleContext().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return true;
            }
        }
        return false;
    }

    private void edited(EndpointField field, Object input) {
        if (updating) {
            return;
        }
        try {
            ClientVpnEndpoint next = field.write(history.current(), input);
            fieldProblems.remove(field);
            history.edit(field.path(), next);
        } catch (RuntimeException e) {
            fieldProblems.put(field, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        showProblems();
        updateDirty();
    }

    private void showProblems() {
        List<RowTable.Row> rows = new ArrayList<>();
        for (Map.Entry<EndpointField, ControlDecoration> m : markers.entrySet()) {
            String problem = fieldProblems.get(m.getKey());
            if (problem == null) {
                m.getValue().hide();
            } else {
                m.getValue().setDescriptionText(problem);
                m.getValue().show();
                rows.add(new RowTable.Row(List.of(m.getKey().label(), problem), new RGB(255, 220, 220), problem, m.getKey()));
            }
        }
        problems.setRows(rows);
    }

    private void refreshControls() {
        updating = true;
        try {
            ClientVpnEndpoint e = history.current();
            for (Map.Entry<EndpointField, Control> c : controls.entrySet()) {
                Object value = c.getKey().read(e);
                if (c.getValue() instanceof Button b) {
                    b.setSelection((Boolean) value);
                } else if (c.getValue() instanceof Combo combo) {
                    combo.setText((String) value);
                } else if (c.getValue() instanceof Text t && !t.getText().equals(value)) {
                    t.setText((String) value);
                }
            }
        } finally {
            updating = false;
        }
    }

    private void updateDirty() {
        if (part != null) {
            part.setDirty(history.dirty());
        }
    }

    public void undo() {
        if (history != null && history.undo() != null) {
            fieldProblems.clear();
            refreshControls();
            showProblems();
            updateDirty();
        }
    }

    public void redo() {
        if (history != null && history.redo() != null) {
            fieldProblems.clear();
            refreshControls();
            showProblems();
            updateDirty();
        }
    }

    /** Writes the design with the edited endpoint to its file (atomically); problems in fields keep their last valid value. */
    @Persist
    public void save() throws IOException {
        if (history == null || file == null) {
            return;
        }
        EndpointDesign saved = new EndpointDesign(design.name(), history.current(), design.targetNetworks(), design.routes(),
                design.authorizationRules());
        DesignFile.write(file, saved);
        design = saved;
        history.markSaved();
        updateDirty();
        if (events != null) {
            events.post(CrewUi.TOPIC_STATUS, "Saved " + file.getFileName()
                    + (fieldProblems.isEmpty() ? "" : " (fields with problems kept their last valid value)"));
        }
    }

    // for tests and handlers
    boolean isDirty() {
        return history != null && history.dirty();
    }

    ClientVpnEndpoint endpoint() {
        return history == null ? null : history.current();
    }

    Control control(String path) {
        return controls.entrySet().stream().filter(e -> e.getKey().path().equals(path)).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(path));
    }

    boolean markerShown(String path) {
        return markers.entrySet().stream().anyMatch(e -> e.getKey().path().equals(path) && e.getValue().isVisible());
    }

    String markerText(String path) {
        return markers.entrySet().stream().filter(e -> e.getKey().path().equals(path)).map(e -> e.getValue().getDescriptionText())
                .findFirst().orElse(null);
    }

    RowTable problems() {
        return problems;
    }

    String heading() {
        return heading.getText();
    }

    List<String> labelsOf(String group) {
        List<String> texts = new ArrayList<>();
        for (Map.Entry<EndpointField, Control> c : controls.entrySet()) {
            if (c.getKey().group().equals(group)) {
                texts.add(c.getKey().label() + (c.getKey().createOnly() ? CREATE_ONLY : ""));
            }
        }
        return texts;
    }
}
