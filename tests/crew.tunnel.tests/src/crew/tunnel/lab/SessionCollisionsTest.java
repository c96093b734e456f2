package crew.tunnel.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import crew.enforce.EnforcementEvent;
import crew.model.endpoint.EndpointDesign;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.linux.LinuxNetwork;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;
import crew.tunnel.SessionRecord;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;
import crew.tunnel.TunnelState;

/**
 * Sessions and labs that meet (issue 20, "sessions that collide"), with the real kernel and the real openvpn: a lab
 * taken down under a connected tunnel, two tunnels on one device, and two CREW homes with the same lab id.
 */
class SessionCollisionsTest {
    private Path home;
    private String previousHome;
    private Path openvpn;
    private final List<TunnelSession> open = new CopyOnWriteArrayList<>();
    private final List<EndpointLab> labs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void crewHome() throws IOException {
        home = Files.createTempDirectory("crew-collide-home");
        previousHome = System.getProperty("crew.home");
        System.setProperty("crew.home", home.toString());
    }

    @AfterEach
    void cleanUp() {
        open.forEach(TunnelSession::disconnect);
        System.setProperty("crew.home", home.toString());
        try {
            Files.deleteIfExists(home.resolve("tunnel").resolve("tfstuck").resolve("session.json")); // else the labs would be kept
        } catch (IOException e) {
            // nothing to remove
        }
        labs.forEach(EndpointLab::down);
        if (previousHome == null) {
            System.clearProperty("crew.home");
        } else {
            System.setProperty("crew.home", previousHome);
        }
    }

    private void prerequisites() {
        Prerequisites.requireRoot();
        openvpn = Prerequisites.requireExecutable("openvpn", "the lab and the tunnel drive the real openvpn");
        Prerequisites.requireExecutable("nsenter", "openvpn is started inside the lab's namespaces with nsenter (util-linux)");
    }

    private EndpointLab lab(String... clients) throws Exception {
        EndpointDesign design = LabPlanTest.example("split-tunnel");
        EndpointLab lab = EndpointLab.up(design, LabPlanTest.uniqueId("tf"), java.util.Arrays.stream(clients).map(c -> new LabClient(c, Set.of()))
                .toList(), openvpn, l -> { });
        labs.add(lab);
        return lab;
    }

    private TunnelSession session(EndpointLab lab, ClosableRoutingBackend device, String client, String sessionId) {
        TunnelOptions options = TunnelOptions.defaults(sessionId, lab.plan().deviceNamespace()).withOpenvpn(openvpn)
                .withConnectTimeout(Duration.ofSeconds(20)).withReconcileInterval(Duration.ofMillis(500));
        TunnelSession s = new TunnelSession(TunnelProfile.read(lab.clientProfile(client)), device, options, null);
        open.add(s);
        return s;
    }

