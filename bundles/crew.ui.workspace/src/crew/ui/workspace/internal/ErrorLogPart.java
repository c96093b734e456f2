package crew.ui.workspace.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Text;

import crew.ui.workspace.RowTable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * The error log: every status logged through the platform log (ILog) while the workbench runs, newest first,
 * with the selected entry's full text and stack trace below.
 */
public class ErrorLogPart {
    public static final String ID = "crew.ui.workspace.errorlog";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final List<RowTable.Row> entries = new ArrayList<>();
    private final ILogListener listener = this::logged;
    private RowTable table;
    private Text details;
    private Display display;

    @PostConstruct
    public void createControls(Composite parent) {
        display = parent.getDisplay();
        parent.setLayout(new FillLayout());
        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        table = new RowTable(sash, "Time", "Severity", "Bundle", "Message");
        table.setEmptyMessage("No errors or warnings logged since the error log opened.");
        details = new Text(sash, SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL | SWT.BORDER);
        sash.setWeights(70, 30);
        table.table().addListener(SWT.Selection,
                e -> table.selectedRow().ifPresent(r -> details.setText((String) r.data())));
        Platform.addLogListener(listener);
    }

    @PreDestroy
    public void dispose() {
        Platform.removeLogListener(listener);
    }

    /** Called on any thread by the platform log. */
    private void logged(IStatus status, String plugin) {
        String time = LocalTime.now().format(TIME);
        List<IStatus> flat = new ArrayList<>();
        flatten(status, flat);
        display.asyncExec(() -> {
            if (table.table().isDisposed()) {
                return;
            }
            for (IStatus s : flat) {
                String severity = severity(s.getSeverity());
                RGB color = s.getSeverity() == IStatus.ERROR ? new RGB(255, 220, 220)
                        : s.getSeverity() == IStatus.WARNING ? new RGB(255, 244, 204) : null;
                entries.add(0, RowTable.Row.of(describe(s), time, severity, s.getPlugin(), s.getMessage())
                        .colored(color, s.getMessage()));
            }
            table.setRows(entries);
        });
    }

    private static void flatten(IStatus status, List<IStatus> out) {
        out.add(status);
        for (IStatus child : status.getChildren()) {
            flatten(child, out);
        }
    }

    static String severity(int severity) {
        return switch (severity) {
            case IStatus.ERROR -> "Error";
            case IStatus.WARNING -> "Warning";
            case IStatus.INFO -> "Info";
            case IStatus.CANCEL -> "Cancel";
            default -> "OK";
        };
    }

    private static String describe(IStatus status) {
        StringWriter text = new StringWriter();
        text.append(severity(status.getSeverity())).append(" in ").append(status.getPlugin()).append(": ")
                .append(status.getMessage()).append('\n');
        if (status.getException() != null) {
            status.getException().printStackTrace(new PrintWriter(text));
        }
        return text.toString();
    }

    RowTable table() {
        return table;
    }

    Text details() {
        return details;
    }
}
