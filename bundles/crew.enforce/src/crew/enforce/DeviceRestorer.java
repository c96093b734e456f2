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

    /**
     * A policy rule as the kernel reports it back: a mark without a mask is matched exactly, and read back with the
     * full mask.
     */
    static PolicyRule ruleIdentity(PolicyRule r) {
        long mask = r.fwmark() != 0 && r.fwmask() == 0 ? 0xFFFFFFFFL : r.fwmask();
        return new PolicyRule(r.family(), r.priority(), r.table(), r.action(), r.from(), r.to(), r.inputInterface(), r.outputInterface(),
                r.fwmark(), mask, r.inverted());
    }

    /**
     * Returns the problems it could not fix (empty when the device is restored).
     *
     * @param removedRules pre-session policy rules the session removed (extended and strict modes): re-added unless
     *                     they are back already
     */
    public static List<String> restore(RoutingBackend backend, List<DeviceRoute> installed, List<PolicyRule> installedRules,
            List<DeviceRoute> removedPreexisting, List<PolicyRule> removedRules, Consumer<String> log) throws RoutingException {
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
        if (!removedRules.isEmpty()) {
            Set<PolicyRule> rulesNow = new HashSet<>();
            for (PolicyRule r : backend.rules()) {
                rulesNow.add(ruleIdentity(r));
            }
            for (PolicyRule r : removedRules) {
                if (!rulesNow.add(ruleIdentity(r))) {
                    continue; // back already (re-added meanwhile, or removed twice)
                }
                try {
                    backend.addRule(r);
                    log.accept("restored pre-session rule " + r);
                } catch (RoutingException e) {
                    if (!e.isAlreadyExists()) {
                        problems.add("could not restore rule " + r + ": " + e.getMessage());
                    }
                }
            }
        }
        return problems;
    }
}
