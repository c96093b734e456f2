package crew.ui.tunnel.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

import crew.model.device.DeviceRoute;
import crew.tunnel.TunnelState;
import crew.tunnel.TunnelStatus;
import crew.ui.workspace.RowTable;

/** The console's Protected routes tab: the routes the session installed and its enforcement engine protects. */
final class RoutesTab {
    private static final RGB PROTECTED = new RGB(204, 238, 204);

    private final RowTable table;

    RoutesTab(Composite tabs) {
        table = new RowTable(tabs, "Destination", "Gateway", "Interface", "Metric", "Table");
        table.setEmptyMessage(TunnelPart.NO_ROUTES);
    }

    Control control() {
        return table.control();
    }

    RowTable table() {
        return table;
    }

    /** The routes of {@code status} (null: not connected), or what the empty table means now. */
    void show(TunnelStatus status) {
        if (status == null) {
            table.setEmptyMessage(TunnelPart.NO_ROUTES);
            table.setRows(List.of());
            return;
        }
        List<RowTable.Row> rows = new ArrayList<>();
        for (DeviceRoute r : status.protectedRoutes()) {
            rows.add(new RowTable.Row(List.of(r.destination().toString(), r.gateway() == null ? "" : r.gateway().toString(),
                    r.interfaceName() == null ? "" : r.interfaceName(), String.valueOf(r.metric()), r.table() == DeviceRoute.MAIN_TABLE ? "main"
                            : String.valueOf(r.table())), PROTECTED, r + "\nprotected by the session's enforcement engine", r));
        }
        table.setEmptyMessage(status.state().isFinal() ? "The session ended (" + status.state() + "); the device's table is restored. "
                + TunnelPart.NO_ROUTES : status.state() == TunnelState.CONNECTED ? "Connected, but the session protects no route." : "Connecting ...");
        table.setRows(rows);
    }
}
