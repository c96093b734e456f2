package crew.enforce.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.enforce.AuditLog;
import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEventSink;
import crew.enforce.EnforcementPolicy;
import crew.enforce.EnforcementSession;
import crew.enforce.Recovery;
import crew.enforce.SessionSpec;
import crew.enforce.SessionSpecText;
import crew.routing.api.NamespaceCapable;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.routing.api.RoutingException;

/**
 * {@code crew enforce}: protect a session described on the command line until interrupted, then restore the device;
 * {@code crew enforce --recover} restores devices after sessions that crashed.
 */
@Component(service = CliCommand.class)
@Command(name = "enforce", summary = "protect a tunnel session's routes (Client Routes Enforcement) until Ctrl-C, then restore the device")
public class EnforceCommand implements CliCommand {

    @Reference
    RoutingBackends backends;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile EnforcementPolicy policy;

    private final List<EnforcementEventSink> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addSink(EnforcementEventSink sink) {
        sinks.add(sink);
    }

    public void removeSink(EnforcementEventSink sink) {
        sinks.remove(sink);
    }

    @Override
    public String name() {
        return "enforce";
    }

    @Override
    public String summary() {
        return "protect a tunnel session's routes (Client Routes Enforcement) until Ctrl-C, then restore the device";
    }

    @Override
    public String synopsis() {
        return "--interface DEV --protect CIDR... [options]   |   crew enforce --recover [options]";
    }

