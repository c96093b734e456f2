package crew.ui.endpoint.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.Persist;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.fieldassist.ControlDecoration;
import org.eclipse.jface.fieldassist.FieldDecorationRegistry;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
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
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import crew.aws.DesignExport;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.IpAddressType;
import crew.model.endpoint.TransportProtocol;
import crew.ui.app.CrewUi;
import crew.ui.workspace.CrewWorkspace;
import crew.ui.workspace.DesignFile;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkbenchEditors;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The endpoint editor: every setting of a Client VPN endpoint, grouped as the AWS console groups them (details,
 * authentication, connection logging, client connect handler, other parameters with CRE first and prominent).
 * Create-only fields say so. Input that does not parse gets a marker on its field, and the design keeps its last
 * valid value; the design lint ({@code crew lint}'s rules) runs in the background as the user edits and marks the
 * fields its findings concern. The findings list shows both (Enter or double-click focuses the field). Edits go
 * through an undo/redo history; the part is dirty until saved. Pull, plan, apply, export profile and export CloudFormation run crew.aws in
 * jobs (progress and Cancel in the progress area).
 */
public class EndpointEditorPart {
    public static final String ID = WorkbenchEditors.ENDPOINT_EDITOR;
    static final String CREATE_ONLY = " (create only)";
    static final String CREATE_ONLY_TIP = "Changing this needs a new endpoint: ModifyClientVpnEndpoint cannot change it.";
    /** The "rule" of a field whose input does not parse. */
    static final String INPUT = "input";

    private static final RGB ERROR_BG = new RGB(255, 215, 215);
    private static final RGB WARNING_BG = new RGB(255, 238, 190);
    private static final RGB INFO_BG = new RGB(218, 233, 255);

    /** One row of the findings list: a field's input problem or a lint finding. */
    record Finding(String severity, String ruleId, EndpointField field, String where, String message, String explanation) {
    }

    @Inject @Optional MPart part;
    @Inject @Optional IEventBroker events;

    private Composite root;
    private Label heading;
    private Composite form;
    private Composite actionBar;
    private StyledText planView;
    private RowTable problems;
    private final Map<EndpointField, Control> controls = new LinkedHashMap<>();
    private final Map<EndpointField, ControlDecoration> markers = new LinkedHashMap<>();
    private final Map<EndpointField, String> fieldProblems = new LinkedHashMap<>();
    private final Map<EndpointField, Color> backgrounds = new LinkedHashMap<>();
    private final Map<RGB, Color> colors = new LinkedHashMap<>();
    private EditHistory<EndpointDesign> history;
    private Path file;
    private boolean updating;

    // live lint
    private LiveLint lint;
    private List<LintFinding> lintFindings = List.of();
    private Map<String, LintRule> lintRules = Map.of();
    private EndpointDesign lintedDesign;
    private int lintRuns;

    // AWS actions
    private final Map<String, Button> awsButtons = new LinkedHashMap<>();
    private Label awsTarget;
    private volatile Job awsJob;
    private AwsActions.Planned lastPlan;
    private String lastAwsResult = "";
    /** Asks before apply; tests replace it. */
    Predicate<String> confirmApply = text -> MessageDialog.openConfirm(shell(), "Apply to AWS", text + "\nApply these changes?");

    @PostConstruct
    public void createControls(Composite parent) {
        root = parent;
        parent.setLayout(new GridLayout(1, false));
        heading = new Label(parent, SWT.WRAP);
        heading.setFont(JFaceResources.getBannerFont());
        heading.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        lint = new LiveLint(parent.getDisplay(), this::linted);
        parent.addDisposeListener(e -> dispose()); // also when the part's composite goes without @PreDestroy
        String path = part == null ? null : part.getPersistedState().get(WorkbenchEditors.FILE);
        if (path == null) {
            heading.setText("No design file. Open one from the Workspace navigator (Enter or double-click).");
        } else {
            load(Path.of(path));
        }
    }

    @PreDestroy
    public void dispose() {
        if (lint != null) {
            lint.dispose();
        }
        Job job = awsJob;
        if (job != null) {
            job.cancel();
        }
        colors.values().forEach(Color::dispose);
        colors.clear();
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
        history = new EditHistory<>(newDesign);
        if (form != null) {
            form.getParent().dispose();
            actionBar.dispose();
            planView.dispose();
            problems.control().dispose();
        }
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
        backgrounds.clear();
        lintFindings = List.of();
        lintedDesign = null;
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
        actions(root);
        planView = new StyledText(root, SWT.BORDER | SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL);
        planView.setFont(JFaceResources.getTextFont());
        GridData planData = new GridData(SWT.FILL, SWT.BOTTOM, true, false);
        planData.heightHint = 130;
        planView.setLayoutData(planData);
        planView.setText("Plan: compares this design with the account's endpoint (creates +, changes ~, removals -; "
                + "connection resets and create-only settings flagged).");
        problems = new RowTable(root, "Severity", "Rule", "Field", "Finding");
        problems.setEmptyMessage("No findings: the design passes the lint rules.");
        GridData data = new GridData(SWT.FILL, SWT.BOTTOM, true, false);
        data.heightHint = 130;
        problems.control().setLayoutData(data);
        problems.onOpen(row -> focus((Finding) row.data()));
        scroll.setMinSize(form.computeSize(SWT.DEFAULT, SWT.DEFAULT));
        refreshControls();
        changed();
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
        actionBar = new Composite(parent, SWT.NONE);
        actionBar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        actionBar.setLayout(new GridLayout(7, false));
        boolean aws = installed("crew.aws");
        awsButtons.clear();
        for (String action : List.of("Pull from AWS", "Plan", "Apply", "Export client profile", EXPORT_TEMPLATE, EXPORT_TERRAFORM)) {
            Button b = new Button(actionBar, SWT.PUSH);
            b.setText(action);
            b.setEnabled(aws);
            awsButtons.put(action, b);
            if (!aws) {
                b.setToolTipText("Needs the AWS component (crew.aws), which is not installed");
            }
        }
        awsButtons.get("Pull from AWS").setToolTipText(aws ? "Read the endpoint this design names (or choose one) from the account into the editor" : null);
        awsButtons.get("Plan").setToolTipText(aws ? "Show what applying this design would create, change and remove" : null);
        awsButtons.get("Apply").setToolTipText(aws ? "Plan, confirm, then make the account's endpoint match this design" : null);
        awsButtons.get("Export client profile").setToolTipText(aws ? "Write the endpoint's .ovpn client configuration to the workspace's profiles folder" : null);
        awsButtons.get("Pull from AWS").addListener(SWT.Selection, e -> pullFromAws());
        awsButtons.get("Plan").addListener(SWT.Selection, e -> plan());
        awsButtons.get("Apply").addListener(SWT.Selection, e -> apply());
        awsButtons.get("Export client profile").addListener(SWT.Selection, e -> exportProfile());
        awsButtons.get(EXPORT_TEMPLATE).setToolTipText(aws ? "Write this design as an AWS CloudFormation template to the workspace's "
                + "cloudformation folder (no account needed; as crew aws export-template)" : null);
        awsButtons.get(EXPORT_TEMPLATE).addListener(SWT.Selection, e -> exportDesign(DesignExport.CLOUDFORMATION));
        awsButtons.get(EXPORT_TERRAFORM).setToolTipText(aws ? "Write this design as Terraform (.tf.json) for the AWS provider to the workspace's "
                + "terraform folder (no account needed; as crew aws export-terraform)" : null);
        awsButtons.get(EXPORT_TERRAFORM).addListener(SWT.Selection, e -> exportDesign(DesignExport.TERRAFORM));
        awsTarget = new Label(actionBar, SWT.NONE);
        awsTarget.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        awsTarget.setText(aws ? "Account: " + AwsActions.targetDescription() + " (File > Preferences > CREW)" : "AWS actions need crew.aws.");
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

    // ---- AWS actions (jobs; crew.aws only through AwsActions) ----------------------------------------------------

    private Shell shell() {
        return root.getShell();
    }

    /** A job for an AWS action: one at a time, buttons disabled while it runs, its outcome in the plan view. */
    private interface AwsWork {
        String run(AwsActions aws, org.eclipse.core.runtime.IProgressMonitor monitor) throws Exception;
    }

    private void runAws(String name, AwsWork work, java.util.function.Consumer<String> onUi) {
        if (awsJob != null || history == null) {
            return;
        }
        Display display = root.getDisplay();
        setAwsEnabled(false);
        planView.setText(name + " (" + AwsActions.targetDescription() + ") ...");
        Job job = Job.create(name, monitor -> {
            String result;
            IStatus status = Status.OK_STATUS;
            try (AwsActions aws = AwsActions.open()) {
                monitor.beginTask(name + " - " + aws.description(), org.eclipse.core.runtime.IProgressMonitor.UNKNOWN);
                result = work.run(aws, monitor);
            } catch (OperationCanceledException e) {
                result = name + ": cancelled. " + (e.getMessage() == null ? "" : e.getMessage());
                status = Status.CANCEL_STATUS;
            } catch (Exception | LinkageError e) {
                result = name + " failed: " + AwsActions.describe(e);
                status = Status.error(result, e);
            }
            String text = result;
            if (!display.isDisposed()) {
                display.asyncExec(() -> {
                    awsJob = null;
                    lastAwsResult = text;
                    if (root.isDisposed()) {
                        return;
                    }
                    setAwsEnabled(true);
                    if (onUi != null) {
                        onUi.accept(text);
                    } else {
                        planView.setText(text);
                    }
                });
            }
            return status;
        });
        awsJob = job;
        job.schedule();
    }

    private void setAwsEnabled(boolean enabled) {
        awsButtons.values().forEach(b -> {
            if (!b.isDisposed()) {
                b.setEnabled(enabled);
            }
        });
    }

    /** Pulls the endpoint the design names; without an id, lists the account's endpoints to choose one. */
    void pullFromAws() {
        String id = history == null ? null : history.current().endpoint().endpointId();
        if (id != null) {
            pull(id);
            return;
        }
        List<ClientVpnEndpoint> found = new ArrayList<>();
        runAws("Listing Client VPN endpoints", (aws, monitor) -> {
            found.addAll(aws.endpoints());
            return found.size() + " endpoints in " + aws.description();
        }, text -> {
            planView.setText(text);
            if (found.isEmpty()) {
                planView.setText(text + ": nothing to pull. Apply this design to create one.");
                return;
            }
            String[] ids = found.stream().map(e -> e.endpointId() + (e.description() == null ? "" : "  " + e.description())).toArray(String[]::new);
            org.eclipse.jface.dialogs.Dialog chooser = new org.eclipse.jface.dialogs.Dialog(shell()) {
                org.eclipse.swt.widgets.List choices;
                int chosen = -1;

                @Override
                protected Control createDialogArea(Composite parent) {
                    Composite area = (Composite) super.createDialogArea(parent);
                    new Label(area, SWT.NONE).setText("Pull which endpoint into this design?");
                    choices = new org.eclipse.swt.widgets.List(area, SWT.BORDER | SWT.SINGLE | SWT.V_SCROLL);
                    choices.setItems(ids);
                    choices.select(0);
                    GridData d = new GridData(SWT.FILL, SWT.FILL, true, true);
                    d.heightHint = 160;
                    d.widthHint = 420;
                    choices.setLayoutData(d);
                    return area;
                }

                @Override
                protected void okPressed() {
                    chosen = choices.getSelectionIndex();
                    super.okPressed();
                    if (chosen >= 0) {
                        pull(found.get(chosen).endpointId());
                    }
                }
            };
            chooser.open();
        });
    }

    /** Replaces the design with the account's endpoint {@code endpointId} (one undoable step; the design keeps its name). */
    void pull(String endpointId) {
        EndpointDesign[] pulled = new EndpointDesign[1];
        runAws("Pulling " + endpointId, (aws, monitor) -> {
            pulled[0] = aws.pull(endpointId);
            EndpointDesign d = pulled[0];
            return "Pulled " + endpointId + " from " + aws.description() + ": " + d.targetNetworks().size() + " target networks, "
                    + d.routes().size() + " routes, " + d.authorizationRules().size() + " authorization rules. Save to keep it.";
        }, text -> {
            planView.setText(text);
            if (pulled[0] != null) {
                EndpointDesign d = pulled[0];
                history.edit("pull", new EndpointDesign(history.current().name(), d.endpoint(), d.targetNetworks(), d.routes(),
                        d.authorizationRules()));
                fieldProblems.clear();
                refreshControls();
                changed();
                status("Pulled " + endpointId);
            }
        });
    }

    /** Plans the design against the account and shows the diff. */
    void plan() {
        EndpointDesign design = history.current();
        AwsActions.Planned[] planned = new AwsActions.Planned[1];
        runAws("Planning " + design.name(), (aws, monitor) -> {
            planned[0] = aws.plan(design);
            return planned[0].text();
        }, text -> {
            lastPlan = planned[0];
            showPlan(text, planned[0]);
        });
    }

    /** Plans, asks (showing the plan), applies; then plans again to show what is left (nothing, when it worked). */
    void apply() {
        EndpointDesign design = history.current();
        AwsActions.Planned[] planned = new AwsActions.Planned[1];
        runAws("Planning " + design.name(), (aws, monitor) -> {
            planned[0] = aws.plan(design);
            return planned[0].text();
        }, text -> {
            lastPlan = planned[0];
            showPlan(text, planned[0]);
            if (planned[0] == null) {
                return;
            }
            if (planned[0].plan().isEmpty()) {
                status("Nothing to apply: the account matches the design");
                return;
            }
            if (!planned[0].plan().canApply()) {
                status("This plan cannot be applied; see the lines marked !");
                return;
            }
            if (!confirmApply.test(text)) {
                status("Apply cancelled");
                return;
            }
            applyConfirmed(design, planned[0]);
        });
    }

    private void applyConfirmed(EndpointDesign design, AwsActions.Planned planned) {
        Path state = file == null ? null : file.resolveSibling(file.getFileName() + ".apply-state");
        String[] newId = new String[1];
        boolean[] ok = new boolean[1];
        runAws("Applying " + design.name(), (aws, monitor) -> {
            Path stateFile = state != null ? state : Files.createTempFile("crew-apply", ".state");
            AwsActions.Applied report = aws.apply(planned.plan(), stateFile, monitor);
            newId[0] = report.endpointId();
            ok[0] = report.succeeded();
            if (report.succeeded()) {
                Files.deleteIfExists(stateFile);
            }
            return report.text();
        }, text -> {
            planView.setText(text);
            if (newId[0] != null && !newId[0].equals(history.current().endpoint().endpointId())) {
                // the endpoint was created: the design names it from now on
                history.edit("apply", withEndpoint(history.current(), RecordEdit.with(history.current().endpoint(), "endpointId", newId[0])));
                refreshControls();
                changed();
            }
            status(ok[0] ? "Applied " + design.name() : "Apply stopped: " + text.lines().findFirst().orElse(""));
            if (ok[0]) {
                String applied = text;
                // show what is left: nothing, when the apply worked
                EndpointDesign now = history.current();
                AwsActions.Planned[] again = new AwsActions.Planned[1];
                runAws("Planning " + now.name(), (aws, monitor) -> {
                    again[0] = aws.plan(now);
                    return again[0].text();
                }, t -> {
                    lastPlan = again[0];
                    showPlan(applied + "\n" + t, again[0]);
                });
            }
        });
    }

    /** Writes {@code text} to {@code target} through a sibling temporary file, so a reader never sees half of it. */
    private static void writeReplacing(Path target, String text) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static final String EXPORT_TEMPLATE = "Export CloudFormation";
    static final String EXPORT_TERRAFORM = "Export Terraform";

    /**
     * Writes the design as edited (saved or not) in {@code format} to {@code <workspace>/<folder>/<design><suffix>}
     * ({@code cloudformation/NAME.template.json}, {@code terraform/NAME.tf.json}), in a job; the design lint's errors
     * stop it.
     */
    void exportDesign(DesignExport format) {
        if (history == null) {
            return;
        }
        EndpointDesign design = history.current();
        Path target = derivedFile(format.folder(), format.suffix());
        Display display = root.getDisplay();
        planView.setText("Writing " + format.what() + " of " + design.name() + " ...");
        Job.create("Exporting " + format.what(), monitor -> {
            String text;
            try {
                String exported = AwsActions.export(format, design);
                writeReplacing(target, exported);
                text = format.written(design.name(), target);
            } catch (IllegalStateException | IOException e) {
                text = e.getMessage();
            }
            String shown = text;
            display.asyncExec(() -> {
                lastAwsResult = shown;
                if (!root.isDisposed()) {
                    planView.setText(shown);
                    status(shown.lines().findFirst().orElse(shown));
                }
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    /** Writes the endpoint's .ovpn client configuration to the workspace's profiles folder. */
    void exportProfile() {
        String id = history.current().endpoint().endpointId();
        if (id == null) {
            planView.setText("Export client profile: this design names no endpoint yet (pull one, or apply the design to create it).");
            return;
        }
        Path target = profileFile();
        runAws("Exporting the client profile of " + id, (aws, monitor) -> {
            String ovpn = aws.exportProfile(id);
            writeReplacing(target, ovpn);
            return "Exported the client configuration of " + id + " to " + target;
        }, text -> {
            planView.setText(text);
            status(text);
        });
    }

    /** {@code <workspace>/profiles/<design file name>.ovpn} (the design's folder when it is not in the workspace). */
    Path profileFile() {
        return derivedFile("profiles", ".ovpn");
    }

    /** {@code <workspace>/<folder>/<design file name><suffix>} (the design's folder when it is not in the workspace). */
    Path derivedFile(String folder, String suffix) {
        Path dir = file == null ? Path.of(".") : file.toAbsolutePath().getParent();
        java.util.Optional<Path> workspace = CrewWorkspace.folder();
        if (workspace.isPresent() && file != null && file.toAbsolutePath().startsWith(workspace.get().toAbsolutePath())) {
            dir = workspace.get();
        }
        String name = file == null ? "endpoint" : file.getFileName().toString();
        for (String designSuffix : List.of(".crew.json", ".json")) {
            if (name.endsWith(designSuffix)) {
                name = name.substring(0, name.length() - designSuffix.length());
                break;
            }
        }
        return dir.resolve(folder).resolve(name + suffix);
    }

    private void showPlan(String text, AwsActions.Planned planned) {
        planView.setText(text);
        if (planned == null) {
            return;
        }
        Display d = planView.getDisplay();
        List<StyleRange> ranges = new ArrayList<>();
        int offset = text.indexOf(planned.lines().get(0).text());
        for (AwsActions.PlanLine line : planned.lines()) {
            int at = text.indexOf(line.text(), Math.max(0, offset));
            if (at < 0) {
                continue;
            }
            offset = at + line.text().length();
            int colour = switch (line.kind()) {
                case '+' -> SWT.COLOR_DARK_GREEN;
                case '-', '!' -> SWT.COLOR_DARK_RED;
                case '~' -> SWT.COLOR_DARK_YELLOW;
                default -> line.resets() ? SWT.COLOR_DARK_YELLOW : -1;
            };
            StyleRange r = new StyleRange(at, line.text().length(), colour < 0 ? null : d.getSystemColor(colour), null);
            if (line.kind() == '!' || line.createOnly() || line.kind() == '=') {
                r.fontStyle = SWT.BOLD;
            }
            ranges.add(r);
        }
        ranges.sort(Comparator.comparingInt(r -> r.start));
        planView.setStyleRanges(ranges.toArray(StyleRange[]::new));
    }

    private void status(String text) {
        if (events != null) {
            events.post(CrewUi.TOPIC_STATUS, text);
        }
    }

    // ---- edits, markers, lint ----------------------------------------------------------------------------------------

    private static EndpointDesign withEndpoint(EndpointDesign d, ClientVpnEndpoint e) {
        return new EndpointDesign(d.name(), e, d.targetNetworks(), d.routes(), d.authorizationRules());
    }

    private void edited(EndpointField field, Object input) {
        if (updating) {
            return;
        }
        try {
            ClientVpnEndpoint next = field.write(history.current().endpoint(), input);
            fieldProblems.remove(field);
            history.edit(field.path(), withEndpoint(history.current(), next));
        } catch (RuntimeException e) {
            fieldProblems.put(field, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        changed();
    }

    /** After any change of the design or of the input problems: markers now, lint soon, dirty state. */
    private void changed() {
        showMarkers();
        updateDirty();
        updateHeading();
        if (lint != null) {
            lint.request(history.current());
        }
    }

    private void linted(LiveLint.Result result) {
        if (root.isDisposed() || history == null || result.design() != history.current()) {
            return;
        }
        lintFindings = result.findings();
        Map<String, LintRule> rules = new LinkedHashMap<>();
        result.rules().forEach(r -> rules.put(r.id(), r));
        lintRules = rules;
        lintedDesign = result.design();
        lintRuns++;
        showMarkers();
    }

    /** Every row of the findings list: input problems first, then lint findings (most severe first). */
    List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<EndpointField, String> p : fieldProblems.entrySet()) {
            out.add(new Finding(Severity.ERROR.name(), INPUT, p.getKey(), p.getKey().label(), p.getValue(),
                    "The input does not parse; the design keeps the field's last valid value."));
        }
        for (LintFinding f : lintFindings) {
            EndpointField field = null;
            for (String name : f.fields()) {
                for (EndpointField candidate : controls.keySet()) {
                    if (field == null && candidate.concerns(name)) {
                        field = candidate;
                    }
                }
            }
            LintRule rule = lintRules.get(f.ruleId());
            String explanation = rule == null ? "" : rule.name() + ": " + rule.description();
            String where = field != null ? field.label() : f.element() + (f.element().startsWith("endpoint") ? "" : " (edit in the Designer)");
            out.add(new Finding(f.severity().name(), f.ruleId(), field, where, f.message(), explanation));
        }
        return out;
    }

    private void showMarkers() {
        List<Finding> all = findings();
        FieldDecorationRegistry registry = FieldDecorationRegistry.getDefault();
        for (Map.Entry<EndpointField, ControlDecoration> m : markers.entrySet()) {
            EndpointField field = m.getKey();
            ControlDecoration marker = m.getValue();
            String problem = fieldProblems.get(field);
            List<LintFinding> concerning = lintFindings.stream().filter(f -> f.fields().stream().anyMatch(field::concerns)).toList();
            Severity worst = problem != null ? Severity.ERROR
                    : concerning.stream().map(LintFinding::severity).min(Comparator.naturalOrder()).orElse(null);
            if (worst == null) {
                marker.hide();
                marker.setDescriptionText(null);
                background(field, null);
                continue;
            }
            StringBuilder text = new StringBuilder();
            if (problem != null) {
                text.append("Input: ").append(problem);
            }
            for (LintFinding f : concerning) {
                LintRule rule = lintRules.get(f.ruleId());
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(f.ruleId()).append(' ').append(f.severity()).append(": ").append(f.message());
                if (rule != null) {
                    text.append("\n    ").append(rule.name()).append(": ").append(rule.description());
                }
            }
            String decoration = switch (worst) {
                case ERROR -> FieldDecorationRegistry.DEC_ERROR;
                case WARNING -> FieldDecorationRegistry.DEC_WARNING;
                case INFO -> FieldDecorationRegistry.DEC_INFORMATION;
            };
            marker.setImage(registry.getFieldDecoration(decoration).getImage());
            marker.setDescriptionText(text.toString());
            marker.show();
            background(field, switch (worst) {
                case ERROR -> ERROR_BG;
                case WARNING -> WARNING_BG;
                case INFO -> INFO_BG;
            });
        }
        if (problems != null) {
            List<RowTable.Row> rows = new ArrayList<>();
            for (Finding f : all) {
                RGB bg = switch (f.severity()) {
                    case "ERROR" -> ERROR_BG;
                    case "WARNING" -> WARNING_BG;
                    default -> INFO_BG;
                };
                rows.add(new RowTable.Row(List.of(f.severity(), f.ruleId(), f.where(), f.message()), bg,
                        f.ruleId() + ": " + f.message() + (f.explanation().isEmpty() ? "" : "\n" + f.explanation()), f));
            }
            problems.setRows(rows);
        }
    }

    private void background(EndpointField field, RGB rgb) {
        Control control = controls.get(field);
        if (control == null || control.isDisposed()) {
            return;
        }
        if (rgb == null) {
            backgrounds.remove(field);
            control.setBackground(null);
            return;
        }
        Color color = colors.computeIfAbsent(rgb, c -> new Color(control.getDisplay(), c));
        backgrounds.put(field, color);
        control.setBackground(color);
    }

    /** Focuses the field a finding concerns (Enter / double-click in the findings list). */
    private void focus(Finding finding) {
        if (finding != null && finding.field() != null) {
            Control c = controls.get(finding.field());
            if (c != null && !c.isDisposed()) {
                c.setFocus();
                if (form.getParent() instanceof ScrolledComposite scroll) {
                    scroll.showControl(c);
                }
            }
        } else if (finding != null) {
            status(finding.where() + ": routes, rules and target networks are edited in the Designer (Ctrl+Shift+D in the navigator)");
        }
    }

    private void refreshControls() {
        updating = true;
        try {
            ClientVpnEndpoint e = history.current().endpoint();
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

    private void updateHeading() {
        EndpointDesign d = history.current();
        ClientVpnEndpoint e = d.endpoint();
        heading.setText("Endpoint design \"" + d.name() + "\"" + (e.endpointId() == null ? " (not created in AWS yet)"
                : " - " + e.endpointId() + (e.status() == null ? "" : ", " + e.status())));
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
            changed();
        }
    }

    public void redo() {
        if (history != null && history.redo() != null) {
            fieldProblems.clear();
            refreshControls();
            changed();
        }
    }

    /**
     * Writes the design to its file (atomically, in the workspace format, keeping what the file held that the
     * editor does not show); fields with input problems keep their last valid value.
     */
    @Persist
    public void save() throws IOException {
        if (history == null || file == null) {
            return;
        }
        DesignFile.write(file, history.current());
        history.markSaved();
        updateDirty();
        status("Saved " + file.getFileName() + (fieldProblems.isEmpty() ? "" : " (fields with problems kept their last valid value)"));
    }

    // for tests and handlers
    boolean isDirty() {
        return history != null && history.dirty();
    }

    ClientVpnEndpoint endpoint() {
        return history == null ? null : history.current().endpoint();
    }

    EndpointDesign design() {
        return history == null ? null : history.current();
    }

    /** Whether the lint findings shown are those of the design as it is now. */
    boolean lintCurrent() {
        return history != null && lintedDesign == history.current();
    }

    List<LintFinding> lintFindings() {
        return lintFindings;
    }

    int lintRuleCount() {
        return lintRules.size();
    }

    int lintRuns() {
        return lintRuns;
    }

    /** The AWS action buttons that can be pressed now, by label. */
    List<String> enabledAwsActions() {
        return awsButtons.entrySet().stream().filter(e -> !e.getValue().isDisposed() && e.getValue().isEnabled()).map(Map.Entry::getKey).toList();
    }

    boolean awsBusy() {
        return awsJob != null;
    }

    String planText() {
        return planView.getText();
    }

    AwsActions.Planned lastPlan() {
        return lastPlan;
    }

    String lastAwsResult() {
        return lastAwsResult;
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
