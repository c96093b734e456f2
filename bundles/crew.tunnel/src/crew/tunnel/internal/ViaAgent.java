package crew.tunnel.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentProtocol;
import crew.agent.api.FastPath;
import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.enforce.internal.StreamedEvents;
import crew.tunnel.SessionRecord;
import crew.tunnel.TunnelOptions;

/**
 * The tunnel and lab commands as clients of the agent: when an agent runs they send it what they read (a profile's
 * or a design's content, never a path) and print what it answers and reports; they run in-process only when the
 * caller is root and no agent runs.
 */
final class ViaAgent {

    private ViaAgent() {
    }

    /**
     * The agent when one runs. Empty when none runs and this process may work in-process (root, or a read-only
     * command); otherwise a CommandException saying how to start one.
     */
    static Optional<AgentClient> agent(CommandContext context, String command, boolean readOnly) throws CommandException {
        return agentFor("crew " + command, readOnly || AgentClient.callerIsRoot());
    }

    /** {@link AgentClient#forCommand} with its failures as the command's (exit 3). */
    static Optional<AgentClient> agentFor(String command, boolean inProcessAllowed) throws CommandException {
        Optional<AgentClient> c;
        try {
            c = AgentClient.forCommand(command, inProcessAllowed);
        } catch (AgentException e) {
            throw new CommandException(ExitCode.UNAVAILABLE, "the agent refused the handshake: " + e.getMessage());
        } catch (IOException e) {
            throw new CommandException(ExitCode.UNAVAILABLE, e.getMessage());
        }
        if (c.isEmpty() && FastPath.active()) {
            // the crew command's fast path has no framework to work in-process with: the launcher runs this in one
            throw new CommandException(FastPath.NOT_ANSWERED, "no agent runs: " + command + " runs in the framework");
        }
        return c;
    }

