package crew.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentProtocol;
import crew.routing.linux.LinuxNetwork;
import crew.testing.Prerequisites;

/**
 * The agent end to end with the real kernel and the real openvpn: a user of the control group, in a process of its
 * own, brings a lab up, connects its device through the agent (sending the profile's content), attacks it and sees
 * the engine remove the route, disconnects and takes the lab down; 50 clients read status while a session connects.
 */
class AgentLabTest {
    private static TestUsers users;

    @BeforeAll
    static void prerequisites() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("openvpn", "the lab and the tunnel run the real openvpn");
        Prerequisites.requireExecutable("runuser", "the test acts as a user of the control group");
        users = TestUsers.create();
    }

    @AfterAll
    static void removeUsers() throws Exception {
        if (users != null) {
            users.close();
        }
    }

    static String design() throws Exception {
        return Files.readString(Path.of(System.getProperty("crew.examples"), "designs", "split-tunnel.crew.json"));
    }

    static JsonObject ok(String line) {
        assertTrue(line.startsWith("OK "), line);
        return JsonParser.parseString(line.substring(3)).getAsJsonObject();
    }

    @Test
    void givenAMemberOfTheControlGroup_whenItConnectsALabThroughTheAgent_thenTheTunnelIsProtectedAndEverythingIsRemovedAfter() throws Exception {
        try (AgentFixture agent = AgentFixture.start("rw-rw----", TestUsers.GROUP, AgentServer.Limits.defaults())) {
            JsonObject up = new JsonObject();
            up.addProperty("id", "agl1");
            up.addProperty("designName", "split-tunnel.crew.json");
            up.addProperty("design", design());
            Path upFile = TestUsers.privateFile(TestUsers.MEMBER, up.toString());
            List<String> first = users.probe(TestUsers.MEMBER, agent.socket.toString(), "lab.up", "@" + upFile);
            JsonObject lab = ok(first.get(1));
            String client = lab.getAsJsonObject("profiles").keySet().iterator().next();
            JsonObject connect = new JsonObject();
            connect.addProperty("profileName", client + ".ovpn");
            connect.addProperty("profile", lab.getAsJsonObject("profiles").get(client).getAsString());
            connect.addProperty("netns", lab.get("deviceNamespace").getAsString());
            connect.addProperty("enforce", "always");
            connect.addProperty("session", "agl1s");
            Path connectFile = TestUsers.privateFile(TestUsers.MEMBER, connect.toString());
            List<String> out = users.probe(TestUsers.MEMBER, agent.socket.toString(), "tunnel.connect", "@" + connectFile, "status", "{}",
                    "tunnel.attack", "{\"session\":\"agl1s\"}", "tunnel.disconnect", "{\"session\":\"agl1s\"}", "lab.down", "{\"id\":\"agl1\"}");
            String all = String.join("\n", out);
            JsonObject connected = ok(out.get(1));
            assertEquals("CONNECTED", connected.get("state").getAsString(), all);
            assertTrue(connected.get("enforced").getAsBoolean(), all);
            assertFalse(connected.getAsJsonArray("protectedRoutes").isEmpty(), all);
            assertEquals(1, ok(out.get(2)).getAsJsonArray("sessions").size(), all);
            JsonObject attack = ok(out.get(3));
            assertTrue(attack.get("removedByEngine").getAsBoolean(), all);
            assertEquals(0, ok(out.get(4)).getAsJsonArray("problems").size(), all);
            assertEquals(0, ok(out.get(5)).getAsJsonArray("problems").size(), all);
            for (String ns : LinuxNetwork.namespaces()) {
                assertFalse(ns.startsWith("crew-agl1"), "left behind: " + ns);
            }
            Files.deleteIfExists(upFile);
            Files.deleteIfExists(connectFile);
        }
    }

    @Test
    void givenALabAndSessionRootStarted_whenAMemberOfTheGroupTriesToEndThem_thenTheAgentRefusesNamingTheOwner() throws Exception {
        try (AgentFixture agent = AgentFixture.start(); AgentClient root = agent.client()) {
            JsonObject up = new JsonObject();
            up.addProperty("id", "agl4");
            up.addProperty("designName", "split-tunnel.crew.json");
            up.addProperty("design", design());
            JsonObject lab = root.call(AgentProtocol.LAB_UP, up).getAsJsonObject();
            String client = lab.getAsJsonObject("profiles").keySet().iterator().next();
            JsonObject connect = new JsonObject();
            connect.addProperty("profileName", client + ".ovpn");
            connect.addProperty("profile", lab.getAsJsonObject("profiles").get(client).getAsString());
            connect.addProperty("netns", lab.get("deviceNamespace").getAsString());
            connect.addProperty("session", "agl4s");
            root.call(AgentProtocol.TUNNEL_CONNECT, connect);
            List<String> out = users.probe(TestUsers.MEMBER, agent.socket.toString(), "tunnel.disconnect", "{\"session\":\"agl4s\"}",
                    "tunnel.attack", "{\"session\":\"agl4s\"}", "lab.profile", "{\"id\":\"agl4\"}", "lab.down", "{\"id\":\"agl4\"}");
            String all = String.join("\n", out);
            assertTrue(out.get(0).contains("\"role\":\"control\""), all);
            String[] what = {"tunnel.disconnect", "tunnel.attack", "lab.profile", "lab.down"};
            for (int i = 1; i <= 4; i++) {
                assertTrue(out.get(i).startsWith("ERROR") && out.get(i).contains("\"code\":-32000") && out.get(i).contains(what[i - 1] + " refused for agmember")
                        && out.get(i).contains("only root and the user who started") && out.get(i).contains("(root (uid 0))"), all);
            }
            JsonObject status = root.call(AgentProtocol.STATUS, new JsonObject()).getAsJsonObject();
            assertEquals("CONNECTED", status.getAsJsonArray("sessions").get(0).getAsJsonObject().get("state").getAsString(), "still runs: " + status);
            assertEquals("root (uid 0)", status.getAsJsonArray("labs").get(0).getAsJsonObject().get("owner").getAsString(), status.toString());
            // its owner (root here) ends both
            root.call(AgentProtocol.LAB_DOWN, up);
            assertEquals(0, root.call(AgentProtocol.STATUS, new JsonObject()).getAsJsonObject().getAsJsonArray("sessions").size());
            for (String ns : LinuxNetwork.namespaces()) {
                assertFalse(ns.startsWith("crew-agl4"), "left behind: " + ns);
            }
        }
    }

    @Test
    void givenFiftyClientsReadingStatus_whenASessionConnects_thenTheAgentStaysResponsive() throws Exception {
        try (AgentFixture agent = AgentFixture.start(); AgentClient root = agent.client()) {
            JsonObject up = new JsonObject();
            up.addProperty("id", "agl2");
            up.addProperty("designName", "split-tunnel.crew.json");
            up.addProperty("design", design());
            JsonObject lab = root.call(AgentProtocol.LAB_UP, up).getAsJsonObject();
            try {
                String client = lab.getAsJsonObject("profiles").keySet().iterator().next();
                JsonObject connect = new JsonObject();
                connect.addProperty("profileName", client + ".ovpn");
                connect.addProperty("profile", lab.getAsJsonObject("profiles").get(client).getAsString());
                connect.addProperty("netns", lab.get("deviceNamespace").getAsString());
                connect.addProperty("session", "agl2s");
                List<AgentClient> readers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    readers.add(agent.client());
                }
                List<Long> micros = Collections.synchronizedList(new ArrayList<>());
                List<Throwable> errors = new CopyOnWriteArrayList<>();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger events = new AtomicInteger();
                root.subscribe(e -> events.incrementAndGet());
                List<Thread> threads = new ArrayList<>();
                for (AgentClient r : readers) {
                    Thread t = new Thread(() -> {
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            try {
                                r.call(AgentProtocol.STATUS, new JsonObject());
                            } catch (Exception e) {
                                errors.add(e);
                                return;
                            }
                            micros.add((System.nanoTime() - t0) / 1000);
                        }
                    });
                    t.start();
                    threads.add(t);
                }
                JsonObject s = root.call(AgentProtocol.TUNNEL_CONNECT, connect).getAsJsonObject();
                stop.set(true);
                for (Thread t : threads) {
                    t.join(10_000);
                }
                readers.forEach(AgentClient::close);
                assertEquals("CONNECTED", s.get("state").getAsString());
                assertTrue(errors.isEmpty(), "status errors: " + errors);
                List<Long> sorted = new ArrayList<>(micros);
                Collections.sort(sorted);
                long p50 = sorted.get(sorted.size() / 2);
                long p99 = sorted.get((int) (sorted.size() * 0.99));
                long max = sorted.get(sorted.size() - 1);
                System.out.printf("50 status clients during a connect: %d calls, p50 %d us, p99 %d us, max %d us; %d events%n", sorted.size(), p50, p99,
                        max, events.get());
                assertTrue(sorted.size() > 500, "only " + sorted.size() + " status calls answered while connecting");
                assertTrue(max < 2_000_000, "a status call took " + max + " us");
                assertTrue(events.get() > 0, "no events while connecting");
                root.call(AgentProtocol.TUNNEL_DISCONNECT, new JsonObject());
            } finally {
                JsonObject down = new JsonObject();
                down.addProperty("id", "agl2");
                root.call(AgentProtocol.LAB_DOWN, down);
            }
        }
    }

    @Test
    void givenALabTiedToItsClient_whenTheClientVanishes_thenTheAgentTakesTheLabDown() throws Exception {
        try (AgentFixture agent = AgentFixture.start()) {
            JsonObject up = new JsonObject();
            up.addProperty("id", "agl4");
            up.addProperty("designName", "split-tunnel.crew.json");
            up.addProperty("design", design());
            up.addProperty("tied", true);
            AgentClient c = agent.client();
            c.call(AgentProtocol.LAB_UP, up);
            assertTrue(LinuxNetwork.namespaces().contains("crew-agl4-dev"));
            c.close(); // what kill -9 of crew lab up does to the connection
            long end = System.nanoTime() + 30_000_000_000L;
            while (LinuxNetwork.namespaces().stream().anyMatch(n -> n.startsWith("crew-agl4")) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertTrue(LinuxNetwork.namespaces().stream().noneMatch(n -> n.startsWith("crew-agl4")), "the lab outlived its client");
            try (AgentClient other = agent.client()) {
                assertEquals(0, other.call(AgentProtocol.STATUS, new JsonObject()).getAsJsonObject().getAsJsonArray("labs").size());
            }
        }
    }
}
