package crew.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentProtocol;

/**
 * The agent's framing and protocol against bad peers, over its real socket: oversized, negative and malformed
 * lengths, a header without end, 10 MB without a newline, malformed JSON, wrong types, unknown methods, calls before
 * the handshake, a foreign protocol version, a half message held past the deadline, a peer that never says hello.
 * Each gets an error or a close, and the agent still answers the next client.
 */
class AgentProtocolTest {
    private static AgentFixture agent;

    @BeforeAll
    static void start() throws Exception {
        agent = AgentFixture.start("rw-rw----", "agcrew",
                AgentServer.Limits.defaults().withDeadlines(Duration.ofMillis(1500), Duration.ofMillis(1000)));
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
    }

    private static void stillServes() throws Exception {
        try (AgentClient c = agent.client()) {
            assertTrue(c.call(AgentProtocol.STATUS, new JsonObject()).getAsJsonObject().has("agent"));
        }
    }

    @Test
    void givenAHandshake_whenStatusIsAsked_thenTheRoleAndRuleAreNamed() throws Exception {
        try (AgentClient c = agent.client()) {
            assertEquals(AgentProtocol.VERSION, c.hello().get("protocol").getAsInt());
            assertEquals("control", c.hello().get("role").getAsString(), "the test runs as root: " + c.hello());
            assertTrue(c.hello().get("rule").getAsString().contains("root"));
            JsonObject s = c.call(AgentProtocol.STATUS, new JsonObject()).getAsJsonObject();
            assertEquals(ProcessHandle.current().pid(), s.getAsJsonObject("agent").get("pid").getAsLong());
        }
    }

    @Test
    void givenContentLengthOverOneMebibyte_whenSent_thenTooLargeAndClosedBeforeTheBodyIsRead() throws Exception {
        try (AgentFixture.Raw r = agent.raw()) {
            r.hello();
            r.send("Content-Length: " + (AgentProtocol.MAX_MESSAGE_BYTES + 1) + "\r\n\r\n");
            String last = r.untilClosed(Duration.ofSeconds(5));
            assertTrue(last.contains(String.valueOf(AgentProtocol.TOO_LARGE)) && last.contains("over the limit"), last);
        }
        stillServes();
    }

    @Test
    void givenHugeNegativeOrMalformedLengths_whenSent_thenAnErrorAndAClose() throws Exception {
        for (String header : new String[] {"Content-Length: 99999999999999999999\r\n\r\n", "Content-Length: -5\r\n\r\n",
            "Content-Length: 12x\r\n\r\n", "Content-Type: json\r\n\r\n", "no colon here\r\n\r\n",
            "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"}) {
            try (AgentFixture.Raw r = agent.raw()) {
                r.send(header);
                String last = r.untilClosed(Duration.ofSeconds(5));
                assertTrue(last.contains("\"error\""), header + " -> " + last);
            }
        }
        stillServes();
    }

    @Test
    void givenTenMegabytesWithoutANewline_whenSent_thenTheHeaderLimitClosesTheConnection() throws Exception {
        try (AgentFixture.Raw r = agent.raw()) {
            byte[] junk = new byte[64 * 1024];
            java.util.Arrays.fill(junk, (byte) 'A');
            try {
                for (int i = 0; i < 160; i++) {
                    r.send(junk);
                }
            } catch (java.io.IOException e) {
                // the agent closed the connection while we were still sending: what we want
            }
            String last = r.untilClosed(Duration.ofSeconds(5));
            assertTrue(last.isEmpty() || last.contains("header over"), last);
        }
        stillServes();
    }

