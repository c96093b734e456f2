package crew.ui.designer.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;

import crew.design.device.DevicePrediction;
import crew.model.net.Cidr;
import crew.model.net.IpFamily;
import crew.ui.workspace.RowTable;

/**
 * The address-space map: the IPv4 (or IPv6) space drawn left to right, one lane per kind of range of a prediction
 * (protected tunnel routes, local/connected networks, conflicting routes, leaks, ranges CRE ignores or exempts),
 * with the aligned blocks of the visible window as ticks. Zoom with the mouse wheel or +/-, pan with the arrow keys,
 * click a range to zoom into it, Home for the whole space; the line above says what is visible. The same ranges are
 * listed under the map (Enter zooms to one), which is also the map's text form. The geometry is {@link AddressScale}.
 */
final class AddressMapView {
    static final int MARGIN = 150;
    static final int AXIS = 36;
    static final int LANE = 26;
    static final int GAP = 6;

    private final Composite box;
    private final Combo which;
    private final Button ipv4;
    private final Button ipv6;
    private final Label visible;
    private final Canvas canvas;
    private final Label details;
    private final RowTable list;
    private final Map<MapLayers.Kind, Color> colors = new EnumMap<>(MapLayers.Kind.class);
    private DesignAnalysis analysis;
    private MapLayers layers = new MapLayers(List.of());
    private AddressScale scale = AddressScale.whole(IpFamily.IPV4, 600);
    private int focusLane;

    AddressMapView(Composite parent) {
        box = new Composite(parent, SWT.NONE);
        box.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(box, SWT.NONE);
        bar.setLayout(new GridLayout(6, false));
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        new Label(bar, SWT.NONE).setText("&Prediction:");
        which = new Combo(bar, SWT.READ_ONLY);
        which.setItems("As designed", "Split tunnel", "Full tunnel");
        which.select(0);
        which.addListener(SWT.Selection, e -> rebuild(false));
        ipv4 = new Button(bar, SWT.RADIO);
        ipv4.setText("IPv&4");
        ipv4.setSelection(true);
        ipv6 = new Button(bar, SWT.RADIO);
        ipv6.setText("IPv&6");
        ipv4.addListener(SWT.Selection, e -> family(IpFamily.IPV4));
        ipv6.addListener(SWT.Selection, e -> family(IpFamily.IPV6));
        Button whole = new Button(bar, SWT.PUSH);
        whole.setText("&Whole space");
        whole.addListener(SWT.Selection, e -> setScale(AddressScale.whole(scale.family(), scale.width())));
        Label keys = new Label(bar, SWT.NONE);
        keys.setText("Wheel or +/- zoom, arrows pan, click a range to zoom into it, Home: whole space");
        visible = new Label(box, SWT.NONE);
        visible.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        canvas = new Canvas(box, SWT.DOUBLE_BUFFERED | SWT.BORDER);
        GridData c = new GridData(SWT.FILL, SWT.FILL, true, false);
        c.heightHint = AXIS + MapLayers.Kind.values().length * (LANE + GAP) + GAP;
        canvas.setLayoutData(c);
        for (MapLayers.Kind k : MapLayers.Kind.values()) {
            colors.put(k, new Color(canvas.getDisplay(), k.color));
        }
        canvas.addListener(SWT.Dispose, e -> colors.values().forEach(Color::dispose));
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
        canvas.addListener(SWT.Resize, e -> setScale(scale.withWidth(plotWidth())));
        canvas.addListener(SWT.MouseVerticalWheel, e -> {
            setScale(scale.zoom(e.count > 0 ? 2 : 0.5, e.x - MARGIN));
            e.doit = false;
        });
        canvas.addListener(SWT.MouseDown, e -> {
            canvas.setFocus();
            if (e.button == 1) {
                click(e.x, e.y);
            }
        });
        canvas.addListener(SWT.MouseHover, e -> canvas.setToolTipText(describeAt(e.x, e.y)));
        canvas.addListener(SWT.KeyDown, this::key);
        canvas.addListener(SWT.Traverse, e -> {
            if (e.detail == SWT.TRAVERSE_TAB_NEXT || e.detail == SWT.TRAVERSE_TAB_PREVIOUS) {
                e.doit = true;
            }
        });
        canvas.addListener(SWT.FocusIn, e -> canvas.redraw());
        canvas.addListener(SWT.FocusOut, e -> canvas.redraw());
        canvas.getAccessible().addAccessibleListener(new AccessibleAdapter() {
            @Override
            public void getName(AccessibleEvent e) {
                e.result = "Address-space map: " + scale.label() + ". " + details.getText();
            }
        });
        Composite legend = new Composite(box, SWT.NONE);
        legend.setLayout(new RowLayout(SWT.HORIZONTAL));
        for (MapLayers.Kind k : MapLayers.Kind.values()) {
            Canvas swatch = new Canvas(legend, SWT.NONE);
            swatch.setLayoutData(new org.eclipse.swt.layout.RowData(14, 14));
            swatch.addListener(SWT.Paint, e -> {
                e.gc.setBackground(colors.get(k));
                e.gc.fillRectangle(0, 0, 14, 14);
            });
            new Label(legend, SWT.NONE).setText(k.label + "    ");
        }
        details = new Label(box, SWT.WRAP);
        details.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        list = new RowTable(box, "Kind", "Range", "First", "Last", "Note");
        list.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        list.setEmptyMessage("No ranges of this family in the prediction.");
        list.onOpen(r -> {
            if (r.data() instanceof MapLayers.Range range) {
                setScale(scale.zoomTo(range.cidr()));
                canvas.setFocus();
            }
        });
        updateLabels();
    }

