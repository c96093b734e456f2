package crew.ui.inspector.internal;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
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
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEventSink;
import crew.model.device.DeviceRoute;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.Subscription;
import crew.routing.inspect.RouteClass;
import crew.routing.inspect.RouteClassifier;
import crew.routing.inspect.RouteInspector;
import crew.routing.inspect.RouteInspector.ClassifiedRoute;
import crew.ui.workspace.RowTable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The device's routing table, live: subscribed to the routing backend's events (never polled), each route
 * classified by {@link RouteInspector} (with the registered {@link RouteClassifier}s, e.g. the enforcement engine's)
 * and coloured by class; a filter by class and text; and a timeline of every change. Uses the best usable backend
 * and says which one it shows, and why the simulated one when the live one cannot run here.
 */
public class InspectorPart {
    public static final String ID = "crew.ui.inspector.part";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    static final Map<RouteClass, RGB> COLORS = new EnumMap<>(Map.of(
            RouteClass.PROTECTED, new RGB(204, 238, 204),
            RouteClass.CONFLICTING, new RGB(255, 204, 204),
            RouteClass.TUNNEL, new RGB(214, 230, 255),
            RouteClass.IGNORED_RANGE, new RGB(235, 235, 235),
            RouteClass.LOCAL, new RGB(245, 240, 225),
            RouteClass.OTHER, new RGB(255, 255, 255)));

    @Inject @Optional RoutingBackends backends;

    private Display display;
    private Label source;
    /** A classifier that threw: which, its bundle and why (hidden while every classifier works). */
    private Label problems;
    private Combo classFilter;
    private Button mainOnly;
    private RowTable routes;
    private RowTable timeline;
    private final List<RowTable.Row> events = new ArrayList<>();
    /** Guarded by itself: written on the backend's event thread, read on the UI thread. */
    private final Map<String, DeviceRoute> table = new LinkedHashMap<>();
    private final List<RoutingEvent> early = new ArrayList<>();
    private boolean loaded;
    private boolean refreshPending;
    private Subscription subscription;
    private RoutingBackend shown;
    private RouteInspector inspector = new RouteInspector(List.of());
    private final List<RouteClassifier> extraClassifiers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Enforcement events of in-process sessions, as an audit sink service while the inspector is open. */
    private final EnforcementEventSink enforcementSink = this::onEnforcement;
    private ServiceRegistration<EnforcementEventSink> sinkRegistration;

    @PostConstruct
    public void createControls(Composite parent) {
        display = parent.getDisplay();
        parent.setLayout(new GridLayout(4, false));
        source = new Label(parent, SWT.WRAP);
        source.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 4, 1));
        problems = new Label(parent, SWT.WRAP);
        GridData problemsData = new GridData(SWT.FILL, SWT.TOP, true, false, 4, 1);
        problemsData.exclude = true;
        problems.setLayoutData(problemsData);
        problems.setVisible(false);
        problems.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
        new Label(parent, SWT.NONE).setText("&Class:");
        classFilter = new Combo(parent, SWT.READ_ONLY);
        classFilter.add("All classes");
        for (RouteClass c : RouteClass.values()) {
            classFilter.add(c.name());
        }
        classFilter.select(0);
        classFilter.addListener(SWT.Selection, e -> refresh());
        mainOnly = new Button(parent, SWT.CHECK);
        mainOnly.setText("&Main table only (what CRE watches)");
        mainOnly.addListener(SWT.Selection, e -> refresh());
        Label legend = new Label(parent, SWT.NONE);
        legend.setText("green protected, red conflicting, blue tunnel, grey ignored range, beige local");
        SashForm sash = new SashForm(parent, SWT.HORIZONTAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 4, 1));
        routes = new RowTable(sash, "Destination", "Gateway", "Interface", "Metric", "Table", "Protocol", "Class", "Reason");
        routes.setEmptyMessage("Reading the routing table ...");
        timeline = new RowTable(sash, "Time", "Change", "Route");
        timeline.setEmptyMessage("No changes since the inspector started. Add or delete a route (ip route add ...) to see it here.");
        sash.setWeights(65, 35);
        var bundle = FrameworkUtil.getBundle(InspectorPart.class);
        if (bundle != null && bundle.getBundleContext() != null) {
            sinkRegistration = bundle.getBundleContext().registerService(EnforcementEventSink.class, enforcementSink, null);
        }
        if (backends == null) {
            source.setText("No routing service is installed (crew.routing.api): nothing to inspect.");
            return;
        }
        source.setText("Looking for a usable routing backend ...");
        RoutingBackends available = backends;
        // capabilities() may load native code (JNA) and open sockets: not on the UI thread
        Job.create("Choosing a routing backend", monitor -> {
            java.util.Optional<RoutingBackend> best = available.best();
            if (best.isEmpty()) {
                String text = "No usable routing backend here. " + describeAll(available.all());
                display.asyncExec(() -> {
                    if (!source.isDisposed()) {
                        source.setText(text);
                    }
                });
                return Status.OK_STATUS;
            }
            String why = !"sim".equals(best.get().platform()) ? "" : " The live backend is not usable here: "
                    + describeAll(available.all().stream().filter(b -> !"sim".equals(b.platform())).toList());
            best.get().capabilities();
            display.asyncExec(() -> {
                if (!source.isDisposed()) {
                    start(best.get(), why);
                }
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    private static String describeAll(Collection<RoutingBackend> list) {
        if (list.isEmpty()) {
            return "no live backend is installed for this OS.";
        }
        StringBuilder sb = new StringBuilder();
        for (RoutingBackend b : list) {
            sb.append(b.platform()).append(": ").append(b.capabilities().description()).append(". ");
        }
        return sb.toString().trim();
    }

    /** The sink that puts enforcement events on the timeline (registered as a service while the part is open). */
    public EnforcementEventSink enforcementSink() {
        return enforcementSink;
    }

    /** Adds a classifier (e.g. an enforcement session that says which routes it protects) and reclassifies. */
    public void addClassifier(RouteClassifier classifier) {
        extraClassifiers.add(classifier);
        List<RouteClassifier> all = new ArrayList<>(extraClassifiers);
        all.addAll(classifiers());
        inspector = new RouteInspector(all);
        scheduleRefresh();
    }

    private void onEnforcement(EnforcementEvent event) {
        String time = LocalTime.ofInstant(event.time(), java.time.ZoneId.systemDefault()).format(TIME);
        String change = "enforcement: " + event.kind().name().toLowerCase().replace('_', ' ');
        String what = (event.route() == null ? "" : event.route()) + (event.detail() == null ? "" : "  (" + event.detail() + ")");
        RGB color = switch (event.kind()) {
            case CONFLICT_DETECTED, FIGHT, ERROR -> new RGB(255, 204, 204);
            case ROUTE_REMOVED, PROTECTED_ROUTE_RESTORED, RULE_REMOVED -> new RGB(255, 236, 179);
            default -> new RGB(204, 238, 204);
        };
        display.asyncExec(() -> {
            if (!timeline.table().isDisposed()) {
                events.add(0, RowTable.Row.of(event, time, change, what).colored(color, event.sessionId() + ": " + what));
                timeline.setRows(events);
            }
        });
        scheduleRefresh();
    }

    /** Shows {@code backend}: subscribes first, then reads the table in a job, so no change falls between the two. */
    public void start(RoutingBackend backend, String note) {
        stop();
        shown = backend;
        List<RouteClassifier> known = new ArrayList<>(extraClassifiers);
        known.addAll(classifiers());
        inspector = new RouteInspector(known);
        boolean simulated = "sim".equals(backend.platform());
        source.setText((simulated ? "Showing the SIMULATED routing table: " : "Showing this device's routing table, live ("
                + backend.platform() + "): ") + backend.capabilities().description() + "." + (note == null ? "" : " " + note));
        source.getParent().layout(true);
        synchronized (table) {
            table.clear();
            early.clear();
            loaded = false;
        }
        try {
            subscription = backend.subscribe(this::onEvent);
        } catch (RoutingException e) {
            source.setText(source.getText() + " Live updates unavailable: " + e.getMessage());
        }
        Job read = Job.create("Reading the routing table (" + backend.platform() + ")", monitor -> {
            try {
                List<DeviceRoute> all = backend.routes();
                synchronized (table) {
                    for (DeviceRoute r : all) {
                        table.put(r.key(), r);
                    }
                    loaded = true;
                    for (RoutingEvent e : early) {
                        apply(e);
                    }
                    early.clear();
                }
                scheduleRefresh();
                return Status.OK_STATUS;
            } catch (RoutingException e) {
                display.asyncExec(() -> routes.setEmptyMessage("Cannot read the routing table: " + e.getMessage()));
                return Status.warning("Cannot read the routing table: " + e.getMessage());
            }
        });
        read.setSystem(false);
        read.schedule();
    }

    /** On the backend's event thread: update the table, queue the timeline entry, refresh the UI once. */
    private void onEvent(RoutingEvent event) {
        String change;
        String what;
        if (event instanceof RoutingEvent.RouteAdded a) {
            change = "route added";
            what = a.route().toString();
        } else if (event instanceof RoutingEvent.RouteRemoved r) {
            change = "route removed";
            what = r.route().toString();
        } else if (event instanceof RoutingEvent.Overrun o) {
            change = "events lost, table re-read";
            what = o.reason();
        } else if (event instanceof RoutingEvent.RuleAdded r) {
            change = "policy rule added";
            what = r.rule().toString();
        } else if (event instanceof RoutingEvent.RuleRemoved r) {
            change = "policy rule removed";
            what = r.rule().toString();
        } else if (event instanceof RoutingEvent.LinkChanged l) {
            change = l.removed() ? "link removed" : l.up() ? "link up" : "link down";
            what = l.name();
        } else if (event instanceof RoutingEvent.AddressAdded a) {
            change = "address added";
            what = a.address() + "/" + a.prefixLength();
        } else if (event instanceof RoutingEvent.AddressRemoved a) {
            change = "address removed";
            what = a.address() + "/" + a.prefixLength();
        } else {
            change = "change";
            what = event.toString();
        }
        synchronized (table) {
            if (loaded) {
                apply(event);
            } else {
                early.add(event);
            }
        }
        String time = LocalTime.now().format(TIME);
        RGB color = event instanceof RoutingEvent.RouteAdded ? new RGB(230, 245, 230)
                : event instanceof RoutingEvent.RouteRemoved ? new RGB(250, 232, 232) : null;
        display.asyncExec(() -> {
            if (!timeline.table().isDisposed()) {
                events.add(0, RowTable.Row.of(event, time, change, what).colored(color, what));
                timeline.setRows(events);
            }
        });
        scheduleRefresh();
    }

    private void apply(RoutingEvent event) {
        if (event instanceof RoutingEvent.RouteAdded a) {
            table.put(a.route().key(), a.route());
        } else if (event instanceof RoutingEvent.RouteRemoved r) {
            table.remove(r.route().key());
        } else if (event instanceof RoutingEvent.Overrun o) {
            table.clear();
            for (DeviceRoute route : o.routes()) {
                table.put(route.key(), route);
            }
        }
    }

    /** Coalesces a burst of events into one table refresh. */
    private void scheduleRefresh() {
        synchronized (table) {
            if (refreshPending) {
                return;
            }
            refreshPending = true;
        }
        if (!display.isDisposed()) {
            display.asyncExec(this::refresh);
        }
    }

    private void refresh() {
        List<DeviceRoute> snapshot;
        synchronized (table) {
            refreshPending = false;
            snapshot = List.copyOf(table.values());
        }
        if (routes.table().isDisposed()) {
            return;
        }
        String only = classFilter.getSelectionIndex() <= 0 ? null : classFilter.getText();
        List<RowTable.Row> rows = new ArrayList<>();
        for (ClassifiedRoute c : inspector.classify(snapshot)) {
            DeviceRoute r = c.route();
            if ((only != null && !c.routeClass().name().equals(only)) || (mainOnly.getSelection() && !r.inMainTable())) {
                continue;
            }
            rows.add(new RowTable.Row(List.of(r.destination().toString(), r.gateway() == null ? "" : r.gateway().toString(),
                    r.interfaceName() == null ? "" : r.interfaceName(), String.valueOf(r.metric()), tableName(r.table()),
                    r.protocol() == null ? "" : r.protocol(), c.routeClass().name(), c.reason()), COLORS.get(c.routeClass()),
                    r + "\n" + c.routeClass() + ": " + c.reason(), c));
        }
        routes.setEmptyMessage(snapshot.isEmpty() ? "The routing table is empty." : "No route matches the class filter.");
        routes.setRows(rows);
        showProblems(inspector.failures());
    }

    /** One line per classifier that threw: the table is classified without it, and the user sees which and why. */
    private void showProblems(List<RouteInspector.ClassifierFailure> failures) {
        StringBuilder text = new StringBuilder();
        for (RouteInspector.ClassifierFailure f : failures) {
            text.append(text.length() == 0 ? "" : "\n").append("Problem: ").append(f.message())
                    .append(". Remove or fix the plugin (crew plugin list).");
        }
        boolean show = !failures.isEmpty();
        if (show == problems.getVisible() && text.toString().equals(problems.getText())) {
            return;
        }
        problems.setText(text.toString());
        problems.setToolTipText(show ? text.toString() : null);
        problems.setVisible(show);
        ((GridData) problems.getLayoutData()).exclude = !show;
        problems.getParent().layout(true);
    }

    private static String tableName(int id) {
        return id == DeviceRoute.MAIN_TABLE ? "main" : id == DeviceRoute.LOCAL_TABLE ? "local" : String.valueOf(id);
    }

    /** The registered classifiers, best service ranking first. */
    private static List<RouteClassifier> classifiers() {
        List<RouteClassifier> list = new ArrayList<>();
        var bundle = FrameworkUtil.getBundle(InspectorPart.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            return list;
        }
        try {
            List<ServiceReference<RouteClassifier>> refs = new ArrayList<>(context.getServiceReferences(RouteClassifier.class, null));
            refs.sort(java.util.Collections.reverseOrder());
            for (ServiceReference<RouteClassifier> ref : refs) {
                RouteClassifier c = context.getService(ref);
                if (c != null) {
                    list.add(c);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // null filter
        }
        return list;
    }

    @PreDestroy
    public void dispose() {
        stop();
        if (sinkRegistration != null) {
            sinkRegistration.unregister();
            sinkRegistration = null;
        }
    }

    /** Ends the live subscription. */
    public void stop() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                // closing a subscription of a backend that is gone: nothing left to release
            }
            subscription = null;
        }
    }

    // for tests
    RowTable routes() {
        return routes;
    }

    RowTable timeline() {
        return timeline;
    }

    String source() {
        return source.getText();
    }

    /** The problem line's text, empty while it is hidden. */
    String problems() {
        return problems.getVisible() ? problems.getText() : "";
    }

    Label problemLabel() {
        return problems;
    }

    RoutingBackend shown() {
        return shown;
    }
}
