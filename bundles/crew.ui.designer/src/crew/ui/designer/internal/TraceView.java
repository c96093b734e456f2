package crew.ui.designer.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import crew.design.device.DevicePrediction;
import crew.design.trace.RouteTrace;
import crew.design.trace.TraceResult;
import crew.model.net.AddressFormatException;
import crew.model.net.IpAddress;
import crew.ui.workspace.RowTable;

/**
 * Trace one destination: type an address (and the user's groups), press Enter, and see the path step by step as
 * {@code crew trace} computes it (RouteTrace): the device route that wins, the tunnel, the endpoint route and its
 * subnets, the authorization decision and the verdict. Input that is not an address gets an error naming the problem.
 */
final class TraceView {
    static final RGB GOOD = new RGB(27, 94, 32);
    static final RGB BAD = new RGB(183, 28, 28);

    private final Composite box;
    private final Text destination;
    private final Text groups;
    private final Combo mode;
    private final Label error;
    private final Label verdict;
    private final RowTable steps;
    private final Color good;
    private final Color bad;
    private DesignAnalysis analysis;
    private TraceResult last;
    private int generation;

    TraceView(Composite parent) {
        box = new Composite(parent, SWT.NONE);
        box.setLayout(new GridLayout(1, false));
        Composite form = new Composite(box, SWT.NONE);
        form.setLayout(new GridLayout(7, false));
        form.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        new Label(form, SWT.NONE).setText("D&estination address:");
        destination = new Text(form, SWT.BORDER | SWT.SINGLE);
        destination.setMessage("e.g. 10.50.8.1 or 2600:1f14::1");
        GridData d = new GridData(SWT.FILL, SWT.CENTER, true, false);
        d.widthHint = 220;
        destination.setLayoutData(d);
        new Label(form, SWT.NONE).setText("&Groups:");
        groups = new Text(form, SWT.BORDER | SWT.SINGLE);
        groups.setMessage("comma-separated; empty: a user in no group");
        GridData g = new GridData(SWT.FILL, SWT.CENTER, true, false);
        g.widthHint = 220;
        groups.setLayoutData(g);
        mode = new Combo(form, SWT.READ_ONLY);
        mode.setItems("As designed", "Split tunnel", "Full tunnel");
        mode.select(0);
        mode.setToolTipText("Trace against the device table after connecting in this tunnel mode");
        Button go = new Button(form, SWT.PUSH);
        go.setText("&Trace");
        go.addListener(SWT.Selection, e -> trace());
        destination.addListener(SWT.DefaultSelection, e -> trace());
        groups.addListener(SWT.DefaultSelection, e -> trace());
        new Label(form, SWT.NONE);
        error = new Label(box, SWT.WRAP);
        error.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        good = new Color(box.getDisplay(), GOOD);
        bad = new Color(box.getDisplay(), BAD);
        box.addListener(SWT.Dispose, e -> {
            good.dispose();
            bad.dispose();
        });
        error.setForeground(bad);
        verdict = new Label(box, SWT.WRAP);
        verdict.setFont(JFaceResources.getBannerFont());
        verdict.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        steps = new RowTable(box, "Step", "What happens");
        steps.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        steps.setEmptyMessage("Type a destination address above and press Enter to follow it: device route, tunnel, endpoint route, "
                + "authorization, verdict.");
    }

    Composite control() {
        return box;
    }

    void show(DesignAnalysis newAnalysis) {
        analysis = newAnalysis;
        Set<String> known = new LinkedHashSet<>(analysis.evaluator().groups());
        known.remove(crew.design.authz.AuthorizationEvaluator.ANY_USER);
        groups.setToolTipText(known.isEmpty() ? "The design's rules name no groups" : "Groups the rules name: " + String.join(", ", known));
        if (last != null) {
            trace(); // the design changed: trace the same input again
        }
    }