    Composite control() {
        return box;
    }

    void show(DesignAnalysis a) {
        analysis = a;
        boolean carriesV6 = a.design().endpoint().trafficIpAddressType().carriesIpv6();
        rebuild(true);
        ipv6.setEnabled(carriesV6 || layers.hasIpv6());
        ipv6.setToolTipText(ipv6.getEnabled() ? null : "The design carries no IPv6 traffic");
        if (!ipv6.getEnabled() && scale.family() == IpFamily.IPV6) {
            family(IpFamily.IPV4);
        }
    }

    private void rebuild(boolean keepView) {
        if (analysis == null) {
            return;
        }
        DevicePrediction p = prediction();
        layers = p == null ? new MapLayers(List.of()) : MapLayers.of(p, analysis.inputs().deviceTable());
        if (!keepView) {
            setScale(AddressScale.whole(scale.family(), plotWidth()));
        }
        fillList();
        updateLabels();
        canvas.redraw();
    }

    private DevicePrediction prediction() {
        return switch (which.getSelectionIndex()) {
            case 1 -> analysis.split();
            case 2 -> analysis.full();
            default -> analysis.asIs();
        };
    }

    void family(IpFamily f) {
        ipv4.setSelection(f == IpFamily.IPV4);
        ipv6.setSelection(f == IpFamily.IPV6);
        scale = AddressScale.whole(f, plotWidth());
        fillList();
        updateLabels();
        canvas.redraw();
    }

    private void fillList() {
        List<RowTable.Row> rows = new ArrayList<>();
        for (MapLayers.Kind k : MapLayers.Kind.values()) {
            for (MapLayers.Range r : layers.of(k, scale.family())) {
                rows.add(new RowTable.Row(List.of(k.label, r.cidr().toString(), r.cidr().first().toString(), r.cidr().last().toString(), r.note()),
                        tint(k.color), r.note() + "\nEnter: zoom the map to " + r.cidr(), r));
            }
        }
        list.setRows(rows);
    }

    /** A light tint of a lane colour, for table rows whose text must stay readable. */
    static org.eclipse.swt.graphics.RGB tint(org.eclipse.swt.graphics.RGB c) {
        return new org.eclipse.swt.graphics.RGB(255 - (255 - c.red) * 2 / 5, 255 - (255 - c.green) * 2 / 5, 255 - (255 - c.blue) * 2 / 5);
    }

    void setScale(AddressScale s) {
        scale = s.withWidth(plotWidth());
        updateLabels();
        canvas.redraw();
    }

    private int plotWidth() {
        return Math.max(1, canvas.getClientArea().width - MARGIN - 8);
    }

    private void updateLabels() {
        visible.setText("Showing " + scale.label());
        MapLayers.Kind lane = MapLayers.Kind.values()[focusLane];
        List<MapLayers.Range> in = inView(lane);
        details.setText(lane.label + " (lane " + (focusLane + 1) + " of " + MapLayers.Kind.values().length + ", Up/Down to change): "
                + (in.isEmpty() ? "nothing in view" : in.size() + " in view: " + String.join(", ",
                        in.stream().limit(8).map(r -> r.cidr().toString()).toList()) + (in.size() > 8 ? ", ..." : "")));
        box.layout(true);
    }