    private boolean openvpnRunsFor(String sessionId) {
        Path runtime = home.resolve("tunnel").resolve(sessionId);
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(runtime.toString()));
    }

    @Test
    void givenATunnelConnectedToALab_whenTheLabGoesDown_thenTheSessionIsEndedWithItsTableRestoredAndLabDownSaysSo() throws Exception {
        prerequisites();
        EndpointLab lab = lab("a");
        String sid = lab.plan().id() + "-a";
        try (ClosableRoutingBackend device = LinuxRouting.namespace(lab.plan().deviceNamespace())) {
            TunnelSession s = session(lab, device, "a", sid);
            s.connect();
            Path journal = home.resolve("tunnel").resolve("journal").resolve(lab.plan().deviceNamespace()).resolve(sid + ".journal");
            assertTrue(Files.exists(journal), "the connected session journals its routes");

            List<String> log = new CopyOnWriteArrayList<>();
            List<String> problems = EndpointLab.downById(lab.plan().id(), log::add); // what `crew lab down ID` runs

            assertTrue(problems.isEmpty(), problems.toString());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("ended tunnel session " + sid) && l.endsWith("its routing table is restored")),
                    log.toString());
            assertEquals(TunnelState.DISCONNECTED, s.status().state(), "the session was ended, not left reconnecting: " + s.status().detail());
            assertFalse(Files.exists(journal), "the engine stopped cleanly: table restored, journal removed");
            assertFalse(openvpnRunsFor(sid), "no openvpn of the session keeps the deleted namespace alive");
            assertFalse(LinuxNetwork.namespaceExists(lab.plan().deviceNamespace()));
            assertTrue(SessionRecord.list().isEmpty(), "no session record says 'connected' in a namespace that is gone");
        }
    }

    @Test
    void givenASessionThatCannotBeEnded_whenTheLabGoesDown_thenTheLabIsKeptAndTheReasonNamesTheSession() throws Exception {
        prerequisites();
        EndpointLab lab = lab("a");
        // a live session (this process) in the lab's device whose control socket does not answer
        Path dir = home.resolve("tunnel").resolve("tfstuck");
        new SessionRecord("tfstuck", ProcessHandle.current().pid(), true, "/stuck.ovpn", lab.plan().deviceNamespace(), "CONNECTED", "CONNECTED", "",
                Instant.now().toString(), "tun0", true, "aws", "", "", List.of("172.31.0.0/16 dev tun0"), dir.resolve("control.sock").toString())
                .write(dir);

        List<String> problems = EndpointLab.downById(lab.plan().id(), l -> { });

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("lab " + lab.plan().id() + " is kept: tunnel session tfstuck (process " + ProcessHandle.current().pid()
                + ") uses " + lab.plan().deviceNamespace() + " and could not be ended"), problems.get(0));
        assertTrue(LinuxNetwork.namespaceExists(lab.plan().deviceNamespace()) && LinuxNetwork.namespaceExists(lab.plan().serverNamespace()),
                "nothing of the lab was removed");
        assertEquals(List.of(lab.plan().id()), EndpointLab.list().stream().map(EndpointLab.LabInfo::id).toList());

        Files.delete(dir.resolve("session.json"));
        assertTrue(EndpointLab.downById(lab.plan().id(), l -> { }).isEmpty(), "once the session is gone the lab goes down");
        assertFalse(LinuxNetwork.namespaceExists(lab.plan().deviceNamespace()));
    }

    @Test
    void givenAConnectedSession_whenASecondSessionWithOverlappingRoutesConnectsOnTheSameDevice_thenItIsRefusedAndTheFirstIsUntouched()
            throws Exception {
        prerequisites();
        EndpointLab lab = lab("a", "b");
        String first = lab.plan().id() + "-a";
        try (ClosableRoutingBackend device = LinuxRouting.namespace(lab.plan().deviceNamespace())) {
            TunnelSession s1 = session(lab, device, "a", first);
            List<EnforcementEvent> events = new CopyOnWriteArrayList<>();
            List<TunnelState> states = new CopyOnWriteArrayList<>();
            s1.addEnforcementSink(events::add);
            s1.connect();
            s1.addListener(st -> states.add(st.state()));
            java.util.Set<String> connected = LabEndToEndTest.identities(device.routes());

            // another lab user, the same pushed routes, the same device: tun1 beside tun0
            TunnelSession s2 = session(lab, device, "b", lab.plan().id() + "-b");
            TunnelException refused = assertThrows(TunnelException.class, s2::connect);
            assertEquals(TunnelException.Reason.ALREADY_RUNNING, refused.reason(), refused.getMessage());
            assertTrue(refused.getMessage().contains("session '" + first + "' (process " + ProcessHandle.current().pid() + ", tun0) already protects"
                    + " these ranges in namespace " + lab.plan().deviceNamespace() + ": 172.31.0.0/16, 10.50.0.0/16"), refused.getMessage());
            assertEquals(TunnelState.FAILED, s2.status().state());
            assertFalse(openvpnRunsFor(lab.plan().id() + "-b"), "the refused session's openvpn ended");

            // the same profile again: refused before openvpn starts (the server would drop one of the two)
            TunnelSession s3 = session(lab, device, "a", lab.plan().id() + "-a2");
            TunnelException same = assertThrows(TunnelException.class, s3::connect);
            assertEquals(TunnelException.Reason.ALREADY_RUNNING, same.reason());
            assertTrue(same.getMessage().contains("is already connected in namespace " + lab.plan().deviceNamespace() + " by session '" + first + "'"),
                    same.getMessage());

            assertEquals(TunnelState.CONNECTED, s1.status().state());
            assertTrue(Files.exists(home.resolve("tunnel").resolve("journal").resolve(lab.plan().deviceNamespace()).resolve(first + ".journal")),
                    "the second session's crash recovery left the running session's journal alone");
            assertFalse(states.contains(TunnelState.RECONNECTING), "the first session was never dropped: " + states);
            assertTrue(events.stream().noneMatch(e -> e.kind() == EnforcementEvent.Kind.CONFLICT_DETECTED), "no fight: " + events);
            assertEquals(connected, LabEndToEndTest.identities(device.routes()), "the device table is the first session's, unchanged");
            assertTrue(s1.disconnect().isEmpty());
        }
    }

    @Test
    void givenALabOfAnotherCrewHome_whenALabWithTheSameIdStarts_thenTheErrorNamesTheRunningLabInsteadOfAdvisingToDeleteIt() throws Exception {
        prerequisites();
        EndpointLab running = lab("a");
        Path other = Files.createTempDirectory("crew-collide-other");
        System.setProperty("crew.home", other.toString());
        EndpointDesign design = LabPlanTest.example("split-tunnel");
        IOException e = assertThrows(IOException.class, () -> EndpointLab.up(design, running.plan().id(), List.of(new LabClient("a", Set.of())),
                openvpn, l -> { }));
        System.setProperty("crew.home", home.toString());

        String m = e.getMessage();
        assertTrue(m.contains("lab '" + running.plan().id() + "' of the CREW home " + home + " runs there (" + running.directory()
                + ", owner process " + ProcessHandle.current().pid()), m);
        assertTrue(m.contains("take it down with 'CREW_HOME=" + home + " crew lab down " + running.plan().id() + "'"), m);
        assertFalse(m.contains("ip netns del"), "deleting the namespace would break the running lab: " + m);
        assertTrue(LinuxNetwork.namespaceExists(running.plan().serverNamespace()), "the running lab is untouched");
        assertFalse(Files.exists(other.resolve("lab").resolve(running.plan().id())), "the refused lab left nothing in its home");
    }
}
