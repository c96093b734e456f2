package crew.ui.fleet.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import jakarta.annotation.PostConstruct;

import crew.aws.events.EventsSettings;
import crew.aws.events.FleetEvents;
import crew.ui.workspace.RowTable;

/**
 * The fleet view: what {@code crew fleet events} shows, in the workbench. The devices of a log group with their
 * sessions, events, tamper attempts and removals and their last event (most tamper attempts first); the timeline
 * (events, tamper attempts and removals per bucket); a device's own events when it is selected. Read in a
 * background job with FilterLogEvents, every page; the log group, credentials and endpoint default to this CREW
 * home's {@code events.json} ({@code crew fleet configure}).
 */
public final class FleetPart {
    private static final RGB TAMPER = new RGB(255, 214, 214);
    private static final List<String> SINCE = List.of("15m", "1h", "24h", "7d", "14d");

    private Display display;
    private Text group;
    private Combo since;
    private Text endpoint;
    private Text profile;
    private Button load;
    private Label status;
    private RowTable devices;
    private RowTable timeline;
    private RowTable events;
    private volatile FleetEvents.Report report;

    @PostConstruct
    public void createControls(Composite parent) {
        display = parent.getDisplay();
        parent.setLayout(new GridLayout(9, false));
        EventsSettings configured = null;
        try {
            configured = EventsSettings.read(EventsSettings.defaultFile());
        } catch (IOException e) {
            // shown in the status below
        }
        new Label(parent, SWT.NONE).setText("&Log group:");
        group = new Text(parent, SWT.BORDER);
        group.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        group.setText(configured == null ? "" : configured.logGroup());
        new Label(parent, SWT.NONE).setText("&Since:");
        since = new Combo(parent, SWT.READ_ONLY);
        SINCE.forEach(since::add);
        since.select(1);
        new Label(parent, SWT.NONE).setText("&Endpoint:");
        endpoint = new Text(parent, SWT.BORDER);
        endpoint.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        endpoint.setMessage("AWS (default)");
        endpoint.setText(configured == null || configured.endpoint() == null ? "" : configured.endpoint().toString());
        new Label(parent, SWT.NONE).setText("&Profile:");
        profile = new Text(parent, SWT.BORDER);
        profile.setMessage("default chain");
        profile.setText(configured == null || configured.profile() == null ? "" : configured.profile());
        load = new Button(parent, SWT.PUSH);
        load.setText("&Read events");
        load.addListener(SWT.Selection, e -> read());
        status = new Label(parent, SWT.WRAP);
        status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 9, 1));
        status.setText(configured == null ? "Give the log group the devices ship to (crew fleet configure on each device), then Read events."
                : "This device ships to " + configured.logGroup() + " as " + configured.device() + ". Read events to see the fleet.");
        SashForm vertical = new SashForm(parent, SWT.VERTICAL);
        vertical.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 9, 1));
        SashForm top = new SashForm(vertical, SWT.HORIZONTAL);
        devices = new RowTable(top, "Device", "Sessions", "Events", "Tamper attempts", "Removals", "Last event", "Last kind");
        devices.setEmptyMessage("No devices read yet.");
        timeline = new RowTable(top, "From", "Events", "Tamper", "Removed", "");
        timeline.setEmptyMessage("No timeline yet.");
        top.setWeights(62, 38);
        events = new RowTable(vertical, "Time", "Session", "Event", "Route", "Detail");
        events.setEmptyMessage("Select a device to see its events.");
        vertical.setWeights(55, 45);
        devices.table().addListener(SWT.Selection, e -> showDevice());
    }

    /** Reads the group in a background job; the tables follow on the UI thread. */
    public void read() {
        String g = group.getText().trim();
        EventsSettings s;
        Duration back;
        try {
            back = FleetEvents.parseSince(since.getText());
            s = new EventsSettings(g, "reader", profile.getText().isBlank() ? null : profile.getText().trim(), null,
                    endpoint.getText().isBlank() ? null : URI.create(endpoint.getText().trim()), null, null, false);
        } catch (IllegalArgumentException e) {
            status.setText("Cannot read: " + e.getMessage());
            return;
        }
        load.setEnabled(false);
        status.setText("Reading " + g + " (FilterLogEvents, every page) ...");
        Instant from = Instant.now().minus(back);
        Job.create("Reading the fleet's enforcement events", monitor -> {
            String text;
            FleetEvents.Report r = null;
            try {
                r = FleetEvents.read(s, from, null);
                int tampers = r.devices().stream().mapToInt(FleetEvents.Device::tamperAttempts).sum();
                text = r.events().size() + " events of " + r.devices().size() + " devices since " + from + ", " + tampers + " tamper attempts ("
                        + r.pages() + " pages" + (r.duplicates() > 0 ? ", " + r.duplicates() + " duplicates dropped" : "") + ").";
            } catch (RuntimeException e) { // the SDK's errors (SdkException), a bad endpoint
                text = "Cannot read " + g + ": " + e.getMessage();
            }
            FleetEvents.Report done = r;
            String message = text;
            display.asyncExec(() -> {
                if (!status.isDisposed()) {
                    show(done, message);
                }
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    private void show(FleetEvents.Report r, String message) {
        load.setEnabled(true);
        status.setText(message);
        report = r;
        if (r == null) {
            return;
        }
        List<RowTable.Row> rows = new ArrayList<>();
        for (FleetEvents.Device d : r.devices()) {
            RowTable.Row row = RowTable.Row.of(d, d.name(), Integer.toString(d.sessions()), Integer.toString(d.events()),
                    Integer.toString(d.tamperAttempts()), Integer.toString(d.removals()), d.lastEvent().toString(), d.lastKind());
            rows.add(d.tamperAttempts() > 0 ? row.colored(TAMPER, d.tamperAttempts() + " routes that would have taken traffic around the tunnel") : row);
        }
        devices.setRows(rows);
        List<RowTable.Row> buckets = new ArrayList<>();
        for (Map.Entry<Instant, int[]> b : r.timeline().entrySet()) {
            int[] c = b.getValue();
            buckets.add(RowTable.Row.of(b.getKey(), b.getKey().toString(), Integer.toString(c[0]), Integer.toString(c[1]), Integer.toString(c[2]),
                    "#".repeat(Math.min(40, c[1]))));
        }
        timeline.setRows(buckets);
        events.setRows(List.of());
        events.setEmptyMessage("Select a device to see its events.");
    }

    private void showDevice() {
        FleetEvents.Report r = report;
        java.util.Optional<RowTable.Row> selected = devices.selectedRow();
        if (r == null || selected.isEmpty() || !(selected.get().data() instanceof FleetEvents.Device d)) {
            return;
        }
        List<RowTable.Row> rows = new ArrayList<>();
        for (FleetEvents.Event e : r.of(d.name())) {
            RowTable.Row row = RowTable.Row.of(e, e.time().toString(), e.session(), e.kind(), e.route() == null ? "" : e.route(),
                    e.detail() == null ? "" : e.detail());
            rows.add(e.tamper() ? row.colored(TAMPER, "tamper attempt") : row);
        }
        events.setRows(rows);
    }

    // ---- for tests ----

    RowTable devices() {
        return devices;
    }

    RowTable timeline() {
        return timeline;
    }

    RowTable events() {
        return events;
    }

    Text group() {
        return group;
    }

    Text endpoint() {
        return endpoint;
    }

    String status() {
        return status.getText();
    }

    FleetEvents.Report report() {
        return report;
    }

    /** Selects a device's row, as a click does. */
    void select(String device) {
        for (int i = 0; i < devices.table().getItemCount(); i++) {
            if (devices.table().getItem(i).getText(0).equals(device)) {
                devices.table().setSelection(i);
                showDevice();
                return;
            }
        }
        throw new IllegalArgumentException("no device " + device + " in the table");
    }
}
