package crew.ui.workspace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
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

/**
 * A table with the workbench's habits: a filter field (Ctrl+F focuses it), sort by any column (click the header,
 * again to reverse; numbers sort as numbers), copy the selection (or everything) as tab-separated text (Ctrl+C) or
 * CSV (context menu), a tooltip per row, a background colour per row, and an empty-state line that says what to do.
 */
public final class RowTable {

    /** One row: its cells, an optional background, a tooltip (may be null) and the object it shows. */
    public record Row(List<String> cells, RGB background, String tooltip, Object data) {
        public Row {
            cells = List.copyOf(cells.stream().map(c -> c == null ? "" : c).toList());
        }

        public static Row of(Object data, String... cells) {
            return new Row(java.util.Arrays.stream(cells).map(c -> c == null ? "" : c).toList(), null, null, data);
        }

        public Row colored(RGB rgb, String tip) {
            return new Row(cells, rgb, tip, data);
        }
    }

    private final Composite box;
    private final Text filter;
    private final Label emptyState;
    private final Table table;
    private final List<Color> colors = new ArrayList<>();
    private List<Row> rows = List.of();
    private String emptyMessage = "Nothing to show.";
    private int sortColumn = -1;
    private boolean ascending = true;
    private Consumer<Row> onOpen = r -> { };

    public RowTable(Composite parent, String... headers) {
        box = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        box.setLayout(layout);
        filter = new Text(box, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL | SWT.BORDER);
        filter.setMessage("Filter (Ctrl+F)");
        filter.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        filter.addModifyListener(e -> refill());
        emptyState = new Label(box, SWT.WRAP);
        emptyState.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        table = new Table(box, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI | SWT.V_SCROLL | SWT.H_SCROLL);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        for (int i = 0; i < headers.length; i++) {
            TableColumn column = new TableColumn(table, SWT.NONE);
            column.setText(headers[i]);
            column.setMoveable(true);
            int index = i;
            column.addListener(SWT.Selection, e -> sortBy(index));
        }
        table.addListener(SWT.KeyDown, e -> {
            if ((e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'c' || e.keyCode == 'C')) {
                copy(false);
            } else if ((e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'f' || e.keyCode == 'F')) {
                filter.setFocus();
            } else if (e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR) {
                selectedRow().ifPresent(onOpen);
            }
        });
        table.addListener(SWT.DefaultSelection, e -> selectedRow().ifPresent(onOpen));
        table.addListener(SWT.MouseHover, e -> {
            TableItem item = table.getItem(new Point(e.x, e.y));
            table.setToolTipText(item == null || !(item.getData() instanceof Row r) ? null : r.tooltip());
        });
        Menu menu = new Menu(table);
        MenuItem copyText = new MenuItem(menu, SWT.PUSH);
        copyText.setText("Copy as text\tCtrl+C");
        copyText.addListener(SWT.Selection, e -> copy(false));
        MenuItem copyCsv = new MenuItem(menu, SWT.PUSH);
        copyCsv.setText("Copy as CSV");
        copyCsv.addListener(SWT.Selection, e -> copy(true));
        table.setMenu(menu);
        table.addListener(SWT.Dispose, e -> colors.forEach(Color::dispose));
        refill();
    }

    /** The composite holding filter, empty state and table, for layout data. */
    public Composite control() {
        return box;
    }

    public Table table() {
        return table;
    }

    public Text filterField() {
        return filter;
    }

    /** What the empty state says when there are no rows at all (not when the filter hides them). */
    public void setEmptyMessage(String message) {
        emptyMessage = message;
        refill();
    }

    /** Called on double-click or Enter. */
    public void onOpen(Consumer<Row> action) {
        onOpen = action;
    }

    public void setRows(List<Row> newRows) {
        rows = List.copyOf(newRows);
        refill();
    }

    public List<Row> rows() {
        return rows;
    }

    /** The rows shown now: filtered and sorted. */
    public List<Row> visibleRows() {
        List<Row> visible = new ArrayList<>();
        for (TableItem item : table.getItems()) {
            visible.add((Row) item.getData());
        }
        return visible;
    }

    public java.util.Optional<Row> selectedRow() {
        TableItem[] selection = table.getSelection();
        return selection.length == 0 ? java.util.Optional.empty() : java.util.Optional.of((Row) selection[0].getData());
    }

    public void sortBy(int column) {
        if (column == sortColumn) {
            ascending = !ascending;
        } else {
            sortColumn = column;
            ascending = true;
        }
        table.setSortColumn(table.getColumn(column));
        table.setSortDirection(ascending ? SWT.UP : SWT.DOWN);
        refill();
    }

    /** The shown rows as text: tab-separated, or CSV with quoting. Header line first. */
    public String asText(boolean csv, boolean selectionOnly) {
        StringBuilder sb = new StringBuilder();
        List<String> headers = new ArrayList<>();
        for (TableColumn c : table.getColumns()) {
            headers.add(c.getText());
        }
        line(sb, headers, csv);
        TableItem[] items = selectionOnly && table.getSelectionCount() > 0 ? table.getSelection() : table.getItems();
        for (TableItem item : items) {
            line(sb, ((Row) item.getData()).cells(), csv);
        }
        return sb.toString();
    }

    private void copy(boolean csv) {
        Clipboard clipboard = new Clipboard(table.getDisplay());
        try {
            clipboard.setContents(new Object[] {asText(csv, true)}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
    }

    private static void line(StringBuilder sb, List<String> cells, boolean csv) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(csv ? ',' : '\t');
            }
            String cell = cells.get(i);
            if (csv && (cell.contains(",") || cell.contains("\"") || cell.contains("\n"))) {
                sb.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(csv ? cell : cell.replace('\t', ' ').replace('\n', ' '));
            }
        }
        sb.append('\n');
    }

    private void refill() {
        if (table.isDisposed()) {
            return;
        }
        String needle = filter.getText().trim().toLowerCase(Locale.ROOT);
        List<Row> shown = new ArrayList<>();
        for (Row row : rows) {
            if (needle.isEmpty() || row.cells().stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).contains(needle))) {
                shown.add(row);
            }
        }
        if (sortColumn >= 0) {
            Comparator<Row> order = (a, b) -> compareCells(cell(a, sortColumn), cell(b, sortColumn));
            shown.sort(ascending ? order : order.reversed());
        }
        table.setRedraw(false);
        try {
            table.removeAll();
            colors.forEach(Color::dispose);
            colors.clear();
            for (Row row : shown) {
                TableItem item = new TableItem(table, SWT.NONE);
                item.setText(row.cells().toArray(String[]::new));
                item.setData(row);
                if (row.background() != null) {
                    Color color = new Color(table.getDisplay(), row.background());
                    colors.add(color);
                    item.setBackground(color);
                }
            }
            if (!rows.isEmpty()) {
                for (TableColumn column : table.getColumns()) {
                    column.pack();
                    column.setWidth(Math.min(column.getWidth() + 8, 420));
                }
            }
        } finally {
            table.setRedraw(true);
        }
        String state = rows.isEmpty() ? emptyMessage
                : shown.isEmpty() ? "No row matches the filter \"" + filter.getText() + "\"." : "";
        emptyState.setText(state);
        GridData data = (GridData) emptyState.getLayoutData();
        data.exclude = state.isEmpty();
        emptyState.setVisible(!state.isEmpty());
        box.layout(true);
    }

    private static String cell(Row row, int column) {
        return column < row.cells().size() ? row.cells().get(column) : "";
    }

    private static int compareCells(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareToIgnoreCase(b);
        }
    }
}