    private List<MapLayers.Range> inView(MapLayers.Kind kind) {
        List<MapLayers.Range> out = new ArrayList<>();
        for (MapLayers.Range r : layers.of(kind, scale.family())) {
            if (scale.span(r.cidr()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    private void key(Event e) {
        switch (e.keyCode) {
            case '+', '=', SWT.KEYPAD_ADD -> setScale(scale.zoom(2));
            case '-', SWT.KEYPAD_SUBTRACT -> setScale(scale.zoom(0.5));
            case SWT.ARROW_LEFT -> setScale(scale.pan(-0.25));
            case SWT.ARROW_RIGHT -> setScale(scale.pan(0.25));
            case SWT.HOME, '0' -> setScale(AddressScale.whole(scale.family(), plotWidth()));
            case SWT.ARROW_UP -> lane(-1);
            case SWT.ARROW_DOWN -> lane(1);
            case SWT.CR, SWT.KEYPAD_CR -> {
                List<MapLayers.Range> in = inView(MapLayers.Kind.values()[focusLane]);
                if (!in.isEmpty()) {
                    setScale(scale.zoomTo(in.get(0).cidr()));
                }
            }
            default -> {
                if (e.character == '+') {
                    setScale(scale.zoom(2));
                } else if (e.character == '-') {
                    setScale(scale.zoom(0.5));
                }
            }
        }
    }

    private void lane(int delta) {
        int n = MapLayers.Kind.values().length;
        focusLane = (focusLane + delta + n) % n;
        updateLabels();
        canvas.redraw();
    }

    /** The lane under {@code y}, or -1. */
    static int laneAt(int y) {
        int i = (y - AXIS) / (LANE + GAP);
        int within = (y - AXIS) % (LANE + GAP);
        return y < AXIS || i >= MapLayers.Kind.values().length || within >= LANE ? -1 : i;
    }

    /** A click zooms into the most specific range of that lane under the pointer, or twice as close. */
    void click(int x, int y) {
        int lane = laneAt(y);
        if (lane >= 0) {
            focusLane = lane;
        }
        MapLayers.Range hit = lane < 0 || x < MARGIN ? null : rangeAt(MapLayers.Kind.values()[lane], x - MARGIN);
        if (hit != null && !(scale.start().equals(AddressScale.value(hit.cidr().first()))
                && scale.span().equals(BigInteger.ONE.shiftLeft(hit.cidr().family().bits() - hit.cidr().prefixLength())))) {
            setScale(scale.zoomTo(hit.cidr()));
        } else if (x >= MARGIN) {
            setScale(scale.zoom(2, x - MARGIN));
        } else {
            updateLabels();
        }
    }

    private MapLayers.Range rangeAt(MapLayers.Kind kind, int px) {
        return layers.of(kind, scale.family()).stream().filter(r -> {
            int[] s = scale.span(r.cidr());
            return s != null && px >= s[0] - 1 && px <= s[1];
        }).max(Comparator.comparingInt(r -> r.cidr().prefixLength())).orElse(null);
    }

    private String describeAt(int x, int y) {
        int lane = laneAt(y);
        if (x < MARGIN) {
            return lane < 0 ? null : MapLayers.Kind.values()[lane].label;
        }
        String address = AddressScale.address(scale.family(), scale.at(x - MARGIN)).toString();
        if (lane < 0) {
            return address;
        }
        MapLayers.Range r = rangeAt(MapLayers.Kind.values()[lane], x - MARGIN);
        return r == null ? address + ": no " + MapLayers.Kind.values()[lane].label.toLowerCase() + " range here"
                : r.cidr() + " \u2014 " + r.note() + "\n(click to zoom into it)";
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        Color fg = canvas.getDisplay().getSystemColor(SWT.COLOR_WIDGET_FOREGROUND);
        Color grid = canvas.getDisplay().getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW);
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        gc.setForeground(fg);
        // ticks: aligned blocks
        int lastLabelEnd = -1;
        for (Cidr t : scale.ticks(4)) {
            int x = MARGIN + (int) scale.x(AddressScale.value(t.first()));
            gc.setForeground(grid);
            gc.drawLine(x, AXIS - 6, x, area.height);
            String text = t.toString();
            Point size = gc.textExtent(text);
            if (x > lastLabelEnd + 6 && x + size.x < area.width) {
                gc.setForeground(fg);
                gc.drawText(text, x + 2, 4, true);
                lastLabelEnd = x + size.x;
            }
        }
        MapLayers.Kind[] kinds = MapLayers.Kind.values();
        for (int i = 0; i < kinds.length; i++) {
            int y = AXIS + i * (LANE + GAP);
            gc.setForeground(fg);
            gc.drawText(kinds[i].label, 6, y + (LANE - gc.getFontMetrics().getHeight()) / 2, true);
            gc.setBackground(colors.get(kinds[i]));
            for (MapLayers.Range r : layers.of(kinds[i], scale.family())) {
                int[] s = scale.span(r.cidr());
                if (s != null) {
                    gc.fillRectangle(MARGIN + s[0], y + 2, Math.max(1, s[1] - s[0]), LANE - 4);
                    if (s[1] - s[0] > gc.textExtent(r.cidr().toString()).x + 6) {
                        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_WHITE));
                        gc.drawText(r.cidr().toString(), MARGIN + s[0] + 3, y + (LANE - gc.getFontMetrics().getHeight()) / 2, true);
                    }
                }
            }
            if (i == focusLane && canvas.isFocusControl()) {
                gc.setForeground(fg);
                gc.setLineStyle(SWT.LINE_DOT);
                gc.drawRectangle(2, y, area.width - 5, LANE - 1);
                gc.setLineStyle(SWT.LINE_SOLID);
            }
        }
        gc.setForeground(grid);
        gc.drawLine(MARGIN, AXIS - 2, area.width, AXIS - 2);
    }

    // for tests
    AddressScale scale() {
        return scale;
    }

    Canvas canvas() {
        return canvas;
    }

    String visibleLabel() {
        return visible.getText();
    }

    String details() {
        return details.getText();
    }

    RowTable list() {
        return list;
    }

    MapLayers layers() {
        return layers;
    }

    Button ipv6() {
        return ipv6;
    }

    Combo which() {
        return which;
    }

    static int laneY(MapLayers.Kind k) {
        return AXIS + k.ordinal() * (LANE + GAP) + LANE / 2;
    }
}