    /** A call whose error becomes the command's error with the matching exit code. */
    static JsonObject call(AgentClient c, String method, JsonObject params) throws CommandException {
        try {
            JsonElement r = c.call(method, params);
            return r != null && r.isJsonObject() ? r.getAsJsonObject() : new JsonObject();
        } catch (AgentException e) {
            int code = switch (e.code()) {
                case AgentProtocol.REFUSED -> ExitCode.UNAVAILABLE;
                case AgentProtocol.BAD_INPUT, AgentProtocol.INVALID_PARAMS -> ExitCode.BAD_INPUT;
                case AgentProtocol.INTERNAL_ERROR -> ExitCode.INTERNAL;
                default -> ExitCode.FAILED;
            };
            throw new CommandException(code, "agent: " + e.getMessage());
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "agent: " + e.getMessage(), e);
        }
    }

    // ---- tunnel ----

    /**
     * Connects through the agent. The enforcement events it streams for the session are printed, appended to
     * --audit, and handed to {@code sinks}, this process's registered {@link crew.enforce.EnforcementEventSink}s
     * (the plugins' event sinks run in the client, the user's process, never in the root agent).
     */
    static int connect(AgentClient c, CommandContext context, Arguments arguments, Path profileFile, String session,
            List<crew.enforce.EnforcementEventSink> sinks) throws CommandException {
        if (arguments.value("openvpn").isPresent()) {
            throw CommandException.badInput("--openvpn: the agent runs its own openvpn (crew agent --openvpn PATH)");
        }
        JsonObject p = new JsonObject();
        p.addProperty("profileName", profileFile.getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "_"));
        try {
            p.addProperty("profile", crew.model.io.TextFiles.read(profileFile));
        } catch (IOException e) {
            throw CommandException.badInput("cannot read the profile " + profileFile + ": " + crew.model.io.TextFiles.reason(e));
        } catch (crew.model.io.SourceFormatException e) {
            throw CommandException.badInput("the profile " + e.getMessage()); // not text: the file and byte offset
        }
        p.addProperty("session", session);
        arguments.value("netns").ifPresent(v -> p.addProperty("netns", v));
        p.addProperty("enforce", arguments.value("enforce", "as-pushed"));
        p.addProperty("mode", arguments.value("mode", "aws"));
        p.addProperty("timeoutSeconds", arguments.intValue("timeout", 30));
        arguments.value("username").ifPresent(v -> p.addProperty("username", v));
        secret(arguments, "password-env").ifPresent(v -> p.addProperty("password", v));
        secret(arguments, "key-passphrase-env").ifPresent(v -> p.addProperty("keyPassphrase", v));
        p.addProperty("tied", true);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        java.io.PrintStream audit = null;
        try {
            if (arguments.value("audit").isPresent()) {
                audit = new java.io.PrintStream(Files.newOutputStream(context.resolve(arguments.value("audit").get()),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw CommandException.badInput("--audit: " + e.getMessage());
        }
        java.io.PrintStream auditOut = audit;
        try {
            crew.enforce.EnforcementEventSink toSinks = StreamedEvents.toEach(sinks, "crew tunnel", context.err()::println);
            StateLines states = new StateLines(context.out());
            c.subscribe(e -> {
                if (!session.equals(text(e, "session"))) {
                    return;
                }
                switch (text(e, "type")) {
                    case "tunnel.state" -> {
                        states.print(text(e, "since"), text(e, "state"), text(e, "detail"));
                        if (text(e, "state").equals("DISCONNECTED") || text(e, "state").equals("FAILED")) {
                            ended.complete(null);
                        }
                    }
                    case "enforcement" -> {
                        context.out().println(text(e, "time") + " " + text(e, "kind").toLowerCase().replace('_', '-')
                                + (text(e, "route").isEmpty() ? "" : " " + text(e, "route")) + (text(e, "detail").isEmpty() ? "" : "  (" + text(e, "detail") + ")"));
                        if (auditOut != null) {
                            auditOut.println(e);
                        }
                        deliver(toSinks, e, session, context);
                    }
                    default -> {
                    }
                }
            });
        } catch (AgentException | IOException e) {
            throw new CommandException(ExitCode.FAILED, "agent: subscribing to events: " + e.getMessage());
        }
        // Ctrl-C ends the session: the agent disconnects it when this connection closes (tied), and we ask it outright
        Thread hook = new Thread(() -> {
            try {
                JsonObject d = new JsonObject();
                d.addProperty("session", session);
                c.call(AgentProtocol.TUNNEL_DISCONNECT, d, java.time.Duration.ofSeconds(30));
            } catch (Exception e) {
                // the agent ends a tied session when the connection closes anyway
            }
        }, "crew-tunnel-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            JsonObject s = call(c, AgentProtocol.TUNNEL_CONNECT, p);
            context.out().println("connected through the agent in " + (s.has("connectMillis") ? Math.round(s.get("connectMillis").getAsDouble()) + " ms" : "?")
                    + "; protected routes:");
            s.getAsJsonArray("protectedRoutes").forEach(r -> context.out().println("  " + r.getAsString()));
            if (!await(CompletableFuture.anyOf(ended, c.closed()), arguments.intValue("seconds", Integer.MAX_VALUE))) {
                return ExitCode.OK;
            }
            if (c.closed().isDone() && !ended.isDone()) {
                throw new CommandException(ExitCode.FAILED, "the agent closed the connection; the session ended with it");
            }
            JsonObject d = new JsonObject();
            d.addProperty("session", session);
            JsonObject r = ended.isDone() ? new JsonObject() : call(c, AgentProtocol.TUNNEL_DISCONNECT, d);
            List<String> problems = strings(r.getAsJsonArray("problems"));
            problems.forEach(x -> context.err().println("crew tunnel: " + x));
            context.out().println("disconnected; routing table restored");
            return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs
            }
            if (auditOut != null) {
                auditOut.close();
            }
        }
    }

    /** The agent's sessions as session records (its pid as their owner). */
    static List<SessionRecord> sessions(AgentClient c) throws CommandException {
        JsonObject s = call(c, AgentProtocol.STATUS, new JsonObject());
        long pid = s.getAsJsonObject("agent").get("pid").getAsLong();
        List<SessionRecord> out = new ArrayList<>();
        for (JsonElement e : s.getAsJsonArray("sessions")) {
            JsonObject o = e.getAsJsonObject();
            out.add(new SessionRecord(text(o, "sessionId"), pid, true, text(o, "profile") + " (via the agent, for " + text(o, "owner") + ")",
                    text(o, "namespace"), text(o, "state"), text(o, "openvpnState"), text(o, "detail"), text(o, "since"), text(o, "device"),
                    o.get("enforced").getAsBoolean(), text(o, "mode"), text(o, "netGateway"), text(o, "lanInterface"), strings(o.getAsJsonArray("protectedRoutes"))));
        }
        return out;
    }

    static int disconnect(AgentClient c, CommandContext context, Arguments arguments) throws CommandException {
        JsonObject p = new JsonObject();
        if (!arguments.positionals().isEmpty()) {
            p.addProperty("session", arguments.positionals().get(0));
        }
        JsonObject r = call(c, AgentProtocol.TUNNEL_DISCONNECT, p);
        List<String> problems = strings(r.getAsJsonArray("problems"));
        problems.forEach(x -> context.err().println("crew tunnel: " + x));
        context.out().println(text(r, "session") + " disconnected; the agent restored the routing table");
        return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }

    static int attack(AgentClient c, CommandContext context, Arguments arguments) throws CommandException {
        JsonObject p = new JsonObject();
        if (!arguments.positionals().isEmpty()) {
            p.addProperty("session", arguments.positionals().get(0));
        }
        arguments.value("route").ifPresent(v -> p.addProperty("route", v));
        p.addProperty("waitMs", arguments.intValue("wait", 2000));
        p.addProperty("keep", arguments.has("keep"));
        JsonObject r = call(c, AgentProtocol.TUNNEL_ATTACK, p);
        AttackReport report;
        try {
            if (!r.has("report") || !r.get("report").isJsonObject()) {
                throw new IllegalArgumentException("the agent sent no attack report");
            }
            report = AttackReport.fromJson(r.getAsJsonObject("report"));
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCode.FAILED, "agent: " + e.getMessage() + " (an older agent? restart it with this CREW)");
        }
        return TunnelAttackCommand.print(context, report, true);
    }

    // ---- lab ----

    /** Brings a lab up in the agent, writes its client profiles into this user's own CREW home, waits, takes it down. */
    static int labUp(AgentClient c, CommandContext context, Arguments arguments, Path design, String id) throws CommandException {
        if (arguments.value("openvpn").isPresent()) {
            throw CommandException.badInput("--openvpn: the agent runs its own openvpn (crew agent --openvpn PATH)");
        }
        JsonObject p = new JsonObject();
        p.addProperty("id", id);
        p.addProperty("designName", design.getFileName().toString());
        try {
            p.addProperty("design", crew.model.io.TextFiles.read(design));
        } catch (IOException e) {
            throw CommandException.badInput("cannot read " + design + ": " + crew.model.io.TextFiles.reason(e));
        } catch (crew.model.io.SourceFormatException e) {
            throw CommandException.badInput(e.getMessage());
        }
        JsonArray clients = new JsonArray();
        arguments.values("client").forEach(clients::add);
        p.add("clients", clients);
        p.addProperty("tied", true); // the lab ends with this command, as it does in-process
        JsonObject down = new JsonObject();
        down.addProperty("id", id);
        Thread hook = new Thread(() -> {
            try {
                c.call(AgentProtocol.LAB_DOWN, down, java.time.Duration.ofSeconds(60));
            } catch (Exception e) {
                // nothing more to do while shutting down
            }
        }, "crew-lab-agent-shutdown");
        CompletableFuture<Void> removed = new CompletableFuture<>();
        try {
            c.subscribe(e -> {
                if (text(e, "type").equals("lab.state") && id.equals(text(e, "lab")) && text(e, "state").equals("DOWN")) {
                    removed.complete(null);
                }
            });
        } catch (AgentException | IOException e) {
            throw new CommandException(ExitCode.FAILED, "agent: subscribing to events: " + e.getMessage());
        }
        JsonObject lab = call(c, AgentProtocol.LAB_UP, p);
        Runtime.getRuntime().addShutdownHook(hook);
        Path dir = crew.agent.api.LabCopies.directory(TunnelOptions.crewHome(), id);
        List<Path> written;
        try {
            written = crew.agent.api.LabCopies.write(TunnelOptions.crewHome(), id, lab.getAsJsonObject("profiles"));
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "writing the lab's client profiles to " + dir + ": " + e.getMessage(), e);
        }
        context.out().println("lab " + id + " is up in the agent. Client profiles (copies for this user):");
        written.forEach(f -> context.out().println("  " + f));
        context.out().println("connect with: crew tunnel connect --netns " + text(lab, "deviceNamespace") + " " + written.get(0));
        context.out().println("Ctrl-C or 'crew lab down " + id + "' removes the lab.");
        await(CompletableFuture.anyOf(removed, c.closed()), arguments.intValue("seconds", Integer.MAX_VALUE));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return ExitCode.OK;
        }
        if (removed.isDone()) {
            context.out().println("lab " + id + " was taken down ('crew lab down')");
            return ExitCode.OK;
        }
        if (c.closed().isDone()) {
            throw new CommandException(ExitCode.FAILED, "the agent closed the connection; lab " + id + " may still be up: crew lab down " + id);
        }
        JsonObject r = call(c, AgentProtocol.LAB_DOWN, down);
        List<String> problems = strings(r.getAsJsonArray("problems"));
        problems.forEach(x -> context.err().println("crew lab: " + x));
        context.out().println("lab " + id + " removed");
        return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }

    static int labDown(AgentClient c, CommandContext context, Arguments arguments) throws CommandException {
        String id;
        if (arguments.positionals().isEmpty()) {
            JsonArray labs = call(c, AgentProtocol.STATUS, new JsonObject()).getAsJsonArray("labs");
            if (labs.size() != 1) {
                throw CommandException.badInput(labs.isEmpty() ? "no lab is up in the agent" : "several labs are up: name one");
            }
            id = text(labs.get(0).getAsJsonObject(), "id");
        } else {
            id = arguments.positionals().get(0);
        }
        JsonObject p = new JsonObject();
        p.addProperty("id", id);
        JsonObject r = call(c, AgentProtocol.LAB_DOWN, p);
        List<String> problems = strings(r.getAsJsonArray("problems"));
        problems.forEach(x -> context.err().println("crew lab: " + x));
        context.out().println("lab " + id + " removed");
        return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }

    // ---- helpers ----

    /** Hands an enforcement event the agent streamed to {@code sinks} ({@link StreamedEvents#handOver}). */
    static void deliver(crew.enforce.EnforcementEventSink sinks, JsonObject e, String session, CommandContext context) {
        StreamedEvents.handOver(e, session, sinks, "crew tunnel", context.err()::println);
    }

    /** Waits until {@code until} completes or {@code seconds} pass (MAX_VALUE: no limit); false when interrupted (Ctrl-C). */
    static boolean await(CompletableFuture<?> until, int seconds) {
        try {
            if (seconds == Integer.MAX_VALUE) {
                until.get();
            } else {
                until.get(seconds, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // time is up, or the connection ended: the caller looks at what completed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    private static Optional<String> secret(Arguments arguments, String option) throws CommandException {
        return Optional.ofNullable(TunnelConnectCommand.secret(arguments, option)).map(String::new);
    }

    static String text(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : "";
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        if (a != null) {
            a.forEach(e -> out.add(e.getAsString()));
        }
        return out;
    }
}
