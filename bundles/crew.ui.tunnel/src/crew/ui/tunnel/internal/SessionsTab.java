package crew.ui.tunnel.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.TabFolder;

import crew.tunnel.SessionRecord;
import crew.tunnel.TunnelStatus;
import crew.ui.workspace.RowTable;

/**
 * The console's Sessions tab: this console's session (in this process or the agent) and the sessions other crew
 * processes publish (polled every 3 s), with a button that ends the selected one.
 */
final class SessionsTab {
    private final Composite control;
    private final RowTable table;
    private final Button disconnect;
    private final Supplier<ConsoleTunnel> current;
    private final Runnable disconnectCurrent;
    private final Runnable selectionChanged;
    private final Consumer<Runnable> ui;
    private final Consumer<String> report;
    private List<SessionRecord> others = List.of();
    private volatile boolean disposed;
    private Job poll;

    /**
     * @param current           this console's session, or null
     * @param disconnectCurrent what Disconnect does for it
     * @param selectionChanged  updates the console's buttons
     * @param ui                runs on the display thread (and updates the buttons)
     * @param report            shows the outcome of ending another process's session
     */
    SessionsTab(TabFolder tabs, Supplier<ConsoleTunnel> current, Runnable disconnectCurrent, Runnable selectionChanged, Consumer<Runnable> ui,
            Consumer<String> report) {
        this.current = current;
        this.disconnectCurrent = disconnectCurrent;
        this.selectionChanged = selectionChanged;
        this.ui = ui;
        this.report = report;
        control = new Composite(tabs, SWT.NONE);
        control.setLayout(new GridLayout(1, false));
        table = new RowTable(control, "Session", "Where", "Process", "Profile", "Namespace", "State", "Enforced", "Device", "Protected routes", "Since");
        table.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        table.setEmptyMessage(TunnelPart.NO_SESSIONS);
        table.table().addListener(SWT.Selection, e -> selectionChanged.run());
        disconnect = new Button(control, SWT.PUSH);
        disconnect.setText("Disconnect &selected session (signals its process)");
        disconnect.addListener(SWT.Selection, e -> disconnectSelected());
    }

    Composite control() {
        return control;
    }

    RowTable table() {
        return table;
    }

    Button disconnectButton() {
        return disconnect;
    }

    /** Enables the button for a selected live session ({@code currentLive}: this console's). */
    void updateButton(boolean currentLive) {
        Optional<RowTable.Row> row = table.selectedRow();
        disconnect.setEnabled(row.isPresent() && (row.get().data() instanceof SessionRecord r ? r.ownerAlive() : currentLive));
    }

    /** Reads the other processes' sessions now and every 3 s until {@link #dispose()}. */
    void startPolling() {
        poll = Job.create("Reading tunnel sessions", monitor -> {
            List<SessionRecord> list;
            try {
                long self = ProcessHandle.current().pid();
                list = SessionRecord.list().stream().filter(r -> r.ownerPid() != self).toList();
            } catch (IOException e) {
                list = List.of();
            }
            List<SessionRecord> found = list;
            ui.accept(() -> {
                others = found;
                refresh();
            });
            if (!disposed) {
                poll.schedule(3000);
            }
            return Status.OK_STATUS;
        });
        poll.setSystem(true);
        poll.schedule();
    }

    void dispose() {
        disposed = true;
        if (poll != null) {
            poll.cancel();
        }
    }

    /** Shows this console's session and the others'; keeps the selection. */
    void refresh() {
        List<RowTable.Row> rows = new ArrayList<>();
        ConsoleTunnel s = current.get();
        if (s != null) {
            TunnelStatus st = s.status();
            rows.add(new RowTable.Row(List.of(s.entry().sessionId(), s.where(), String.valueOf(ProcessHandle.current().pid()),
                    s.entry().file().toString(), s.entry().namespace() == null ? "" : s.entry().namespace(), st.state().name(),
                    st.enforced() ? "yes" : "no", st.configuration().map(c -> c.device()).orElse(""), String.valueOf(st.protectedRoutes().size()),
                    AuditTab.time(st.since())), null, st.detail(), s));
        }
        for (SessionRecord r : others) {
            rows.add(new RowTable.Row(List.of(r.sessionId(), r.ownerAlive() ? "another crew process" : "gone (stale record)", String.valueOf(r.ownerPid()),
                    r.profile(), r.namespace(), r.state(), r.enforced() ? "yes" : "no", r.device(), String.valueOf(r.protectedRoutes().size()),
                    r.since()), r.ownerAlive() ? null : new RGB(235, 235, 235), String.join("\n", r.protectedRoutes()), r));
        }
        List<List<String>> before = table.rows().stream().map(RowTable.Row::cells).toList();
        if (before.equals(rows.stream().map(RowTable.Row::cells).toList())) {
            return; // the poll found nothing new: keep the selection
        }
        String selected = table.selectedRow().map(r -> r.cells().get(0) + "/" + r.cells().get(2)).orElse(null);
        table.setRows(rows);
        List<RowTable.Row> visible = table.visibleRows();
        for (int i = 0; i < visible.size(); i++) {
            if ((visible.get(i).cells().get(0) + "/" + visible.get(i).cells().get(2)).equals(selected)) {
                table.table().setSelection(i);
            }
        }
        selectionChanged.run();
    }

    private void disconnectSelected() {
        Optional<RowTable.Row> row = table.selectedRow();
        if (row.isEmpty()) {
            return;
        }
        if (row.get().data() instanceof ConsoleTunnel) {
            disconnectCurrent.run();
            return;
        }
        if (!(row.get().data() instanceof SessionRecord r) || !r.ownerAlive()) {
            return;
        }
        Job.create("Disconnecting session " + r.sessionId() + " of process " + r.ownerPid(), monitor -> {
            String text;
            try {
                // through its control socket: another workbench or crew process keeps running
                List<String> problems = r.disconnect(java.time.Duration.ofSeconds(40));
                text = problems.isEmpty() ? r.sessionId() + " disconnected; its process restored the routing table"
                        : r.sessionId() + " ended, but its routing table was not fully restored: " + String.join("; ", problems);
            } catch (IOException e) {
                text = "Session " + r.sessionId() + " (process " + r.ownerPid() + "): " + e.getMessage();
            }
            String shown = text;
            ui.accept(() -> report.accept(shown));
            return Status.OK_STATUS;
        }).schedule();
    }
}
