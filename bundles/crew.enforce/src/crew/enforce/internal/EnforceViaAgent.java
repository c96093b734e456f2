package crew.enforce.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentProtocol;
import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;

/**
 * {@code crew enforce} as a client of the agent: the options go to the agent, which runs the engine as root for as
 * long as this command runs (the session is tied to its connection); events are printed as in-process.
 */
final class EnforceViaAgent {

    private EnforceViaAgent() {
    }

    /** The agent when one runs; empty when none runs and the caller is root; otherwise exit 3 saying how to start one. */
    static Optional<AgentClient> agent() throws CommandException {
        try {
            return AgentClient.forCommand("crew enforce", AgentClient.callerIsRoot());
        } catch (AgentException e) {
            throw new CommandException(ExitCode.UNAVAILABLE, "the agent refused the handshake: " + e.getMessage());
        } catch (IOException e) {
            throw new CommandException(ExitCode.UNAVAILABLE, e.getMessage());
        }
    }

    /** Runs the session in the agent; its events also go to {@code sinks}, this process's registered event sinks. */
    static int run(AgentClient c, CommandContext context, Arguments arguments, java.util.List<crew.enforce.EnforcementEventSink> sinks)
            throws CommandException {
        if (arguments.value("journal").isPresent() || arguments.value("backend").isPresent()) {
            throw CommandException.badInput("--journal and --backend: the agent keeps its own journals on its own backend (docs/agent.md)");
        }
        String session = arguments.value("session", "crew-" + ProcessHandle.current().pid());
        JsonObject p = new JsonObject();
        p.addProperty("session", session);
        arguments.value("interface").ifPresent(v -> p.addProperty("interface", v));
        arguments.value("gateway").ifPresent(v -> p.addProperty("gateway", v));
        p.add("protect", array(arguments, "protect"));
        p.add("exempt", array(arguments, "exempt"));
        p.add("bypass", array(arguments, "bypass"));
        p.addProperty("mode", arguments.value("mode", "aws"));
        p.addProperty("reconcileMs", arguments.intValue("reconcile", 5000));
        arguments.value("netns").ifPresent(v -> p.addProperty("netns", v));
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        PrintStream audit = null;
        try {
            if (arguments.value("audit").isPresent()) {
                audit = new PrintStream(Files.newOutputStream(context.resolve(arguments.value("audit").get()), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
            }
            PrintStream auditOut = audit;
            crew.enforce.EnforcementEventSink toSinks = StreamedEvents.toEach(sinks, "crew enforce", context.err()::println);
            c.subscribe(e -> {
                if (!session.equals(text(e, "session"))) {
                    return;
                }
                if (text(e, "type").equals("enforcement")) {
                    context.out().println(text(e, "time") + " " + text(e, "kind").toLowerCase().replace('_', '-')
                            + (text(e, "route").isEmpty() ? "" : " " + text(e, "route")) + (text(e, "detail").isEmpty() ? "" : "  (" + text(e, "detail") + ")"));
                    if (auditOut != null) {
                        auditOut.println(e);
                    }
                    StreamedEvents.handOver(e, session, toSinks, "crew enforce", context.err()::println);
                } else if (text(e, "type").equals("enforce.state")) {
                    stopped.complete(null);
                }
            });
            Thread hook = new Thread(() -> stop(c, session), "crew-enforce-agent-shutdown");
            c.call(AgentProtocol.ENFORCE_START, p);
            Runtime.getRuntime().addShutdownHook(hook);
            int seconds = arguments.intValue("seconds", Integer.MAX_VALUE);
            try {
                if (seconds == Integer.MAX_VALUE) {
                    CompletableFuture.anyOf(stopped, c.closed()).get();
                } else {
                    CompletableFuture.anyOf(stopped, c.closed()).get(seconds, TimeUnit.SECONDS);
                }
            } catch (TimeoutException e) {
                // time is up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // the connection ended
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                return ExitCode.OK;
            }
            if (stopped.isDone()) {
                return ExitCode.OK;
            }
            JsonObject r = c.call(AgentProtocol.ENFORCE_STOP, session(session)).getAsJsonObject();
            JsonArray problems = r.getAsJsonArray("problems");
            problems.forEach(x -> context.err().println("crew enforce: " + x.getAsString()));
            return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
        } catch (AgentException e) {
            throw new CommandException(e.code() == AgentProtocol.REFUSED ? ExitCode.UNAVAILABLE
                    : e.code() == AgentProtocol.BAD_INPUT || e.code() == AgentProtocol.INVALID_PARAMS ? ExitCode.BAD_INPUT : ExitCode.FAILED,
                    "agent: " + e.getMessage());
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, "agent: " + e.getMessage(), e);
        } finally {
            if (audit != null) {
                audit.close();
            }
        }
    }

    private static void stop(AgentClient c, String session) {
        try {
            c.call(AgentProtocol.ENFORCE_STOP, session(session), Duration.ofSeconds(30));
        } catch (Exception e) {
            // the agent stops a tied session when the connection closes anyway
        }
    }

    private static JsonObject session(String id) {
        JsonObject o = new JsonObject();
        o.addProperty("session", id);
        return o;
    }

    private static JsonArray array(Arguments arguments, String option) {
        JsonArray a = new JsonArray();
        arguments.values(option).forEach(a::add);
        return a;
    }

    private static String text(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : "";
    }
}
