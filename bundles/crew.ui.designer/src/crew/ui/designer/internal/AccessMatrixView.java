package crew.ui.designer.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.custom.TableCursor;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

import crew.design.authz.AccessMatrix;

/**
 * The access matrix: one row per rule range (what {@code crew access} lists: the range minus its nested rule ranges),
 * one column per group, each cell green "allow" or red "deny". Hovering a cell shows why (the rule that decided, or
 * why none did); the arrow keys move a cell cursor and the details line under the table says the same in words, so
 * the reason is reachable without a mouse. Ctrl+C copies the matrix as text, the context menu as CSV.
 */
final class AccessMatrixView {
    static final RGB ALLOW = new RGB(200, 230, 201);
    static final RGB DENY = new RGB(255, 205, 210);
    /** Columns before the groups. */
    static final int FIXED = 2;

    private final Composite box;
    private final Label summary;
    private final Table table;
    private final TableCursor cursor;
    private final Text details;
    private final Color allow;
    private final Color deny;
    private DesignAnalysis analysis;

    AccessMatrixView(Composite parent) {
        box = new Composite(parent, SWT.NONE);
        box.setLayout(new GridLayout(1, false));
        summary = new Label(box, SWT.WRAP);
        summary.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        summary.setText("Reading the design ...");
        table = new Table(box, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        allow = new Color(table.getDisplay(), ALLOW);
        deny = new Color(table.getDisplay(), DENY);
        table.addListener(SWT.Dispose, e -> {
            allow.dispose();
            deny.dispose();
        });
        cursor = new TableCursor(table, SWT.NONE);
        cursor.addListener(SWT.Selection, e -> showDetails());
        cursor.addListener(SWT.MouseHover, e -> cursor.setToolTipText(reason(table.indexOf(cursor.getRow()), cursor.getColumn())));
        table.addListener(SWT.MouseHover, e -> {
            int[] cell = cellAt(new Point(e.x, e.y));
            table.setToolTipText(cell == null ? null : reason(cell[0], cell[1]));
        });
        Label hint = new Label(box, SWT.WRAP);
        hint.setText("Arrow keys move between cells; the line below gives the reason for the cell (hover a cell for the same).");
        hint.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        details = new Text(box, SWT.BORDER | SWT.READ_ONLY | SWT.WRAP | SWT.MULTI);
        GridData d = new GridData(SWT.FILL, SWT.TOP, true, false);
        d.heightHint = 56;
        details.setLayoutData(d);
        details.setText("Select a cell to see which rule decides it.");
        details.getAccessible().addAccessibleListener(new AccessibleAdapter() {
            @Override
            public void getName(AccessibleEvent e) {
                e.result = "Reason for the selected cell of the access matrix";
            }
        });
        Listener copyKeys = new Listener();
        table.addListener(SWT.KeyDown, copyKeys);
        cursor.addListener(SWT.KeyDown, copyKeys);
        Menu menu = new Menu(table);
        MenuItem text = new MenuItem(menu, SWT.PUSH);
        text.setText("Copy as text\tCtrl+C");
        text.addListener(SWT.Selection, e -> copy(false));
        MenuItem csv = new MenuItem(menu, SWT.PUSH);
        csv.setText("Copy as CSV");
        csv.addListener(SWT.Selection, e -> copy(true));
        table.setMenu(menu);
        cursor.setMenu(menu);
    }

    private final class Listener implements org.eclipse.swt.widgets.Listener {
        @Override
        public void handleEvent(org.eclipse.swt.widgets.Event e) {
            if ((e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'c' || e.keyCode == 'C')) {
                copy(false);
            }
        }
    }

    Composite control() {
        return box;
    }

    void showMessage(String message) {
        summary.setText(message);
        box.layout(true);
    }

    void show(DesignAnalysis newAnalysis) {
        analysis = newAnalysis;
        AccessMatrix m = analysis.matrix();
        table.setRedraw(false);
        try {
            table.removeAll();
            for (TableColumn c : table.getColumns()) {
                c.dispose();
            }
            column("Range");
            column("Except (decided by more specific rules)");
            for (String g : m.groups()) {
                column(g);
            }
            for (AccessMatrix.Row r : m.rows()) {
                TableItem item = new TableItem(table, SWT.NONE);
                item.setData(r);
                List<String> cells = rowCells(r, m.groups());
                item.setText(cells.toArray(String[]::new));
                for (int i = 0; i < m.groups().size(); i++) {
                    item.setBackground(FIXED + i, r.allowedByGroup().get(m.groups().get(i)) ? allow : deny);
                }
            }
            for (TableColumn c : table.getColumns()) {
                c.pack();
                c.setWidth(Math.min(c.getWidth() + 12, 360));
            }
        } finally {
            table.setRedraw(true);
        }
        summary.setText(m.rows().isEmpty()
                ? "No authorization rules, so nobody reaches anything (default deny). Add a rule per destination and group "
                        + "(AuthorizeClientVpnIngress) in the endpoint editor or the design file."
                : m.rows().size() + " rule ranges \u00d7 " + m.groups().size() + " groups, as `crew access` computes them. "
                        + "\"" + crew.design.authz.AuthorizationEvaluator.ANY_USER + "\" is a user in no listed group. "
                        + "Everything outside these ranges is denied (default deny).");
        if (table.getItemCount() > 0 && table.getColumnCount() > FIXED) {
            select(0, FIXED);
        } else {
            details.setText("No cell to explain.");
        }
        box.layout(true, true);
    }

    private void column(String title) {
        TableColumn c = new TableColumn(table, SWT.NONE);
        c.setText(title);
    }

    static List<String> rowCells(AccessMatrix.Row r, List<String> groups) {
        List<String> cells = new ArrayList<>();
        cells.add(r.range().toString());
        cells.add(String.join(", ", r.except().stream().map(Object::toString).toList()));
        for (String g : groups) {
            cells.add(r.allowedByGroup().get(g) ? "allow" : "deny");
        }
        return cells;
    }

    /** Moves the cell cursor and shows that cell's reason. */
    void select(int row, int column) {
        table.setSelection(row);
        cursor.setSelection(row, column);
        showDetails();
    }

    private void showDetails() {
        if (cursor.getRow() == null) {
            return;
        }
        int row = table.indexOf(cursor.getRow());
        int column = cursor.getColumn();
        table.setSelection(row);
        String reason = reason(row, column);
        details.setText(reason == null ? "Range " + table.getItem(row).getText(0) + ": move to a group's column to see its reason." : reason);
    }

    /** The reason for a cell, or null for the range columns. */
    String reason(int row, int column) {
        if (analysis == null || row < 0 || row >= table.getItemCount() || column < FIXED) {
            return null;
        }
        AccessMatrix.Row r = (AccessMatrix.Row) table.getItem(row).getData();
        String group = analysis.matrix().groups().get(column - FIXED);
        return analysis.reason(r, group);
    }

    private int[] cellAt(Point p) {
        TableItem item = table.getItem(p);
        if (item == null) {
            return null;
        }
        for (int c = 0; c < table.getColumnCount(); c++) {
            if (item.getBounds(c).contains(p)) {
                return new int[] {table.indexOf(item), c};
            }
        }
        return null;
    }

    String asText(boolean csv) {
        StringBuilder sb = new StringBuilder();
        List<String> head = new ArrayList<>();
        for (TableColumn c : table.getColumns()) {
            head.add(c.getText());
        }
        line(sb, head, csv);
        for (List<String> row : cells()) {
            line(sb, row, csv);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, boolean csv) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(i == 0 ? "" : csv ? "," : "\t");
            sb.append(csv && (c.contains(",") || c.contains("\"")) ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        sb.append('\n');
    }

    private void copy(boolean csv) {
        Clipboard clipboard = new Clipboard(table.getDisplay());
        try {
            clipboard.setContents(new Object[] {asText(csv)}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
    }

    // for tests and the text form
    Table table() {
        return table;
    }

    TableCursor cursor() {
        return cursor;
    }

    String details() {
        return details.getText();
    }

    List<String> headers() {
        List<String> h = new ArrayList<>();
        for (TableColumn c : table.getColumns()) {
            h.add(c.getText());
        }
        return h;
    }

    /** The cells as shown. */
    List<List<String>> cells() {
        List<List<String>> rows = new ArrayList<>();
        for (TableItem item : table.getItems()) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < table.getColumnCount(); c++) {
                row.add(item.getText(c));
            }
            rows.add(row);
        }
        return rows;
    }

    RGB background(int row, int column) {
        return table.getItem(row).getBackground(column).getRGB();
    }
}
