package crew.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.cli.CommandContext;
import crew.cli.ExitCode;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.tunnel.RouteAttack;
import crew.tunnel.SessionRecord;

/**
 * The attack's report, which {@code crew tunnel attack} prints in-process and which the agent sends its client: the
 * four verdicts with their texts and exit codes, the {@code --json} map, and the agent's JSON read back to the same
 * report and the same output.
 */
class AttackReportTest {

    private static SessionRecord session(boolean enforced, String netGateway) {
        return new SessionRecord("s1", 1, true, "lab.ovpn", "crew-x-dev", "CONNECTED", "CONNECTED", "", "", "tun0", enforced, "split", netGateway,
                netGateway.isEmpty() ? "" : "lan0", List.of("172.31.0.0/16 via 10.200.0.1 dev tun0", "10.9.0.0/24 via 10.200.0.1 dev tun0"));
    }

    private static DeviceRoute attackRoute(String cidr) {
        return DeviceRoute.of(Cidr.parse(cidr), IpAddress.parse("192.168.9.1"), "lan0", 0);
    }

    private static AttackReport report(SessionRecord s, String cidr, boolean removed, Optional<DeviceRoute> displaced) {
        DeviceRoute a = attackRoute(cidr);
        RouteAttack.Result r = new RouteAttack.Result(a, removed, removed ? Optional.of(Duration.ofNanos(1_234_567)) : Optional.empty(), !removed,
                Duration.ofMillis(500), displaced);
        return AttackReport.of(s, Cidr.parse(cidr), a, null, 500, r);
    }

