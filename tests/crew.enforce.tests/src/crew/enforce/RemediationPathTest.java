package crew.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.sim.SimulatedRoutingBackend;

/**
 * The remediation path without formatting or audit output before the delete: lazily formatted conflict reasons, value
 * identities instead of text, and audit events delivered after the deletes, in order, with the time of detection. On
 * the simulated backend (no root).
 */
class RemediationPathTest {
    private static final IpAddress LAN_GATEWAY = IpAddress.parse("192.168.1.1");

    private static SessionSpec spec() {
        return new SessionSpec("path", "tun0", IpAddress.parse("10.200.0.1"), List.of(Cidr.parse("172.31.0.0/16")), List.of(), List.of(),
                EnforcementMode.AWS, null, Duration.ofSeconds(60));
    }

    @Test
    void givenAConflict_whenItsReasonIsRead_thenItIsTheSameTextAsBeforeAndFormattedOnce() {
        ConflictRule rule = new ConflictRule(spec());
        Conflict specific = rule.check(DeviceRoute.of(Cidr.parse("172.31.5.0/24"), LAN_GATEWAY, "lan0", 0)).orElseThrow();
        assertEquals("more specific than protected 172.31.0.0/16, so it wins for 172.31.5.0/24", specific.reason());
        assertTrue(specific.reason() == specific.reason(), "formatted once, then kept");
        Conflict same = rule.check(DeviceRoute.of(Cidr.parse("172.31.0.0/16"), LAN_GATEWAY, "lan0", 0)).orElseThrow();
        assertEquals("same prefix as protected 172.31.0.0/16 but via 192.168.1.1 dev lan0 instead of the tunnel", same.reason());
        Conflict eager = new Conflict(specific.route(), specific.protectedDestination(), specific.reason());
        assertEquals(eager, specific, "a lazily formatted conflict equals the same conflict built with its text");
        assertEquals(eager.hashCode(), specific.hashCode());
        assertEquals(Cidr.parse("172.31.0.0/16"), specific.protectedDestination());
    }

    @Test
    void givenRoutes_whenIdentified_thenTheIdentityIsTheKernelsViewAndIgnoresWhatTheKernelFillsIn() {
        DeviceRoute asAdded = DeviceRoute.of(Cidr.parse("172.31.0.0/16"), IpAddress.parse("10.200.0.1"), "tun0", 0);
        DeviceRoute asDumped = new DeviceRoute(asAdded.destination(), asAdded.gateway(), "tun0", 7, 0, DeviceRoute.MAIN_TABLE, "197", "universe",
                RouteType.UNICAST, null, Set.of("onlink"));
        assertEquals(DeviceRestorer.identity(asAdded), DeviceRestorer.identity(asDumped), "index, protocol, scope and flags are not identity");
        assertNotEquals(DeviceRestorer.identity(asAdded), DeviceRestorer.identity(asAdded.withMetric(5)));
        assertNotEquals(DeviceRestorer.identity(asAdded), DeviceRestorer.identity(asAdded.withTable(197)));
        assertNotEquals(DeviceRestorer.identity(asAdded), DeviceRestorer.identity(asAdded.withInterface("lan0", 2)));
        assertNotEquals(DeviceRestorer.identity(asAdded), DeviceRestorer.identity(DeviceRoute.of(asAdded.destination(), LAN_GATEWAY, "tun0", 0)));
    }

    @Test
    void givenATamper_whenRemediated_thenAuditEventsComeAfterTheDeleteInOrderWithTheDetectionTime() throws Exception {
        SimulatedRoutingBackend backend = new SimulatedRoutingBackend(List.of());
        EnforcementSession session = new EnforcementSession(spec(), backend, null, Files.createTempDirectory("crew-path").resolve("path.journal"));
        List<EnforcementEvent> audit = new CopyOnWriteArrayList<>();
        Map<String, Boolean> presentWhenReported = new ConcurrentHashMap<>();
        session.addSink(e -> {
            if (e.kind() == EnforcementEvent.Kind.CONFLICT_DETECTED) {
                presentWhenReported.put(e.route(), backend.routes().stream().anyMatch(r -> r.toString().equals(e.route())));
            }
            audit.add(e);
        });
        session.start();
        try {
            DeviceRoute tamper = DeviceRoute.of(Cidr.parse("172.31.5.0/24"), LAN_GATEWAY, "lan0", 0);
            backend.add(tamper);
            backend.awaitEvents();
            backend.awaitEvents(); // the engine's own delete event
            assertFalse(backend.routes().contains(tamper), "removed");
            assertEquals(Map.of(tamper.toString(), false), presentWhenReported,
                    "the detection is reported to sinks only once the delete has been done");
            List<EnforcementEvent> mine = audit.stream().filter(e -> tamper.toString().equals(e.route())).toList();
            assertEquals(List.of(EnforcementEvent.Kind.CONFLICT_DETECTED, EnforcementEvent.Kind.ROUTE_REMOVED), mine.stream().map(EnforcementEvent::kind).toList());
            assertEquals("more specific than protected 172.31.0.0/16, so it wins for 172.31.5.0/24", mine.get(0).detail());
            assertFalse(mine.get(0).time().isAfter(mine.get(1).time()), "detection time, not delivery time");
            assertEquals(List.of(EnforcementEvent.TAG, "conflict-detected"), mine.get(0).tags());
            assertEquals(1, session.metrics().removals());
            assertEquals(1, session.metrics().remediationNanos().length);
        } finally {
            assertEquals(List.of(), session.stop());
        }
    }
}
