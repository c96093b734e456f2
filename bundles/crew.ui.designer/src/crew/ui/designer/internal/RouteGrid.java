package crew.ui.designer.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.net.Cidr;

/**
 * A design's route table laid out as destinations x target subnets: one column per associated subnet (then
 * "local", then subnets that routes name but that are not associated), one row per destination. An empty cell in
 * an associated subnet's column is a route that subnet does not carry.
 */
record RouteGrid(List<String> columns, List<Boolean> associated, List<Cidr> destinations, Map<Cidr, Set<String>> targets) {

    static RouteGrid of(EndpointDesign design) {
        List<String> columns = new ArrayList<>();
        List<Boolean> associated = new ArrayList<>();
        for (TargetNetwork t : design.targetNetworks()) {
            if (!columns.contains(t.subnetId())) {
                columns.add(t.subnetId());
                associated.add(true);
            }
        }
        Map<Cidr, Set<String>> targets = new LinkedHashMap<>();
        Set<String> extra = new LinkedHashSet<>();
        for (ClientVpnRoute r : design.routes()) {
            targets.computeIfAbsent(r.destinationCidr(), k -> new LinkedHashSet<>()).add(r.targetSubnet());
            if (!columns.contains(r.targetSubnet())) {
                extra.add(r.targetSubnet());
            }
        }
        if (extra.remove(ClientVpnRoute.LOCAL)) {
            columns.add(ClientVpnRoute.LOCAL);
            associated.add(true);
        }
        for (String s : extra) {
            columns.add(s);
            associated.add(false);
        }
        List<Cidr> destinations = new ArrayList<>(targets.keySet());
        destinations.sort(null);
        return new RouteGrid(List.copyOf(columns), List.copyOf(associated), destinations, targets);
    }

    /** Associated subnets (not "local") that do not carry a route to {@code destination}. */
    List<String> missing(Cidr destination) {
        List<String> missing = new ArrayList<>();
        Set<String> has = targets.get(destination);
        if (has.contains(ClientVpnRoute.LOCAL)) {
            return missing;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (associated.get(i) && !columns.get(i).equals(ClientVpnRoute.LOCAL) && !has.contains(columns.get(i))) {
                missing.add(columns.get(i));
            }
        }
        return missing;
    }

    /** Subnets that {@code destination}'s routes name but the design does not associate. */
    List<String> unassociated(Cidr destination) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (!associated.get(i) && targets.get(destination).contains(columns.get(i))) {
                result.add(columns.get(i));
            }
        }
        return result;
    }
}
