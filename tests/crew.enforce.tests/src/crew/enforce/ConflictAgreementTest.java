package crew.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import crew.design.device.ConflictDetector;
import crew.design.device.DevicePrediction;
import crew.design.device.DevicePredictor;
import crew.design.device.PredictionRequest;
import crew.design.device.ProtectedRoute;
import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.WorkspaceFile;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.sim.SimulatedRoutingBackend;

/**
 * One definition of a conflict: over random designs and random device tables, the designer's prediction (crew.design's
 * DevicePredictor and ConflictDetector) and the enforcement engine (a real EnforcementSession on the simulated
 * backend, whose ConflictRule decides) remove the same routes, route for route, and name the same protected
 * destination. The tables mix routes inside and beside the protected ranges, equal prefixes through other gateways,
 * routes through the tunnel device, drop routes, other tables, the ignored ranges and profile-free exempt host routes
 * (full tunnel).
 */
class ConflictAgreementTest {
    private static final String TUN = "tun0";
    private static final IpAddress CLIENT = IpAddress.parse("10.200.0.98");
    private static final IpAddress ENDPOINT = IpAddress.parse("203.0.113.10");

    @Test
    void givenRandomTables_whenPredictedAndEnforced_thenTheSameRoutesAreRemovedForTheSameProtectedDestinations() throws Exception {
        long seed = Long.getLong("crew.agreement.seed", 20261207L);
        Random rnd = new Random(seed);
        int compared = 0;
        int conflicts = 0;
        for (int run = 0; run < 60; run++) {
            boolean split = run % 4 != 3;
            List<Cidr> designRoutes = new ArrayList<>();
            int n = 1 + rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                designRoutes.add(randomCidr(rnd, 8, 24));
            }
            EndpointDesign design = design(split, designRoutes);
            List<DeviceRoute> table = randomTable(rnd, designRoutes);
            DevicePrediction p = DevicePredictor.predict(new PredictionRequest(design, CLIENT, null, ENDPOINT, TUN, table, null));

            // the prediction, route by route
            Map<String, String> predicted = new LinkedHashMap<>();
            p.conflicts().forEach(c -> predicted.put(c.route().toString(), c.protectedRoute().destination().toString()));

            // the engine's rule on the same inputs, route by route
            List<Cidr> prot = p.protectedRoutes().stream().map(ProtectedRoute::destination).distinct().toList();
            List<DeviceRoute> bypass = p.added().stream().filter(r -> !TUN.equals(r.interfaceName())).toList();
            SessionSpec spec = new SessionSpec("agree-" + run, TUN, p.tunnelGateway(), prot, p.exemptRanges(), bypass, EnforcementMode.AWS, null,
                    Duration.ofSeconds(60));
            ConflictRule rule = new ConflictRule(spec);
            ConflictDetector detector = new ConflictDetector(p.protectedRoutes(), p.exemptRanges(), TUN);
            for (DeviceRoute r : table) {
                Optional<Conflict> engine = rule.check(r);
                Optional<crew.design.device.Conflict> designer = detector.check(r);
                assertEquals(designer.map(c -> c.protectedRoute().destination()), engine.map(Conflict::protectedDestination),
                        "seed " + seed + " run " + run + ": " + r);
                compared++;
            }

            // the engine for real: what a running session removes from the table
            SimulatedRoutingBackend backend = new SimulatedRoutingBackend(table);
            Path journal = Files.createTempDirectory("crew-agree").resolve("agree-" + run + ".journal");
            EnforcementSession session = new EnforcementSession(spec, backend, null, journal);
            session.start();
            Set<String> removed = new TreeSet<>();
            try {
                backend.awaitEvents();
                Set<String> now = new java.util.HashSet<>();
                backend.routes().forEach(r -> now.add(DeviceRestorer.identity(r).toString()));
                for (DeviceRoute r : table) {
                    if (!now.contains(DeviceRestorer.identity(r).toString())) {
                        removed.add(r.toString());
                    }
                }
            } finally {
                assertEquals(List.of(), session.stop());
            }
            assertEquals(new TreeSet<>(predicted.keySet()), removed, "seed " + seed + " run " + run + " (" + (split ? "split" : "full")
                    + " tunnel, protected " + prot + "): the routes the engine removed are the predicted ones");
            conflicts += predicted.size();
        }
        // the random tables must exercise both answers, or the test proves nothing
        assertEquals(true, conflicts > 50 && conflicts < compared - 50, conflicts + " conflicts of " + compared + " routes");
    }

    private static EndpointDesign design(boolean split, List<Cidr> routes) {
        StringBuilder r = new StringBuilder();
        for (Cidr c : new TreeSet<>(routes)) {
            r.append(r.length() == 0 ? "" : ",").append("{\"ClientVpnEndpointId\":\"cvpn-endpoint-0a1b2c3d4e5f60718\",\"DestinationCidr\":\"")
                    .append(c).append("\",\"TargetSubnet\":\"subnet-0a1b2c3d4e5f60001\",\"Type\":\"Nat\",\"Origin\":\"add-route\"}");
        }
        String json = "{\"Format\":\"crew-design/1\",\"Name\":\"agreement\",\"ClientVpnEndpoint\":{\"ClientCidrBlock\":\"10.200.0.0/22\","
                + "\"SplitTunnel\":" + split + ",\"TransportProtocol\":\"udp\",\"VpnPort\":443,"
                + "\"ClientRouteEnforcementOptions\":{\"Enforced\":true},\"TrafficIpAddressType\":\"ipv4\"},"
                + "\"ClientVpnTargetNetworks\":[],\"Routes\":[" + r + "],\"AuthorizationRules\":[]}";
        return WorkspaceFile.read("agreement.crew.json", json);
    }

    private static Cidr randomCidr(Random rnd, int minLen, int maxLen) {
        int len = minLen + rnd.nextInt(maxLen - minLen + 1);
        // a small address space (10/8, 172.16/12, 192.168/16 and a public /8) so that routes overlap often
        int[] bases = {0x0A000000, 0xAC100000, 0xC0A80000, 0x2D000000};
        int base = bases[rnd.nextInt(bases.length)];
        int addr = base | (rnd.nextInt() & 0x00FFFFFF & (base == 0xC0A80000 ? 0xFFFF : 0xFFFFFF));
        return Cidr.of(IpAddress.ofIpv4(addr), len);
    }

    private static List<DeviceRoute> randomTable(Random rnd, List<Cidr> designRoutes) {
        Map<String, DeviceRoute> table = new LinkedHashMap<>();
        IpAddress lanGw = IpAddress.parse("192.168.77.1");
        add(table, DeviceRoute.of(Cidr.parse("0.0.0.0/0"), lanGw, "eth0", 100));
        add(table, DeviceRoute.of(Cidr.parse("192.168.77.0/24"), null, "eth0", 100));
        add(table, DeviceRoute.of(Cidr.parse("192.168.77.1/32"), null, "eth0", 100));
        add(table, DeviceRoute.of(Cidr.parse("169.254.0.0/16"), null, "eth0", 1000));
        int n = 20 + rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            Cidr dest;
            int kind = rnd.nextInt(10);
            if (kind < 3 && !designRoutes.isEmpty()) {
                Cidr p = designRoutes.get(rnd.nextInt(designRoutes.size()));
                int len = Math.min(32, p.prefixLength() + rnd.nextInt(9)); // inside or equal to a protected route
                dest = Cidr.of(IpAddress.ofIpv4((int) p.network().low() | (rnd.nextInt() & (int) (0xFFFFFFFFL >>> p.prefixLength()))), len);
            } else if (kind == 3) {
                dest = Cidr.of(IpAddress.ofIpv4(0xA9FE0000 | (rnd.nextInt() & 0xFFFF)), 24 + rnd.nextInt(9)); // 169.254/16: ignored
            } else {
                dest = randomCidr(rnd, 8, 32);
            }
            String dev = rnd.nextInt(8) == 0 ? TUN : rnd.nextBoolean() ? "eth0" : "wlan0";
            IpAddress gw = rnd.nextInt(3) == 0 ? null : dev.equals(TUN) ? IpAddress.parse("10.200.0.97") : dev.equals("eth0") ? lanGw
                    : IpAddress.parse("192.168.9.1");
            RouteType type = rnd.nextInt(12) == 0 ? RouteType.BLACKHOLE : RouteType.UNICAST;
            int tableId = rnd.nextInt(12) == 0 ? 100 : DeviceRoute.MAIN_TABLE;
            if (type != RouteType.UNICAST) {
                gw = null;
                dev = null;
            }
            add(table, new DeviceRoute(dest, gw, dev, 0, rnd.nextInt(3) * 100, tableId, null, null, type, null, Set.of()));
        }
        return new ArrayList<>(table.values());
    }

    private static void add(Map<String, DeviceRoute> table, DeviceRoute r) {
        table.putIfAbsent(r.destination() + "|" + r.table() + "|" + r.metric(), r); // one route per kernel key
    }
}
