package crew.ui.tunnel.internal;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TabFolder;

import crew.enforce.EnforcementEvent;
import crew.ui.workspace.RowTable;

/** The console's audit log tab: the session's enforcement events, newest first, filtered by tag. */
final class AuditTab {
    static final String ALL_TAGS = "All tags";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final List<EnforcementEvent> events = new ArrayList<>();
    private final Composite control;
    private final Combo tagCombo;
    private final RowTable table;

    AuditTab(TabFolder tabs) {
        control = new Composite(tabs, SWT.NONE);
        control.setLayout(new GridLayout(2, false));
        new Label(control, SWT.NONE).setText("&Tag:");
        tagCombo = new Combo(control, SWT.READ_ONLY);
        tagCombo.add(ALL_TAGS);
        tagCombo.add(EnforcementEvent.TAG);
        for (EnforcementEvent.Kind k : EnforcementEvent.Kind.values()) {
            tagCombo.add(k.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        tagCombo.select(0);
        tagCombo.addListener(SWT.Selection, e -> refresh());
        table = new RowTable(control, "Time", "Session", "Event", "Route", "Detail", "Tags");
        table.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        table.setEmptyMessage(TunnelPart.NO_EVENTS);
    }

    Composite control() {
        return control;
    }

    Combo tagCombo() {
        return tagCombo;
    }

    RowTable table() {
        return table;
    }

    void clear() {
        events.clear();
        refresh();
    }

    void add(EnforcementEvent e) {
        events.add(0, e);
        refresh();
    }

    private void refresh() {
        String tag = tagCombo.getSelectionIndex() <= 0 ? null : tagCombo.getText();
        List<RowTable.Row> rows = new ArrayList<>();
        for (EnforcementEvent e : events) {
            if (tag != null && !e.tags().contains(tag)) {
                continue;
            }
            RGB color = switch (e.kind()) {
                case CONFLICT_DETECTED, FIGHT, ERROR -> new RGB(255, 204, 204);
                case ROUTE_REMOVED, PROTECTED_ROUTE_RESTORED, RULE_REMOVED -> new RGB(255, 236, 179);
                default -> null;
            };
            String route = e.route() == null ? "" : e.route();
            String detail = e.detail() == null ? "" : e.detail();
            rows.add(new RowTable.Row(List.of(time(e.time()), e.sessionId(), kind(e), route, detail, String.join(", ", e.tags())), color,
                    e.time() + " " + kind(e) + " " + route + (detail.isEmpty() ? "" : "\n" + detail), e));
        }
        table.setEmptyMessage(events.isEmpty() ? TunnelPart.NO_EVENTS : "No event has the tag \"" + tag + "\".");
        table.setRows(rows);
    }

    static String kind(EnforcementEvent e) {
        return e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static String time(Instant t) {
        return LocalTime.ofInstant(t, ZoneId.systemDefault()).format(TIME);
    }
}
