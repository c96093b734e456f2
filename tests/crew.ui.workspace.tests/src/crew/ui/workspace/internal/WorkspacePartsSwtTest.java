package crew.ui.workspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;

import crew.model.endpoint.EndpointDesign;
import crew.testing.Prerequisites;
import crew.testing.SampleDesigns;
import crew.testing.Screenshots;
import crew.testing.UiWait;
import crew.ui.workspace.DesignFile;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkspaceItem;

/** Real SWT under Xvfb: navigator over a workspace folder, error log, progress with cancel, table habits. */
class WorkspacePartsSwtTest {
    private Display display;
    private Shell shell;

    @BeforeEach
    void openShell() {
        Prerequisites.requireDisplay();
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(520, 480);
    }

    @AfterEach
    void closeShell() {
        if (shell != null) {
            shell.dispose();
        }
    }

    @Test
    void givenAWorkspaceFolder_whenTheNavigatorShowsIt_thenDesignsSnapshotsAndLabsAreGrouped(@TempDir Path folder) throws Exception {
        DesignFile.write(folder.resolve("designs/corporate.json"), SampleDesigns.corporate());
        Files.createDirectories(folder.resolve("snapshots"));
        Files.writeString(folder.resolve("snapshots/laptop-ip-route.txt"), "default via 192.168.1.1 dev wlan0\n");
        Files.createDirectories(folder.resolve("labs"));
        Files.writeString(folder.resolve("labs/split.lab.json"), "{}\n");
        Files.writeString(folder.resolve(".hidden.json"), "{}\n");
        Files.createDirectories(folder.resolve("aws-cli"));
        Files.writeString(folder.resolve("aws-cli/describe-client-vpn-routes.json"), "{\"Routes\": []}\n"); // not a design

        NavigatorPart navigator = new NavigatorPart();
        navigator.createControls(shell);
        shell.open();
        navigator.show(folder);
        UiWait.until(display, () -> navigator.items().size() == 4, 5000, "four items in the navigator: " + navigator.items());
        List<WorkspaceItem.Kind> kinds = navigator.items().stream().map(WorkspaceItem::kind).toList();
        assertEquals(List.of(WorkspaceItem.Kind.ENDPOINT_DESIGN, WorkspaceItem.Kind.DEVICE_SNAPSHOT, WorkspaceItem.Kind.LAB_SESSION,
                WorkspaceItem.Kind.AWS_CLI_OUTPUT), kinds);
        assertTrue(navigator.tree().getItem(0).getText().startsWith("Endpoint designs (1)"), navigator.tree().getItem(0).getText());
        navigator.tree().setSelection(navigator.tree().getItem(0).getItem(0));
        assertEquals(folder.resolve("designs/corporate.json"), navigator.selection().orElseThrow().path());
        Screenshots.save(shell, "navigator");

        navigator.show(null);
        assertTrue(navigator.heading().contains("Preferences"), "the empty state says what to do: " + navigator.heading());
        assertEquals(0, navigator.tree().getItemCount());
    }

    @Test
    void givenSavedAwsCliOutput_whenImportedFromTheNavigator_thenItsEndpointIsADesignOfTheWorkspace(@TempDir Path folder) throws Exception {
        Path examples = Path.of(System.getProperty("crew.test.examples"), "aws-cli");
        Path cli = Files.createDirectories(folder.resolve("aws-cli"));
        try (var files = Files.list(examples)) {
            for (Path f : files.toList()) {
                Files.copy(f, cli.resolve(f.getFileName()));
            }
        }
        NavigatorPart navigator = new NavigatorPart();
        navigator.createControls(shell);
        shell.open();
        navigator.show(folder);
        UiWait.until(display, () -> navigator.items().size() == 4, 5000, "the four describe outputs: " + navigator.items());
        org.eclipse.swt.widgets.TreeItem cliCategory = navigator.tree().getItem(3);
        assertEquals("AWS CLI output (4)", cliCategory.getText());
        navigator.tree().setSelection(cliCategory.getItem(0));
        assertTrue(java.util.Arrays.stream(navigator.tree().getMenu().getItems()).anyMatch(i -> i.getText().equals("Import AWS CLI output as designs")));
        navigator.importSelected();
        UiWait.until(display, () -> navigator.lastImport() != null && navigator.items().stream().anyMatch(i -> i.kind() == WorkspaceItem.Kind.ENDPOINT_DESIGN),
                20_000, "the imported design in the navigator: " + navigator.items());
        assertEquals(null, navigator.lastImport().error(), navigator.lastImport().summary());
        Path written = folder.resolve("designs/corp-split.crew.json");
        assertEquals(List.of(written), navigator.lastImport().written());
        EndpointDesign d = crew.model.io.WorkspaceFile.read(written);
        assertEquals("cvpn-endpoint-0a1b2c3d4e5f60718", d.endpoint().endpointId());
        assertEquals(5, d.routes().size());
        Screenshots.save(shell, "navigator-aws-cli-import");
        // again: a second design beside the first, never over it
        navigator.tree().setSelection(navigator.tree().getItem(3).getItem(0));
        navigator.importSelected();
        UiWait.until(display, () -> Files.exists(folder.resolve("designs/corp-split-2.crew.json")), 20_000, "the second import");
    }

