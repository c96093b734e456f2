package crew.design.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import crew.design.authz.AccessDecision;
import crew.design.authz.AuthorizationEvaluator;
import crew.design.device.DevicePrediction;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.PrefixTrie;

/** Follows one destination from one user through the device table, the endpoint's routes and its authorization rules. */
public final class RouteTrace {

    private RouteTrace() {
    }

    public static TraceResult trace(EndpointDesign design, DevicePrediction prediction, String tunnelInterface, IpAddress destination,
            Set<String> groups) {
        List<String> steps = new ArrayList<>();
        // 1. the device: longest prefix, then lowest metric, main table only
        PrefixTrie<List<DeviceRoute>> table = new PrefixTrie<>();
        for (DeviceRoute r : prediction.after()) {
            if (r.inMainTable()) {
                table.get(r.destination()).ifPresentOrElse(l -> l.add(r), () -> {
                    List<DeviceRoute> l = new ArrayList<>();
                    l.add(r);
                    table.put(r.destination(), l);
                });
            }
        }
        Optional<PrefixTrie.Entry<List<DeviceRoute>>> hit = table.longestMatch(destination);
        if (hit.isEmpty()) {
            steps.add("device: no route to " + destination + " in the main table");
            return result(TraceResult.Verdict.NO_DEVICE_ROUTE, destination, null, false, List.of(), null, steps);
        }
        DeviceRoute wins = hit.get().value().stream().min(Comparator.comparingInt(DeviceRoute::metric)).get();
        boolean tunnel = tunnelInterface.equals(wins.interfaceName());
        steps.add("device: " + wins + " wins (longest prefix " + wins.destination() + (hit.get().value().size() > 1 ? ", lowest metric" : "") + ")");
        if (wins.type().drops()) {
            steps.add("device: the route drops the traffic");
            return result(TraceResult.Verdict.NO_DEVICE_ROUTE, destination, wins, false, List.of(), null, steps);
        }
        if (!tunnel) {
            boolean leak = prediction.leaks().stream().anyMatch(l -> l.range().contains(destination));
            steps.add("device: leaves through " + (wins.interfaceName() == null ? "the local network" : wins.interfaceName())
                    + ", not the tunnel" + (leak ? " (a leak: the endpoint would carry it, and CRE is off)" : ""));
            return result(TraceResult.Verdict.OUTSIDE_TUNNEL, destination, wins, false, List.of(), null, steps);
        }
        steps.add("device: into the tunnel " + tunnelInterface + " via " + (wins.gateway() == null ? "on-link" : wins.gateway()));
        // 2. the endpoint's route table
        PrefixTrie<List<ClientVpnRoute>> routes = new PrefixTrie<>();
        for (ClientVpnRoute r : design.routes()) {
            routes.get(r.destinationCidr()).ifPresentOrElse(l -> l.add(r), () -> {
                List<ClientVpnRoute> l = new ArrayList<>();
                l.add(r);
                routes.put(r.destinationCidr(), l);
            });
        }
        Optional<PrefixTrie.Entry<List<ClientVpnRoute>>> er = routes.longestMatch(destination);
        if (er.isEmpty()) {
            steps.add("endpoint: no route to " + destination + "; the endpoint drops it");
            return result(TraceResult.Verdict.NO_ENDPOINT_ROUTE, destination, wins, true, List.of(), null, steps);
        }
        List<ClientVpnRoute> ers = List.copyOf(er.get().value());
        Cidr ec = er.get().cidr();
        StringBuilder subnets = new StringBuilder();
        ers.forEach(r -> subnets.append(subnets.length() == 0 ? "" : ", ").append(r.targetSubnet()));
        steps.add("endpoint: route " + ec + " -> " + subnets + (ers.get(0).isLocal() ? " (client-to-client)" : ""));
        // 3. authorization
        AccessDecision decision = new AuthorizationEvaluator(design.authorizationRules()).evaluate(destination, groups);
        steps.add("authorization: " + decision.reason());
        TraceResult.Verdict v = decision.allowed() ? TraceResult.Verdict.REACHABLE : TraceResult.Verdict.DENIED;
        return result(v, destination, wins, true, ers, decision.grantedBy(), steps);
    }

    /** Every trace ends with its verdict line, whichever step decided it. */
    private static TraceResult result(TraceResult.Verdict v, IpAddress destination, DeviceRoute wins, boolean viaTunnel, List<ClientVpnRoute> routes,
            AuthorizationRule rule, List<String> steps) {
        steps.add("verdict: " + v);
        return new TraceResult(v, destination.toString(), wins, viaTunnel, routes, rule, steps);
    }
}
