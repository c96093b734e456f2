package crew.enforce.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.google.gson.JsonObject;

import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEventSink;

/**
 * Enforcement events as the privileged agent streams them to a client (its "enforcement" message: kind, time, route,
 * detail), and their delivery to the client's own sinks, as the engine delivers them in-process. Shared by the
 * clients that run sessions through the agent: {@code crew enforce}, {@code crew tunnel connect} and the workbench's
 * tunnel console.
 */
public final class StreamedEvents {
    private StreamedEvents() {
    }

    /**
     * The event of an agent's "enforcement" message for {@code session}.
     *
     * @throws RuntimeException (an unknown kind, a time that is not one) when the message is not such an event
     */
    public static EnforcementEvent parse(JsonObject e, String session) {
        EnforcementEvent.Kind kind = EnforcementEvent.Kind.valueOf(text(e, "kind"));
        return new EnforcementEvent(Instant.parse(text(e, "time")), session, kind, text(e, "route"), text(e, "detail"),
                List.of(EnforcementEvent.TAG, EnforcementEvent.tagOf(kind)));
    }

    /**
     * Hands the event of an agent's "enforcement" message for {@code session} to {@code sink}; a message this client
     * cannot read goes to no sink and is named through {@code report} (with {@code who}).
     */
    public static void handOver(JsonObject e, String session, EnforcementEventSink sink, String who, Consumer<String> report) {
        EnforcementEvent event;
        try {
            event = parse(e, session);
        } catch (RuntimeException bad) {
            report.accept(who + ": an enforcement event from the agent was not understood (" + bad.getMessage() + "): " + e);
            return;
        }
        sink.accept(event);
    }

    /** A member's text, null when it is absent or JSON null. */
    private static String text(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : null;
    }

    /**
     * A sink that hands each event to {@code sinks} in turn on the caller's thread, as the engine does in-process: a
     * sink that throws is skipped for that event and named once through {@code report} (with {@code who}, the
     * command or part that delivers), the others still get it.
     */
    public static EnforcementEventSink toEach(List<EnforcementEventSink> sinks, String who, Consumer<String> report) {
        List<EnforcementEventSink> all = List.copyOf(sinks);
        Set<EnforcementEventSink> failed = ConcurrentHashMap.newKeySet();
        return event -> {
            for (EnforcementEventSink sink : all) {
                try {
                    sink.accept(event);
                } catch (RuntimeException | LinkageError x) {
                    if (failed.add(sink)) {
                        report.accept(who + ": event sink " + sink.getClass().getName()
                                + " threw and is skipped for that event (the others still get it): " + x);
                    }
                }
            }
        };
    }
}
