package crew.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import crew.cli.CommandContext;
import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEventSink;
import crew.enforce.internal.StreamedEvents;

/**
 * The client side of the agent: an enforcement event as the agent streams it (AgentEngine's JSON) reaches the
 * client's registered sinks as the engine's own event; a sink that throws is skipped and reported once.
 */
class ViaAgentSinksTest {

    private static JsonObject agentEvent(String kind, String route, String detail) {
        JsonObject e = new JsonObject();
        e.addProperty("type", "enforcement");
        e.addProperty("session", "lab-user");
        e.addProperty("kind", kind);
        if (route == null) {
            e.add("route", JsonNull.INSTANCE);
        } else {
            e.addProperty("route", route);
        }
        e.addProperty("detail", detail);
        e.addProperty("time", "2026-12-07T23:50:01.123456Z");
        return e;
    }

    @Test
    void givenAThrowingSinkBeforeAWorkingOne_whenTheAgentStreamsEvents_thenTheWorkingOneGetsEachAndTheThrowingOneIsReportedOnce() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Path.of("."), false);
        List<EnforcementEvent> got = new ArrayList<>();
        EnforcementEventSink throwing = e -> {
            throw new IllegalStateException("sink bug");
        };
        EnforcementEventSink recording = got::add;
        EnforcementEventSink sinks = StreamedEvents.toEach(List.of(throwing, recording), "crew tunnel", ctx.err()::println);
        ViaAgent.deliver(sinks, agentEvent("ROUTE_REMOVED", "10.0.5.0/24 via 10.99.0.1 dev veth0", "conflicts with protected 10.0.0.0/16"), "lab-user", ctx);
        ViaAgent.deliver(sinks, agentEvent("SESSION_STOPPED", null, null), "lab-user", ctx);

        assertEquals(2, got.size());
        EnforcementEvent removed = got.get(0);
        assertEquals(Instant.parse("2026-12-07T23:50:01.123456Z"), removed.time());
        assertEquals("lab-user", removed.sessionId());
        assertEquals(EnforcementEvent.Kind.ROUTE_REMOVED, removed.kind());
        assertEquals("10.0.5.0/24 via 10.99.0.1 dev veth0", removed.route());
        assertEquals(List.of(EnforcementEvent.TAG, "route-removed"), removed.tags());
        assertNull(got.get(1).route());
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().filter(l -> l.contains("threw and is skipped")).count(), text);
        assertTrue(text.contains("java.lang.IllegalStateException: sink bug"), text);
    }

    @Test
    void givenAnEventOfAKindThisClientDoesNotKnow_whenDelivered_thenItIsNamedAndNoSinkIsCalled() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Path.of("."), false);
        List<EnforcementEvent> got = new ArrayList<>();
        ViaAgent.deliver(StreamedEvents.toEach(List.of(got::add), "crew tunnel", ctx.err()::println), agentEvent("FROM_A_NEWER_AGENT", null, null), "lab-user", ctx);
        assertTrue(got.isEmpty());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("an enforcement event from the agent was not understood"), err.toString(StandardCharsets.UTF_8));
    }
}