    @Override
    public String description() {
        return """
                Installs a route through the tunnel device for every --protect destination, removes routes that
                conflict with them (AWS CRE semantics: more specific, or the same prefix through another gateway or
                interface; ignored ranges and --exempt (net_gateway) destinations excepted), re-asserts protected
                routes that disappear, and on exit (Ctrl-C, --seconds) restores the table it found, including the
                user's routes it removed. A write-ahead journal (--journal, default $CREW_HOME/enforce/SESSION.journal)
                lets 'crew enforce --recover' restore the device after a crash; a new session recovers orphaned
                journals first. Needs root on a live backend. Audit events go to --audit (JSON lines) and stdout.
                Modes: aws (main table only), extended (also removes policy rules that divert protected
                destinations), strict (also pins protected destinations to CREW's table with a priority-197 rule).""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("interface", "DEV", "the tunnel device (tun0)"),
                Option.value("gateway", "ADDRESS", "next hop inside the tunnel for IPv4 routes (optional)"),
                Option.repeatable("protect", "CIDR", "a destination to protect"),
                Option.repeatable("exempt", "CIDR", "a net_gateway destination: conflicts inside it are allowed"),
                Option.repeatable("bypass", "CIDR,VIA,DEV", "a route the session installs outside the tunnel (server via LAN gateway)"),
                Option.value("mode", "MODE", "aws (default), extended or strict"),
                Option.value("session", "ID", "session id (default: crew-<pid>)"),
                Option.value("backend", "NAME", "routing backend: linux or sim (default: best usable)"),
                Option.value("netns", "NAME", "work inside a network namespace (Linux)"),
                Option.value("journal", "FILE", "journal file"),
                Option.value("audit", "FILE", "append audit events (JSON lines) to FILE"),
                Option.value("reconcile", "MS", "full reconcile period in milliseconds (default 5000)"),
                Option.value("seconds", "S", "stop after S seconds instead of waiting for Ctrl-C"),
                Option.flag("recover", "restore devices after crashed sessions and exit"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        // the simulated backend changes nothing real, and --recover of a user's journal stays the user's (root's)
        if (!arguments.has("recover") && !"sim".equals(arguments.value("backend").orElse(""))) {
            java.util.Optional<crew.agent.api.AgentClient> agent = EnforceViaAgent.agent();
            if (agent.isPresent()) {
                try (crew.agent.api.AgentClient c = agent.get()) {
                    return EnforceViaAgent.run(c, context, arguments, List.copyOf(sinks));
                }
            }
        }
        RoutingBackend backend = backend(arguments);
        try {
            if (arguments.has("recover")) {
                return recover(context, arguments, backend);
            }
            return enforce(context, arguments, backend);
        } finally {
            if (backend instanceof AutoCloseable c && arguments.value("netns").isPresent()) {
                try {
                    c.close();
                } catch (Exception e) {
                    context.err().println("crew enforce: " + e.getMessage());
                }
            }
        }
    }

    private RoutingBackend backend(Arguments arguments) throws CommandException {
        RoutingBackend b = arguments.value("backend").isPresent()
                ? backends.forPlatform(arguments.value("backend").get()).orElseThrow(() -> CommandException.badInput("no routing backend '"
                        + arguments.value("backend").get() + "'"))
                : backends.best().orElseThrow(() -> new CommandException(ExitCode.UNAVAILABLE, "no usable routing backend"));
        if (arguments.value("netns").isPresent()) {
            if (!(b instanceof NamespaceCapable n)) {
                throw new CommandException(ExitCode.UNAVAILABLE, "the " + b.platform() + " backend cannot enter a network namespace");
            }
            try {
                return n.inNamespace(arguments.value("netns").get());
            } catch (RoutingException e) {
                throw new CommandException(ExitCode.UNAVAILABLE, e.getMessage(), e);
            }
        }
        return b;
    }

    private Path journalDirectory(Arguments arguments) {
        return arguments.value("journal").map(j -> Path.of(j).toAbsolutePath().getParent()).orElse(Recovery.defaultJournalDirectory());
    }

    private int recover(CommandContext context, Arguments arguments, RoutingBackend backend) throws CommandException {
        Path directory = journalDirectory(arguments);
        try {
            List<Recovery.Result> results;
            if (arguments.value("journal").isPresent()) {
                Path j = Path.of(arguments.value("journal").get());
                if (!java.nio.file.Files.exists(j)) {
                    throw CommandException.badInput("--journal " + j + ": no such file");
                }
                results = List.of(Recovery.recover(j, backend, line -> context.out().println("  " + line), true));
            } else {
                results = Recovery.recoverAll(directory, backend, line -> context.out().println("  " + line));
            }
            if (results.isEmpty()) {
                context.out().println("Nothing to recover: no journal in " + directory);
                return ExitCode.OK;
            }
            return report(context, "crew enforce --recover", results, true);
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "moving or deleting a journal: " + e.getMessage(), e);
        }
    }

    /**
     * Prints what recovery found in each journal; returns FAILED if one of this namespace could not be restored, or,
     * for --recover, if a journal had to be set aside (it may hold a change that was not undone), else OK.
     */
    private static int report(CommandContext context, String who, List<Recovery.Result> results, boolean explicit) {
        int failures = 0;
        int setAside = 0;
        boolean restored = false;
        for (Recovery.Result r : results) {
            switch (r.outcome()) {
                case RECOVERED -> {
                    restored = true;
                    context.out().println("Recovered " + r.journal() + " (" + r.message() + ")");
                }
                case NOTHING_TO_RESTORE, RUNNING, ELSEWHERE -> context.out().println((explicit ? "" : "recovery: ") + r.message());
                case SET_ASIDE -> {
                    setAside++;
                    context.err().println(who + ": " + r.message());
                }
                case FAILED -> {
                    failures++;
                    context.err().println(who + ": " + r.message());
                    r.problems().forEach(p -> context.err().println(who + ":   " + p));
                }
            }
        }
        if (explicit && !restored && failures == 0) {
            context.out().println("Nothing was restored: " + results.size() + (results.size() == 1 ? " journal" : " journals")
                    + " found, none of a crashed session in this namespace (see above)");
        }
        return failures == 0 && (!explicit || setAside == 0) ? ExitCode.OK : ExitCode.FAILED;
    }

    private int enforce(CommandContext context, Arguments arguments, RoutingBackend backend) throws CommandException {
        SessionSpec spec;
        try {
            spec = SessionSpecText.parse(arguments.value("session", "crew-" + ProcessHandle.current().pid()), arguments.value("interface").orElse(null),
                    arguments.value("gateway").orElse(null), arguments.values("protect"), arguments.values("exempt"), arguments.values("bypass"),
                    arguments.value("mode", "aws"), arguments.intValue("reconcile", 5000));
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage());
        }
        String session = spec.sessionId();
        Path journal = arguments.value("journal").map(Path::of).orElse(Recovery.defaultJournalDirectory().resolve(session + ".journal"));
        AuditLog audit = null;
        EnforcementSession s = new EnforcementSession(spec, backend, policy, journal);
        try {
            // a crashed earlier session first: never stack a new session on an unrestored table
            List<Recovery.Result> recovered = Recovery.recoverAll(journal.toAbsolutePath().getParent(), backend,
                    line -> context.out().println("recovery: " + line));
            if (report(context, "crew enforce", recovered, false) != ExitCode.OK) {
                throw new CommandException(ExitCode.FAILED, "a crashed earlier session's journal could not be restored in this namespace (see above);"
                        + " not starting on an unrestored table");
            }
            if (arguments.value("audit").isPresent()) {
                audit = new AuditLog(Path.of(arguments.value("audit").get()));
                s.addSink(audit);
            }
            sinks.forEach(s::addSink);
            s.addSink(e -> context.out().println(context.json() ? jsonLine(e) : e.time() + " " + e.kind().name().toLowerCase().replace('_', '-')
                    + (e.route() == null ? "" : " " + e.route()) + (e.detail() == null ? "" : "  (" + e.detail() + ")")));
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                List<String> problems = s.stop();
                problems.forEach(p -> context.err().println("crew enforce: " + p));
                done.countDown();
            }, "crew-enforce-shutdown");
            s.start();
            Runtime.getRuntime().addShutdownHook(hook);
            int seconds = arguments.intValue("seconds", Integer.MAX_VALUE);
            long deadline = seconds == Integer.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (s.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            List<String> problems = s.stop();
            if (!problems.isEmpty()) {
                problems.forEach(p -> context.err().println("crew enforce: " + p));
                return ExitCode.FAILED;
            }
            return ExitCode.OK;
        } catch (EnforcementSession.OverlappingSessionException e) {
            s.stop();
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        } catch (RoutingException e) {
            s.stop();
            throw new CommandException(e.isPermissionDenied() ? ExitCode.UNAVAILABLE : ExitCode.FAILED, e.getMessage(), e);
        } catch (IOException e) {
            s.stop();
            throw new CommandException(ExitCode.FAILED, "journal or audit log: " + e.getMessage()
                    + (e instanceof java.nio.file.FileAlreadyExistsException ? " (a session with this id is running or crashed: crew enforce --recover)" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.stop();
            return ExitCode.OK;
        } finally {
            if (audit != null) {
                try {
                    audit.close();
                } catch (IOException e) {
                    context.err().println("crew enforce: closing the audit log: " + e.getMessage());
                }
            }
        }
    }

    private static String jsonLine(EnforcementEvent e) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("event", e.kind().name().toLowerCase());
        m.put("route", e.route());
        m.put("detail", e.detail());
        m.put("tags", e.tags());
        return new com.google.gson.Gson().toJson(m);
    }
}