    /** Traces what the fields say, in a job; bad input is reported at once. */
    void trace() {
        String text = destination.getText().trim();
        IpAddress address;
        if (text.isEmpty()) {
            fail("Enter a destination address to trace, e.g. 10.50.8.1.");
            return;
        }
        try {
            address = IpAddress.parse(text);
        } catch (AddressFormatException e) {
            fail("\"" + text + "\" is not an IP address: " + e.getMessage()
                    + (text.contains("/") ? ". Trace one address, not a range (e.g. the range's first host)." : "."));
            return;
        } catch (IllegalArgumentException e) {
            fail("\"" + text + "\" is not an IP address: " + e.getMessage() + ".");
            return;
        }
        if (analysis == null) {
            fail("No design to trace yet: open one (Workspace navigator, Ctrl+Shift+D), or wait until it has been read.");
            return;
        }
        DevicePrediction p = switch (mode.getSelectionIndex()) {
            case 1 -> analysis.split();
            case 2 -> analysis.full();
            default -> analysis.asIs();
        };
        if (p == null) {
            fail("Cannot trace: the design cannot be predicted (" + analysis.predictionError() + ").");
            return;
        }
        boolean split = mode.getSelectionIndex() == 0 ? analysis.design().endpoint().splitTunnel() : mode.getSelectionIndex() == 1;
        Set<String> g = new LinkedHashSet<>();
        for (String s : groups.getText().split(",")) {
            if (!s.isBlank()) {
                g.add(s.trim());
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String s : g) {
            if (!analysis.evaluator().groups().contains(s)) {
                unknown.add(s);
            }
        }
        error.setText(unknown.isEmpty() ? "" : "Note: no authorization rule names " + (unknown.size() == 1 ? "group " : "groups ")
                + String.join(", ", unknown) + ".");
        DesignAnalysis a = analysis;
        int mine = ++generation;
        Display display = box.getDisplay();
        verdict.setText("Tracing " + address + " ...");
        Job.create("Tracing " + address, monitor -> {
            TraceResult t = RouteTrace.trace(a.design(split), p, a.inputs().settings().tunnelOrDefault(), address, g);
            display.asyncExec(() -> {
                if (!box.isDisposed() && mine == generation) {
                    showResult(t, g);
                }
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    private void showResult(TraceResult t, Set<String> g) {
        last = t;
        boolean ok = t.verdict() == TraceResult.Verdict.REACHABLE;
        verdict.setForeground(ok ? good : bad);
        verdict.setText(t.verdict() + ": " + t.destination() + " for " + (g.isEmpty() ? "a user in no group" : "groups " + g) + " \u2014 "
                + describe(t.verdict()));
        List<RowTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < t.steps().size(); i++) {
            rows.add(RowTable.Row.of(t.steps().get(i), Integer.toString(i + 1), t.steps().get(i)));
        }
        steps.setRows(rows);
        box.layout(true, true);
    }

    private void fail(String message) {
        last = null;
        generation++;
        error.setText(message);
        verdict.setText("");
        steps.setRows(List.of());
        box.layout(true, true);
        destination.setFocus();
    }

    static String describe(TraceResult.Verdict v) {
        return switch (v) {
            case REACHABLE -> "through the tunnel, routed by the endpoint, authorized";
            case OUTSIDE_TUNNEL -> "the device sends it outside the tunnel";
            case NO_DEVICE_ROUTE -> "the device has no route for it, or drops it";
            case NO_ENDPOINT_ROUTE -> "into the tunnel, but the endpoint has no route to it";
            case DENIED -> "routed, but no authorization rule admits this user";
        };
    }

    // for tests
    Text destination() {
        return destination;
    }

    Text groups() {
        return groups;
    }

    Combo mode() {
        return mode;
    }

    String error() {
        return error.getText();
    }

    String verdict() {
        return verdict.getText();
    }

    RowTable steps() {
        return steps;
    }

    TraceResult last() {
        return last;
    }
}
