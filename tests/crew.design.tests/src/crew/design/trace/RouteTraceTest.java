package crew.design.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import crew.design.Designs;
import crew.design.device.DevicePrediction;
import crew.design.device.DevicePredictor;
import crew.design.device.PredictionRequest;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.IpAddress;

class RouteTraceTest {
    private final EndpointDesign design = Designs.example("split-tunnel");
    private final DevicePrediction prediction = DevicePredictor.predict(new PredictionRequest(design, IpAddress.parse("10.200.0.2"), null, null,
            "tun0", Designs.device("cre-example-ip-route.txt"), null));

    private TraceResult trace(String dest, String... groups) {
        return RouteTrace.trace(design, prediction, "tun0", IpAddress.parse(dest), Set.of(groups));
    }

    @Test
    void givenVpcAddress_whenTraced_thenReachableThroughTunnelAndBothSubnets() {
        TraceResult t = trace("172.31.1.10");
        assertEquals(TraceResult.Verdict.REACHABLE, t.verdict(), t.steps().toString());
        assertTrue(t.viaTunnel());
        assertEquals(2, t.endpointRoutes().size());
        assertEquals("172.31.0.0/16", t.authorization().targetNetworkCidr().toString());
    }

    @Test
    void givenFinanceRange_whenEngineeringTraces_thenDenied() {
        assertEquals(TraceResult.Verdict.DENIED, trace("10.50.8.20", "engineering").verdict());
        assertEquals(TraceResult.Verdict.REACHABLE, trace("10.50.8.20", "finance").verdict());
        assertEquals(TraceResult.Verdict.REACHABLE, trace("10.50.9.20", "engineering").verdict());
    }

    @Test
    void givenLanAndInternet_whenTraced_thenOutsideTheTunnel() {
        TraceResult lan = trace("192.168.1.20");
        assertEquals(TraceResult.Verdict.OUTSIDE_TUNNEL, lan.verdict());
        assertEquals("eth0", lan.deviceRoute().interfaceName());
        assertEquals(TraceResult.Verdict.OUTSIDE_TUNNEL, trace("8.8.8.8").verdict());
        assertTrue(trace("8.8.8.8").steps().get(0).contains("default"), trace("8.8.8.8").steps().toString());
    }

    @Test
    void givenEveryVerdict_whenTraced_thenTheLastStepNamesIt() {
        // the device sends it into the tunnel, but the endpoint has no route for it
        EndpointDesign noRoute = new EndpointDesign(design.name(), design.endpoint(), design.targetNetworks(), java.util.List.of(),
                design.authorizationRules());
        for (TraceResult t : java.util.List.of(trace("172.31.1.10"), trace("10.50.8.20", "engineering"), trace("192.168.1.20"), trace("8.8.8.8"),
                RouteTrace.trace(noRoute, prediction, "tun0", IpAddress.parse("172.31.1.10"), Set.of()))) {
            assertEquals("verdict: " + t.verdict(), t.steps().get(t.steps().size() - 1), t.steps().toString());
        }
        assertEquals(TraceResult.Verdict.NO_ENDPOINT_ROUTE,
                RouteTrace.trace(noRoute, prediction, "tun0", IpAddress.parse("172.31.1.10"), Set.of()).verdict());
    }
}
