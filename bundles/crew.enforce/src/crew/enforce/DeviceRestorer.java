package crew.enforce;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.PolicyRule;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingException;

/**
 * Brings a device back to its pre-session table by a three-way merge, not a blind replay: remove what the session
 * installed (if still there), re-add the pre-session routes the session removed (if still absent and their key is
 * free), leave everything else alone — DHCP or the user may have changed other routes meanwhile. Used at stop and by
 * crash recovery.
 */
public final class DeviceRestorer {

    private DeviceRestorer() {
    }

    /**
     * Identity used to compare routes across a dump: what the kernel reports back for a route CREW added (destination,
     * gateway, device, table, metric, type; the kernel fills in protocol, scope and flags).
     */
    record Identity(Cidr destination, IpAddress gateway, String interfaceName, int table, int metric, RouteType type) {
    }

    /** A route's {@link Identity}: a value to compare and hash, built without formatting text (the remediation path uses it). */
    static Identity identity(DeviceRoute r) {
        return new Identity(r.destination(), r.gateway(), r.interfaceName(), r.table(), r.metric(), r.type());
    }

    /** Returns the problems it could not fix (empty when the device is restored). */
    public static List<String> restore(RoutingBackend backend, List<DeviceRoute> installed, List<PolicyRule> installedRules,
            List<DeviceRoute> removedPreexisting, Consumer<String> log) throws RoutingException {
        List<String> problems = new ArrayList<>();
        for (PolicyRule rule : installedRules) {
            try {
                backend.deleteRule(rule);
                log.accept("removed rule " + rule);
            } catch (RoutingException e) {
                if (!e.isNotFound()) {
                    problems.add(e.getMessage());
                }
            }
        }
        List<DeviceRoute> current = backend.routes();
        Set<Identity> present = new HashSet<>();
        for (DeviceRoute r : current) {
            present.add(identity(r));
        }
        List<DeviceRoute> toDelete = new ArrayList<>();
        for (DeviceRoute r : installed) {
            // match what is there: same destination, table, metric, device and gateway (kernel fills in protocol)
            for (DeviceRoute c : current) {
                if (identity(c).equals(identity(r))) {
                    toDelete.add(c);
                }
            }
        }
        // bypass host routes first out last: delete in reverse install order
        java.util.Collections.reverse(toDelete);
        for (DeviceRoute r : toDelete) {
            try {
                backend.delete(r);
                log.accept("removed session route " + r);
            } catch (RoutingException e) {
                if (!e.isNotFound()) {
                    problems.add(e.getMessage());
                }
            }
        }
        Set<String> keysNow = new HashSet<>();
        for (DeviceRoute r : backend.routes()) {
            keysNow.add(r.key());
        }
        // a user's route removed twice (re-added meanwhile) is one route to restore
        Map<Identity, DeviceRoute> toRestore = new LinkedHashMap<>();
        for (DeviceRoute r : removedPreexisting) {
            toRestore.putIfAbsent(identity(r), r);
        }
        for (DeviceRoute r : toRestore.values()) {
            if (present.contains(identity(r)) && keysNow.contains(r.key())) {
                continue; // someone re-added it meanwhile
            }
            if (keysNow.contains(r.key())) {
                problems.add("not restoring " + r + ": its slot (" + r.key() + ") is taken by a newer route");
                continue;
            }
            try {
                backend.add(r);
                keysNow.add(r.key());
                log.accept("restored pre-session route " + r);
            } catch (RoutingException e) {
                problems.add("could not restore " + r + ": " + e.getMessage());
            }
        }
        return problems;
    }
}
