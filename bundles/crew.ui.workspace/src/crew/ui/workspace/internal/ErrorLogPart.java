package crew.ui.workspace.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.e4.core.di.annotations.Optional;
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
import jakarta.inject.Inject;

/**
 * The error log: every status logged through the platform log (ILog) since the framework started (kept by
 * {@link ErrorLogBuffer}), newest first, with the selected entry's full text and stack trace below.
 */
public class ErrorLogPart {
    public static final String ID = "crew.ui.workspace.errorlog";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final List<RowTable.Row> entries = new ArrayList<>();
    private final java.util.function.BiConsumer<Instant, IStatus> listener = this::logged;
    @Inject @Optional ErrorLogBuffer buffer;
    private boolean ownBuffer;
    private RowTable table;
    private Text details;
    private Display display;

    @PostConstruct
    public void createControls(Composite parent) {
        display = parent.getDisplay();
        parent.setLayout(new FillLayout());
        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        table = new RowTable(sash, "Time", "Severity", "Bundle", "Message");
        table.setEmptyMessage("Nothing logged since CREW started.");
        details = new Text(sash, SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL | SWT.BORDER);
        sash.setWeights(70, 30);
        table.table().addListener(SWT.Selection,
                e -> table.selectedRow().ifPresent(r -> details.setText((String) r.data())));
        if (buffer == null) {
            buffer = new ErrorLogBuffer(); // outside the framework's DS (plain tests): from now on only
            buffer.activate();
            ownBuffer = true;
        }
        for (ErrorLogBuffer.Entry e : buffer.subscribe(listener)) {
            logged(e.time(), e.status());
        }
    }

    @PreDestroy
    public void dispose() {
        buffer.unsubscribe(listener);
        if (ownBuffer) {
            buffer.deactivate();
        }
    }

    /** Called on any thread by the platform log. */
    private void logged(Instant when, IStatus status) {
        String time = LocalTime.ofInstant(when, ZoneId.systemDefault()).format(TIME);
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