    @Test
    void givenADesign_whenWrittenAndReadBack_thenItIsEqual_andAMalformedFileNamesFileAndPlace(@TempDir Path folder) throws Exception {
        EndpointDesign design = SampleDesigns.corporate();
        Path file = folder.resolve("corporate.json");
        DesignFile.write(file, design);
        assertEquals(design, DesignFile.read(file));
        Path bad = folder.resolve("bad.json");
        Files.writeString(bad, DesignFile.toJson(design).replace("10.100.0.0/22", "10.100.0/22"));
        IOException e = assertThrows(IOException.class, () -> DesignFile.read(bad));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("ClientCidrBlock"), e.getMessage());
    }

    @Test
    void givenErrorsLoggedBeforeAndAfterTheErrorLogOpens_whenItIsShown_thenBothAreListedWithTheirStackTraces() throws Exception {
        org.osgi.framework.BundleContext context = FrameworkUtil.getBundle(ErrorLogPart.class).getBundleContext();
        org.osgi.framework.ServiceReference<ErrorLogBuffer> ref = context.getServiceReference(ErrorLogBuffer.class);
        assertTrue(ref != null, "the ErrorLogBuffer component is active from the framework's start");
        ILog log = ILog.of(FrameworkUtil.getBundle(ErrorLogPart.class));
        log.log(new Status(IStatus.WARNING, "crew.ui.workspace", "logged before the view opened"));
        ErrorLogPart part = new ErrorLogPart();
        part.buffer = context.getService(ref);
        part.createControls(shell);
        shell.open();
        try {
            UiWait.until(display, () -> part.table().rows().stream().anyMatch(r -> r.cells().get(3).equals("logged before the view opened")),
                    3000, "the earlier warning is listed");
            log.log(new Status(IStatus.ERROR, "crew.ui.workspace", "route table unreadable", new IllegalStateException("EPERM")));
            UiWait.until(display, () -> part.table().rows().get(0).cells().get(3).equals("route table unreadable"), 3000,
                    "the new error is listed first");
            RowTable.Row row = part.table().rows().get(0);
            assertEquals("Error", row.cells().get(1));
            part.table().table().setSelection(0);
            part.table().table().notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
            assertTrue(part.details().getText().contains("IllegalStateException: EPERM"), part.details().getText());
            Screenshots.save(shell, "error-log");
        } finally {
            part.dispose();
            context.ungetService(ref);
        }
    }

    @Test
    void givenALongJob_whenCancelIsPressed_thenTheJobEndsCancelledAndTheAreaSaysSo() throws Exception {
        ProgressArea area = new ProgressArea();
        area.createControls(shell);
        shell.open();
        try {
            Job job = Job.create("Pulling endpoint", monitor -> {
                monitor.beginTask("Pulling endpoint cvpn-endpoint-0abc", 1000);
                for (int i = 0; i < 1000; i++) {
                    if (monitor.isCanceled()) {
                        return Status.CANCEL_STATUS;
                    }
                    monitor.worked(1);
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                }
                return Status.OK_STATUS;
            });
            job.schedule();
            UiWait.until(display, () -> area.cancelButton().isEnabled() && area.bar().getSelection() > 0, 5000,
                    "the running job shows progress and can be cancelled");
            assertTrue(area.text().contains("cvpn-endpoint-0abc"), area.text());
            Screenshots.save(shell, "progress");
            area.cancelButton().notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
            UiWait.until(display, () -> job.getResult() != null && area.lastResult().endsWith("cancelled"), 5000,
                    "the job ends cancelled");
            assertEquals(IStatus.CANCEL, job.getResult().getSeverity());
            assertFalse(area.cancelButton().isEnabled());
        } finally {
            area.dispose();
        }
    }

    @Test
    void givenRows_whenSortedFilteredAndCopied_thenTheTextMatchesWhatIsShown() {
        RowTable table = new RowTable(shell, "Destination", "Metric");
        table.setEmptyMessage("No routes: press Refresh.");
        shell.open();
        table.setRows(List.of(RowTable.Row.of(null, "10.0.0.0/16", "100"), RowTable.Row.of(null, "0.0.0.0/0", "20"),
                RowTable.Row.of(null, "192.168.1.0/24", "3")));
        table.sortBy(1);
        assertEquals("Destination\tMetric\n192.168.1.0/24\t3\n0.0.0.0/0\t20\n10.0.0.0/16\t100\n", table.asText(false, false));
        table.filterField().setText("10.");
        assertEquals(1, table.visibleRows().size());
        assertEquals("Destination,Metric\n10.0.0.0/16,100\n", table.asText(true, false));
    }
}
