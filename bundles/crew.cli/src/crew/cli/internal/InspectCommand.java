package crew.cli.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.device.DeviceRoute;
import crew.routing.api.NamespaceCapable;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.Subscription;
import crew.routing.inspect.RouteClassifier;
import crew.routing.inspect.RouteInspector;
import crew.routing.inspect.RouteInspector.ClassifiedRoute;

/** {@code crew inspect}: the device's routing table, each route classified; {@code --follow} streams changes. */
@Component(service = CliCommand.class)
@Command(name = "inspect", summary = "show the device's routing table, each route classified; --follow streams changes")
public class InspectCommand implements CliCommand {

    @Reference
    RoutingBackends backends;

    private final List<RouteClassifier> classifiers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addClassifier(RouteClassifier classifier) {
        classifiers.add(classifier);
    }

    public void removeClassifier(RouteClassifier classifier) {
        classifiers.remove(classifier);
    }

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "show the device's routing table, each route classified; --follow streams changes";
    }

    @Override
    public String description() {
        return """
                Reads the routing table through the best usable routing backend (the live OS table where CREW can read
                it, else the simulated one) and classifies every route: protected by an active session, conflicting,
                tunnel, inside a range CRE ignores, local, or other. --follow prints each change as it happens, with a
                timestamp, until interrupted (Ctrl-C) or until --count events or --seconds have passed.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("backend", "NAME", "linux, macos, windows or sim (default: the best usable one)"),
                Option.value("netns", "NAME", "inspect inside a network namespace (Linux, root)"),
                Option.value("table", "main|all", "which tables to show (default all)"),
                Option.flag("follow", "stream changes until interrupted"),
                Option.value("count", "N", "with --follow: stop after N events"),
                Option.value("seconds", "S", "with --follow: stop after S seconds"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(0);
        RoutingBackend backend = chooseBackend(arguments.value("backend").orElse(null));
        String table = arguments.value("table", "all");
        if (!table.equals("all") && !table.equals("main")) {
            throw CommandException.badInput("--table must be main or all, not '" + table + "'");
        }
        RoutingBackend inNamespace = null;
        if (arguments.value("netns").isPresent()) {
            if (!(backend instanceof NamespaceCapable capable)) {
                throw new CommandException(ExitCode.UNAVAILABLE, "backend " + backend.platform() + " cannot enter a network namespace");
            }
            try {
                inNamespace = capable.inNamespace(arguments.value("netns").get());
            } catch (RoutingException e) {
                throw new CommandException(ExitCode.UNAVAILABLE, e.getMessage(), e);
            }
            backend = inNamespace;
        }
        try {
            return arguments.has("follow") ? follow(context, backend, arguments) : show(context, backend, table.equals("main"));
        } catch (RoutingException e) {
            throw new CommandException(e.isPermissionDenied() ? ExitCode.UNAVAILABLE : ExitCode.FAILED, e.getMessage(), e);
        } finally {
            if (inNamespace instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    context.err().println("crew inspect: closing the namespace backend: " + e.getMessage());
                }
            }
        }
    }

    private RoutingBackend chooseBackend(String platform) throws CommandException {
        if (platform != null) {
            RoutingBackend chosen = backends.forPlatform(platform).orElseThrow(() -> CommandException.badInput(
                    "no routing backend '" + platform + "' (available: " + backends.all().stream().map(RoutingBackend::platform).toList() + ")"));
            if (!chosen.capabilities().usable()) {
                // e.g. --backend windows on Linux: registered, but honest that it cannot work here
                throw new CommandException(ExitCode.UNAVAILABLE, "the " + platform + " routing backend is not usable here: "
                        + chosen.capabilities().description());
            }
            return chosen;
        }
        return backends.best().orElseThrow(() -> new CommandException(ExitCode.UNAVAILABLE, "no usable routing backend"));
    }

    private int show(CommandContext context, RoutingBackend backend, boolean mainOnly) throws RoutingException {
        List<DeviceRoute> routes = new ArrayList<>(backend.routes());
        if (mainOnly) {
            routes.removeIf(r -> !r.inMainTable());
        }
        RouteInspector inspector = new RouteInspector(classifiers);
        List<ClassifiedRoute> classified = inspector.classify(routes);
        // a classifier that threw was passed over: say which and why, and still show the table (exit 0)
        List<RouteInspector.ClassifierFailure> failures = inspector.failures();
        if (context.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("backend", backend.platform());
            out.put("capabilities", backend.capabilities().description());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ClassifiedRoute c : classified) {
                Map<String, Object> row = routeJson(c.route());
                row.put("class", c.routeClass().name().toLowerCase());
                row.put("reason", c.reason());
                rows.add(row);
            }
            out.put("routes", rows);
            if (!failures.isEmpty()) {
                List<Map<String, Object>> problems = new ArrayList<>();
                for (RouteInspector.ClassifierFailure f : failures) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("classifier", f.classifier());
                    p.put("bundle", f.bundle());
                    p.put("routes", f.routes());
                    p.put("problem", f.message());
                    problems.add(p);
                }
                out.put("classifierProblems", problems);
            }
            context.printJson(out);
            failures.forEach(f -> context.err().println("crew inspect: " + f.message()));
            return ExitCode.OK;
        }
        context.out().println("Routing table from the " + backend.platform() + " backend (" + backend.capabilities().description() + "), "
                + classified.size() + " routes:");
        for (ClassifiedRoute c : classified) {
            context.out().printf("  %-14s %s%n", c.routeClass().name().toLowerCase().replace('_', '-'), c.route());
        }
        failures.forEach(f -> context.err().println("crew inspect: " + f.message()));
        return ExitCode.OK;
    }

    private int follow(CommandContext context, RoutingBackend backend, Arguments arguments) throws RoutingException, CommandException {
        int count = arguments.intValue("count", Integer.MAX_VALUE);
        int seconds = arguments.intValue("seconds", Integer.MAX_VALUE);
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        RouteInspector inspector = new RouteInspector(classifiers);
        if (!context.json()) {
            context.out().println("Following routing changes on the " + backend.platform() + " backend; Ctrl-C stops.");
        }
        java.util.Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Subscription s = backend.subscribe(event -> {
            context.out().println(context.json() ? eventJson(event) : eventLine(event, inspector));
            context.out().flush();
            for (RouteInspector.ClassifierFailure f : inspector.failures()) {
                if (reported.add(f.classifier() + " " + f.bundle())) {
                    context.err().println("crew inspect: " + f.message());
                }
            }
            if (seen.incrementAndGet() >= count) {
                done.countDown();
            }
        })) {
            try {
                if (seconds == Integer.MAX_VALUE) {
                    done.await();
                } else {
                    done.await(seconds, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ExitCode.OK;
    }

    private static String eventLine(RoutingEvent event, RouteInspector inspector) {
        return Instant.now() + " " + describe(event, inspector);
    }

    /** One line for a human; Java 17 has no pattern switch, hence the instanceof chain. */
    static String describe(RoutingEvent event, RouteInspector inspector) {
        if (event instanceof RoutingEvent.RouteAdded e) {
            return "route added     " + e.route() + "  [" + inspector.classify(e.route(), List.of()).routeClass().name().toLowerCase() + "]";
        } else if (event instanceof RoutingEvent.RouteRemoved e) {
            return "route removed   " + e.route();
        } else if (event instanceof RoutingEvent.RuleAdded e) {
            return "rule added      " + e.rule();
        } else if (event instanceof RoutingEvent.RuleRemoved e) {
            return "rule removed    " + e.rule();
        } else if (event instanceof RoutingEvent.LinkChanged e) {
            return "link " + (e.removed() ? "removed" : e.up() ? "up" : "down") + "  " + e.name() + " (index " + e.index() + ")";
        } else if (event instanceof RoutingEvent.AddressAdded e) {
            return "address added   " + e.address() + "/" + e.prefixLength() + " on index " + e.interfaceIndex();
        } else if (event instanceof RoutingEvent.AddressRemoved e) {
            return "address removed " + e.address() + "/" + e.prefixLength() + " on index " + e.interfaceIndex();
        } else if (event instanceof RoutingEvent.Overrun e) {
            return "OVERRUN: " + e.reason() + "; resynchronised: " + e.routes().size() + " routes, " + e.rules().size() + " rules";
        }
        return event.toString();
    }

    private static String eventJson(RoutingEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("event", event.getClass().getSimpleName());
        if (event instanceof RoutingEvent.RouteAdded e) {
            m.put("route", routeJson(e.route()));
        } else if (event instanceof RoutingEvent.RouteRemoved e) {
            m.put("route", routeJson(e.route()));
        } else if (event instanceof RoutingEvent.RuleAdded e) {
            m.put("rule", e.rule().toString());
        } else if (event instanceof RoutingEvent.RuleRemoved e) {
            m.put("rule", e.rule().toString());
        } else if (event instanceof RoutingEvent.LinkChanged e) {
            m.put("interface", e.name());
            m.put("up", e.up());
            m.put("removed", e.removed());
        } else if (event instanceof RoutingEvent.AddressAdded e) {
            m.put("address", e.address() + "/" + e.prefixLength());
        } else if (event instanceof RoutingEvent.AddressRemoved e) {
            m.put("address", e.address() + "/" + e.prefixLength());
        } else if (event instanceof RoutingEvent.Overrun e) {
            m.put("reason", e.reason());
            m.put("routes", e.routes().size());
        }
        return new com.google.gson.Gson().toJson(m);
    }

    static Map<String, Object> routeJson(DeviceRoute r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("destination", r.destination().toString());
        row.put("gateway", r.gateway() == null ? null : r.gateway().toString());
        row.put("interface", r.interfaceName());
        row.put("metric", r.metric());
        row.put("table", r.table());
        row.put("protocol", r.protocol());
        row.put("scope", r.scope());
        row.put("type", r.type().name().toLowerCase());
        return row;
    }
}