    @Test
    void givenMalformedJsonAndWrongTypes_whenSent_thenJsonRpcErrorsAndTheConnectionStaysUsable() throws Exception {
        try (AgentFixture.Raw r = agent.raw()) {
            r.frame("{not json");
            assertTrue(r.next(Duration.ofSeconds(5)).contains(String.valueOf(AgentProtocol.PARSE_ERROR)));
            r.frame("[1,2]");
            assertTrue(r.next(Duration.ofSeconds(5)).contains(String.valueOf(AgentProtocol.INVALID_REQUEST)));
            r.frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}");
            assertTrue(r.next(Duration.ofSeconds(5)).contains(String.valueOf(AgentProtocol.NOT_INITIALIZED)), "status before initialize");
            r.frame("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"protocol\":99}}");
            String v = r.next(Duration.ofSeconds(5));
            assertTrue(v.contains("protocol 99 is not spoken"), v);
            r.hello();
            r.frame("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"status\",\"params\":[1]}");
            assertTrue(r.next(Duration.ofSeconds(5)).contains(String.valueOf(AgentProtocol.INVALID_PARAMS)));
            r.frame("{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"status\"}");
            assertTrue(r.next(Duration.ofSeconds(5)).contains(String.valueOf(AgentProtocol.INVALID_REQUEST)));
            r.frame("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"rm -rf\"}");
            assertTrue(r.next(Duration.ofSeconds(5)).contains(String.valueOf(AgentProtocol.METHOD_NOT_FOUND)));
            r.frame("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tunnel.connect\",\"params\":{\"profileName\":7}}");
            String t = r.next(Duration.ofSeconds(5));
            assertTrue(t.contains(String.valueOf(AgentProtocol.INVALID_PARAMS)) && t.contains("profileName"), t);
            r.frame("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"status\"}");
            assertTrue(r.next(Duration.ofSeconds(5)).contains("\"result\""), "still usable");
        }
    }

    @Test
    void givenHalfAMessageHeldPastTheDeadline_whenTheAgentWaits_thenItClosesTheConnection() throws Exception {
        try (AgentFixture.Raw r = agent.raw()) {
            r.hello();
            r.send("Content-Length: 50\r\n\r\n{\"jsonrpc\":");
            long t0 = System.nanoTime();
            String last = r.untilClosed(Duration.ofSeconds(10));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(last.contains("not completed within"), last);
            assertTrue(ms >= 900 && ms < 5000, "closed after " + ms + " ms");
        }
        try (AgentFixture.Raw r = agent.raw()) {
            r.send("Content-Len");
            assertTrue(r.untilClosed(Duration.ofSeconds(10)).contains("\"error\""), "half a header");
        }
        stillServes();
    }

    @Test
    void givenAPeerThatNeverSaysHello_whenTheHandshakeDeadlinePasses_thenItIsClosed() throws Exception {
        try (AgentFixture.Raw r = agent.raw()) {
            String last = r.untilClosed(Duration.ofSeconds(10));
            assertTrue(last.contains("no initialize within"), last);
        }
    }

    @Test
    void givenAClientThatVanishesMidRequest_whenItWasHalfwayThroughALabUp_thenNothingIsCreated() throws Exception {
        try (AgentFixture.Raw r = agent.raw()) {
            r.hello();
            r.send("Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"lab.up\",\"params\":{\"id\":\"agv\"");
        }
        Thread.sleep(300);
        try (AgentClient c = agent.client()) {
            assertEquals(0, c.call(AgentProtocol.STATUS, new JsonObject()).getAsJsonObject().getAsJsonArray("labs").size());
        }
    }

    @Test
    void givenASeededFuzzOfFrames_whenSent_thenEveryOneGetsAnAnswerOrAClose_andTheAgentServesOn() throws Exception {
        long seconds = Long.getLong("crew.fuzz.seconds", 0);
        Random random = new Random(1313);
        String[] valid = {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocol\":1}}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"status\"}", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"lab.down\",\"params\":{\"id\":\"x\"}}"};
        long end = System.nanoTime() + Duration.ofSeconds(Math.max(2, seconds)).toNanos();
        int cases = 0;
        while (System.nanoTime() < end) {
            String body = valid[random.nextInt(valid.length)];
            byte[] frame = ("Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            try (AgentFixture.Raw r = agent.raw()) {
                r.send(frame);
                r.channel.shutdownOutput();
                // an answer, an error, or a close: never silence past the deadlines
                r.untilClosed(Duration.ofSeconds(5));
            }
            cases++;
        }
        System.out.println("framing fuzz: " + cases + " mutated frames");
        assertTrue(cases > 50);
        stillServes();
    }

    @Test
    void givenAControlCallWithoutItsParameter_whenMade_thenInvalidParamsComesBackAsAnAgentException() throws Exception {
        try (AgentClient c = agent.client()) {
            AgentException e = assertThrows(AgentException.class, () -> c.call(AgentProtocol.LAB_DOWN, new JsonObject()));
            assertEquals(AgentProtocol.INVALID_PARAMS, e.code(), e.getMessage());
        }
    }
}
