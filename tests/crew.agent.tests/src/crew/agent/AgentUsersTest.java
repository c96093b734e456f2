package crew.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import crew.testing.Prerequisites;

/**
 * Authorization with real users (created by the test, removed after) acting through a real client process: the
 * kernel's file permissions keep outsiders off a 0660 socket; on a 0666 socket an outsider reads status but every
 * control call is refused naming the rule, before its parameters are even looked at; a member of the group controls.
 */
class AgentUsersTest {
    private static TestUsers users;

    @BeforeAll
    static void users() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("useradd", "the test creates its own users");
        Prerequisites.requireExecutable("runuser", "the test acts as those users");
        users = TestUsers.create();
    }

    @AfterAll
    static void removeUsers() throws Exception {
        if (users != null) {
            users.close();
        }
    }

    @Test
    void givenTheDefaultSocketMode_whenAUserOutsideTheGroupConnects_thenTheKernelRefusesIt_andAMemberGetsControl() throws Exception {
        try (AgentFixture agent = AgentFixture.start("rw-rw----", TestUsers.GROUP, AgentServer.Limits.defaults())) {
            List<String> outsider = users.probe(TestUsers.OUTSIDER, agent.socket.toString());
            assertTrue(outsider.size() == 1 && outsider.get(0).startsWith("UNAVAILABLE") && outsider.get(0).contains("may not connect"),
                    String.join("\n", outsider));
            List<String> member = users.probe(TestUsers.MEMBER, agent.socket.toString(), "status", "{}");
            assertTrue(member.get(0).startsWith("HELLO") && member.get(0).contains("\"role\":\"control\"")
                    && member.get(0).contains("members of group 'agcrew'"), String.join("\n", member));
            assertTrue(member.get(1).startsWith("OK") && member.get(1).contains("\"sessions\""), String.join("\n", member));
        }
    }

    @Test
    void givenAWorldReadableSocket_whenAnOutsiderCallsControlMethods_thenEachIsRefusedNamingTheRule_butStatusIsRead() throws Exception {
        try (AgentFixture agent = AgentFixture.start("rw-rw-rw-", TestUsers.GROUP, AgentServer.Limits.defaults())) {
            List<String> out = users.probe(TestUsers.OUTSIDER, agent.socket.toString(), "status", "{}", "events.subscribe", "{}",
                    "tunnel.connect", "{\"profileName\":\"x\",\"profile\":\"up /tmp/x\"}", "lab.up", "{}", "lab.down", "{\"id\":\"x\"}",
                    "tunnel.attack", "{}", "tunnel.disconnect", "{}");
            String all = String.join("\n", out);
            assertTrue(out.get(0).contains("\"role\":\"read\""), all);
            assertTrue(out.get(1).startsWith("OK") && out.get(2).startsWith("OK"), all);
            for (int i = 3; i < 8; i++) {
                assertTrue(out.get(i).startsWith("ERROR") && out.get(i).contains("\"code\":-32000")
                        && out.get(i).contains("only root and members of group 'agcrew' may connect, attack, start or stop")
                        && out.get(i).contains("agoutsider"), all);
            }
            // each refusal is in the agent's log with the caller and the rule (the audit trail)
            assertTrue(agent.log.stream().anyMatch(l -> l.startsWith("tunnel.connect refused for agoutsider (uid ")
                    && l.contains("only root and members of group 'agcrew' may connect")), String.join("\n", agent.log));
            assertEquals(5, agent.log.stream().filter(l -> l.contains(" refused for agoutsider")).count(), String.join("\n", agent.log));
            // ... but a peer that keeps calling does not flood it: the first ones, then one line saying so
            List<String> calls = new java.util.ArrayList<>(List.of(agent.socket.toString()));
            for (int i = 0; i < AgentServer.MAX_REFUSALS_LOGGED + 5; i++) {
                calls.add("lab.down");
                calls.add("{\"id\":\"x\"}");
            }
            users.probe(TestUsers.OUTSIDER, calls.toArray(String[]::new));
            assertEquals(5 + AgentServer.MAX_REFUSALS_LOGGED, agent.log.stream().filter(l -> l.contains(" refused for agoutsider")).count(),
                    String.join("\n", agent.log));
            assertEquals(1, agent.log.stream().filter(l -> l.contains("refused calls; the others are not logged")).count(), String.join("\n", agent.log));
            // a member on the same socket passes authorization: the error is about the lab, not the caller
            List<String> member = users.probe(TestUsers.MEMBER, agent.socket.toString(), "lab.down", "{\"id\":\"agnone\"}");
            assertTrue(member.get(1).contains("\"code\":-32002") && member.get(1).contains("no lab 'agnone'"), String.join("\n", member));
        }
    }

    @Test
    void givenAStaleSocketLeftByAKilledAgent_whenAnAgentStarts_thenItReplacesIt_andASecondAgentIsRefused() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("crew-ag-stale");
        java.nio.file.Path sock = dir.resolve("agent.sock");
        // a socket file nothing listens on: what SIGKILL leaves
        java.nio.channels.ServerSocketChannel dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        dead.bind(java.net.UnixDomainSocketAddress.of(sock));
        dead.close();
        assertTrue(java.nio.file.Files.exists(sock));
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.nio.channels.ServerSocketChannel ch = AgentServer.bind(sock, "rw-rw----", TestUsers.GROUP, log::add)) {
            assertTrue(log.stream().anyMatch(l -> l.contains("removed the stale socket")), log.toString());
            org.junit.jupiter.api.Assertions.assertThrows(AgentServer.AgentRunningException.class,
                    () -> AgentServer.bind(sock, "rw-rw----", TestUsers.GROUP, log::add));
        }
        java.nio.file.Files.deleteIfExists(sock);
        java.nio.file.Files.writeString(sock, "not a socket");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> AgentServer.bind(sock, "rw-rw----", TestUsers.GROUP, log::add));
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        java.nio.file.Files.delete(sock);
        java.nio.file.Files.delete(dir);
        Duration.ZERO.isZero();
    }
}