    private static String[] print(AttackReport report, boolean json, boolean withPreamble) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Path.of("."), json);
        int code = TunnelAttackCommand.print(ctx, report, withPreamble);
        return new String[] { Integer.toString(code), out.toString(StandardCharsets.UTF_8) };
    }

    @Test
    void givenAnEnforcedSessionThatRemovesTheRoute_thenTheVerdictIsRemoved_withTheTimeAndExitZero() {
        AttackReport r = report(session(true, "192.168.9.1"), "172.31.5.0/24", true, Optional.empty());
        assertEquals(AttackReport.REMOVED, r.verdict());
        assertEquals("172.31.0.0/16", r.conflictsWith());
        assertEquals(ExitCode.OK, r.exitCode());
        assertEquals("enforced: session s1 removed the conflicting route 1.235 ms after it was added", r.message());
        assertEquals(List.of(r.message()), r.result(), "the engine removed it: the attack did not remove it again");
        assertEquals(1.234567, r.removalMillis(), 1e-9);
    }

    @Test
    void givenARouteReplacingAProtectedOne_whenTheEngineRestoresIt_thenTheTextNamesTheRestoredRoute() {
        DeviceRoute own = DeviceRoute.of(Cidr.parse("10.9.0.0/24"), IpAddress.parse("10.200.0.1"), "tun0", 0);
        AttackReport r = report(session(true, "192.168.9.1"), "10.9.0.0/24", true, Optional.of(own));
        assertEquals(AttackReport.REMOVED, r.verdict());
        assertEquals("10.9.0.0/24", r.conflictsWith());
        assertTrue(r.message().endsWith(" and restored its own " + own), r.message());
        assertEquals(own.toString(), r.displaced());
    }

    @Test
    void givenAnEnforcedSessionThatLeavesTheRoute_thenNotRemoved_exitFindings_andTheAttackRemovedItAgain() {
        AttackReport r = report(session(true, "192.168.9.1"), "172.31.5.0/24", false, Optional.empty());
        assertEquals(AttackReport.NOT_REMOVED, r.verdict());
        assertEquals(ExitCode.FINDINGS, r.exitCode());
        assertEquals("not removed: session s1 enforces, but the route conflicting with protected 172.31.0.0/16 is still there after 500 ms;"
                + " traffic to 172.31.5.0/24 leaves through lan0, outside the tunnel", r.message());
        assertEquals(List.of(r.message(), "attack route removed again"), r.result());
        assertNull(r.removalMillis());
    }

    @Test
    void givenASessionWithoutEnforcement_thenNotEnforced_exitFindings_andADisplacedRouteIsPutBack() {
        DeviceRoute own = DeviceRoute.of(Cidr.parse("10.9.0.0/24"), IpAddress.parse("10.200.0.1"), "tun0", 0);
        AttackReport r = report(session(false, "192.168.9.1"), "10.9.0.0/24", false, Optional.of(own));
        assertEquals(AttackReport.NOT_ENFORCED, r.verdict());
        assertEquals(ExitCode.FINDINGS, r.exitCode());
        assertTrue(r.message().startsWith("not enforced: the route conflicting with protected 10.9.0.0/24 is still there after 500 ms"), r.message());
        assertEquals(List.of(r.message(), "attack route replaced by the displaced " + own + " again"), r.result());
    }

    @Test
    void givenARouteOutsideOrWiderThanTheProtectedRanges_thenNoConflict_exitZero_whatEverTheEnforcement() {
        AttackReport outside = report(session(false, "192.168.9.1"), "203.0.113.0/24", false, Optional.empty());
        assertEquals(AttackReport.NO_CONFLICT, outside.verdict());
        assertNull(outside.conflictsWith());
        assertEquals(ExitCode.OK, outside.exitCode());
        assertTrue(outside.message().startsWith("no conflict: 203.0.113.0/24 is outside the session's protected ranges [172.31.0.0/16, 10.9.0.0/24]"),
                outside.message());
        AttackReport wider = report(session(true, "192.168.9.1"), "172.16.0.0/12", false, Optional.empty());
        assertEquals(AttackReport.NO_CONFLICT, wider.verdict());
        assertEquals(ExitCode.OK, wider.exitCode());
        assertTrue(wider.message().contains("is less specific than a protected route"), wider.message());
    }

    @Test
    void theJsonMap_hasTheFieldsInOrder_andTheAgentsJsonReadsBackToTheSameReport_andTheSameOutput() {
        AttackReport r = report(session(true, "192.168.9.1"), "172.31.5.0/24", false, Optional.empty());
        Map<String, Object> m = r.toMap();
        assertEquals(List.of("session", "namespace", "route", "conflictsWith", "enforced", "verdict", "removedByEngine", "removalMillis", "displaced",
                "removedAgain", "waitedMillis", "note", "message"), List.copyOf(m.keySet()));
        assertEquals("crew-x-dev", m.get("namespace"));
        assertEquals(attackRoute("172.31.5.0/24").toString(), m.get("route"));
        JsonObject sent = JsonParser.parseString(r.toJson().toString()).getAsJsonObject();
        assertFalse(sent.has("removalMillis"), "absent values are left out of the agent's answer");
        AttackReport back = AttackReport.fromJson(sent);
        assertEquals(r, back);
        AttackReport removed = report(session(true, "192.168.9.1"), "172.31.5.0/24", true, Optional.empty());
        assertEquals(removed, AttackReport.fromJson(JsonParser.parseString(removed.toJson().toString()).getAsJsonObject()));
        // the client of the agent prints what the command prints in-process: the JSON, the text (with the preamble
        // the command printed as the attack began) and the exit code
        assertEquals(List.of(print(r, true, false)[0], print(r, true, false)[1]), List.of(print(back, true, true)[0], print(back, true, true)[1]));
        String[] text = print(back, false, true);
        assertEquals("1", text[0]);
        assertEquals(String.join(System.lineSeparator(), List.of("attack: adding " + r.route() + " in namespace crew-x-dev", r.message(),
                "attack route removed again")) + System.lineSeparator(), text[1]);
        String[] json = print(r, true, false);
        JsonObject printed = JsonParser.parseString(json[1]).getAsJsonObject();
        assertEquals("not-removed", printed.get("verdict").getAsString());
        assertEquals(500, printed.get("waitedMillis").getAsInt());
        JsonObject broken = r.toJson();
        broken.remove("verdict");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttackReport.fromJson(broken));
        assertTrue(e.getMessage().contains("'verdict'"), e.getMessage());
    }

    @Test
    void givenAnIpv4Target_theWayAroundIsTheLanGateway_andASessionWithoutOneIsRefusedByName() throws Exception {
        AttackReport.Around a = AttackReport.around(session(true, "192.168.9.1"), Cidr.parse("172.31.5.0/24"), null);
        assertEquals(IpAddress.parse("192.168.9.1"), a.gateway());
        assertEquals("lan0", a.interfaceName());
        assertTrue(a.note().isEmpty());
        AttackReport.Refused e = assertThrows(AttackReport.Refused.class, () -> AttackReport.around(session(true, ""), Cidr.parse("172.31.5.0/24"), null));
        assertEquals("session s1 has no LAN gateway to attack through (state CONNECTED)", e.getMessage());
        assertEquals(Cidr.parse("172.31.0.0/24"), AttackReport.target(session(true, "192.168.9.1"), null));
        assertEquals(Cidr.parse("10.9.0.0/25"), AttackReport.target(session(true, "192.168.9.1"), "10.9.0.0/25"));
        SessionRecord v6 = new SessionRecord("s6", 1, true, "p", "", "CONNECTED", "", "", "", "tun0", true, "split", "", "", List.of("fd00::/64 dev tun0"));
        AttackReport.Refused none = assertThrows(AttackReport.Refused.class, () -> AttackReport.target(v6, null));
        assertEquals("session s6 protects no IPv4 route", none.getMessage());
    }
}
