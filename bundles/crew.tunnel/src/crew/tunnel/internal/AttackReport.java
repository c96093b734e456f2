package crew.tunnel.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import crew.cli.ExitCode;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingException;
import crew.tunnel.RouteAttack;
import crew.tunnel.SessionRecord;

/**
 * The result of {@code crew tunnel attack} as one value: the verdict, the text and the fields of {@code --json}. The
 * command builds it in-process and the agent builds it for its {@code tunnel.attack} method, so both print the same
 * (the agent sends {@link #toJson()}, the client reads it back with {@link #fromJson}).
 *
 * @param session         the session attacked
 * @param namespace       its namespace ("" for the host)
 * @param route           the attack route ({@code DeviceRoute} text)
 * @param conflictsWith   the protected range it conflicts with, null when none (a route outside or wider)
 * @param enforced        whether the session enforces its routes
 * @param verdict         {@code removed}, {@code no-conflict}, {@code not-removed} or {@code not-enforced}
 * @param removedByEngine whether the attack route disappeared within the wait
 * @param removalMillis   from adding it until its removal was seen, null when not removed
 * @param displaced       the route with the same prefix the attack replaced, null when none
 * @param removedAgain    whether the attack removed its route itself at the end
 * @param waitedMillis    how long it watched for the engine's response
 * @param note            what to tell about the way around the tunnel (an IPv6 route through lo), null when nothing
 * @param message         the verdict as a sentence
 */
public record AttackReport(String session, String namespace, String route, String conflictsWith, boolean enforced, String verdict,
        boolean removedByEngine, Double removalMillis, String displaced, boolean removedAgain, int waitedMillis, String note, String message) {

    public static final String REMOVED = "removed";
    public static final String NO_CONFLICT = "no-conflict";
    public static final String NOT_REMOVED = "not-removed";
    public static final String NOT_ENFORCED = "not-enforced";

    /** An attack that cannot be made (no way around the tunnel, no default target); the text names the session. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    /** The way around the tunnel for a route of the target's family, and what to tell about it. */
    public record Around(IpAddress gateway, String interfaceName, Optional<String> note) {
    }

    /**
     * IPv4: the LAN gateway the device used before the tunnel. IPv6: the device's IPv6 default route outside the
     * tunnel; a device whose LAN carries no IPv6 (the lab's) has none, so the route points at {@code lo}, which wins
     * over the tunnel just the same.
     */
    public static Around around(SessionRecord s, Cidr target, RoutingBackend backend) throws Refused, RoutingException {
        if (target.family() == IpFamily.IPV4) {
            if (empty(s.netGateway()) || empty(s.lanInterface())) {
                throw new Refused("session " + s.sessionId() + " has no LAN gateway to attack through (state " + s.state() + ")");
            }
            return new Around(IpAddress.parse(s.netGateway()), s.lanInterface(), Optional.empty());
        }
        Optional<DeviceRoute> lan6 = backend.routes().stream().filter(r -> r.inMainTable() && r.destination().isDefault()
                && r.destination().family() == IpFamily.IPV6 && r.interfaceName() != null && !r.interfaceName().equals(s.device()))
                .min(Comparator.comparingInt(DeviceRoute::metric));
        if (lan6.isPresent()) {
            return new Around(lan6.get().gateway(), lan6.get().interfaceName(), Optional.empty());
        }
        return new Around(null, "lo", Optional.of("the device has no IPv6 route outside the tunnel, so the IPv6 attack route points at lo"));
    }

    /** The target: {@code route} when given (a {@code crew.model.net.AddressFormatException} when unreadable), else the default. */
    public static Cidr target(SessionRecord s, String route) throws Refused {
        if (route != null) {
            return Cidr.parse(route);
        }
        return RouteAttack.defaultTarget(s.protectedRoutes()).orElseThrow(() -> new Refused("session " + s.sessionId() + " protects no IPv4 route"));
    }

    /** An attack's report and the routes behind it. */
    public record Outcome(AttackReport report, RouteAttack.Result result) {
    }

    /**
     * Runs the attack on session {@code s} through {@code backend} (the session's namespace) and reports it. The lines
     * that come before the result ({@link #preamble}) go to {@code progress} before the route is added.
     */
    public static Outcome attack(SessionRecord s, RoutingBackend backend, Cidr target, int waitMillis, boolean keep, Consumer<String> progress)
            throws Refused, RoutingException, InterruptedException {
        Around around = around(s, target, backend);
        DeviceRoute attack = DeviceRoute.of(target, around.gateway(), around.interfaceName(), 0);
        preamble(around.note().orElse(null), attack.toString(), s.namespace()).forEach(progress);
        RouteAttack.Result result = RouteAttack.run(backend, attack, Duration.ofMillis(waitMillis), keep);
        return new Outcome(of(s, target, attack, around.note().orElse(null), waitMillis, result), result);
    }

    /** The report of an attack with route {@code attack} (to {@code target}) on {@code s} that ended in {@code result}. */
    public static AttackReport of(SessionRecord s, Cidr target, DeviceRoute attack, String note, int waitMillis, RouteAttack.Result result) {
        Optional<Cidr> conflict = RouteAttack.conflictsWith(target, s.protectedRoutes());
        String displaced = result.displaced().map(DeviceRoute::toString).orElse(null);
        Double removal = result.removalTime().map(d -> d.toNanos() / 1e6).orElse(null);
        String verdict;
        String text;
        if (result.removedByEngine()) {
            verdict = REMOVED;
            text = String.format("enforced: session %s removed the conflicting route %.3f ms after it was added", s.sessionId(), removal == null ? 0.0 : removal)
                    + (displaced == null ? "" : " and restored its own " + displaced);
        } else if (conflict.isEmpty()) {
            verdict = NO_CONFLICT;
            List<Cidr> ranges = RouteAttack.destinations(s.protectedRoutes());
            boolean wider = ranges.stream().anyMatch(d -> d.family() == target.family() && target.contains(d));
            text = "no conflict: " + target + (wider ? " is less specific than a protected route, which still wins for its range (longest"
                    + " prefix), so CRE leaves it; the rest of " + target + " leaves through " + attack.interfaceName()
                    : " is outside the session's protected ranges " + ranges + ", so CRE leaves it;"
                            + " traffic to it leaves through " + attack.interfaceName() + " as it would without the tunnel");
        } else if (s.enforced()) {
            verdict = NOT_REMOVED;
            text = "not removed: session " + s.sessionId() + " enforces, but the route conflicting with protected " + conflict.get()
                    + " is still there after " + waitMillis + " ms; traffic to " + target + " leaves through " + attack.interfaceName() + ", outside the tunnel";
        } else {
            verdict = NOT_ENFORCED;
            text = "not enforced: the route conflicting with protected " + conflict.get() + " is still there after " + waitMillis + " ms; traffic to "
                    + target + " leaves through " + attack.interfaceName() + ", outside the tunnel";
        }
        return new AttackReport(s.sessionId(), s.namespace() == null ? "" : s.namespace(), attack.toString(), conflict.map(Cidr::toString).orElse(null),
                s.enforced(), verdict, result.removedByEngine(), removal, displaced, result.removedAgain(), waitMillis, note, text);
    }

    /** The lines printed before the attack route is added: the note, then the route. */
    public static List<String> preamble(String note, String route, String namespace) {
        List<String> out = new ArrayList<>();
        if (note != null) {
            out.add("attack: " + note);
        }
        out.add("attack: adding " + route + (empty(namespace) ? "" : " in namespace " + namespace));
        return out;
    }

    /** {@link #preamble(String, String, String)} of this report. */
    public List<String> preamble() {
        return preamble(note, route, namespace);
    }

    /** The lines printed after the attack: the verdict and, when the attack cleaned up itself, what it removed. */
    public List<String> result() {
        List<String> out = new ArrayList<>();
        out.add(message);
        if (removedAgain) {
            out.add(displaced == null ? "attack route removed again" : "attack route replaced by the displaced " + displaced + " again");
        }
        return out;
    }

    /** The exit code: 0 when the route was removed or is no conflict, 1 (findings) when a conflicting route stayed. */
    public int exitCode() {
        return verdict.equals(REMOVED) || verdict.equals(NO_CONFLICT) ? ExitCode.OK : ExitCode.FINDINGS;
    }

    /** The fields of {@code --json}, in order (absent values as null). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session", session);
        m.put("namespace", namespace);
        m.put("route", route);
        m.put("conflictsWith", conflictsWith);
        m.put("enforced", enforced);
        m.put("verdict", verdict);
        m.put("removedByEngine", removedByEngine);
        m.put("removalMillis", removalMillis);
        m.put("displaced", displaced);
        m.put("removedAgain", removedAgain);
        m.put("waitedMillis", waitedMillis);
        m.put("note", note);
        m.put("message", message);
        return m;
    }

    /** The fields as the agent sends them (absent values left out). */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        toMap().forEach((k, v) -> {
            if (v instanceof String t) {
                o.addProperty(k, t);
            } else if (v instanceof Boolean b) {
                o.addProperty(k, b);
            } else if (v instanceof Number n) {
                o.addProperty(k, n);
            }
        });
        return o;
    }

    /**
     * The report the agent sent ({@link #toJson()}); an {@link IllegalArgumentException} naming the field when one
     * is missing or of the wrong kind.
     */
    public static AttackReport fromJson(JsonObject o) {
        return new AttackReport(string(o, "session", true), string(o, "namespace", true), string(o, "route", true), string(o, "conflictsWith", false),
                bool(o, "enforced"), string(o, "verdict", true), bool(o, "removedByEngine"), o.has("removalMillis") ? number(o, "removalMillis").doubleValue() : null,
                string(o, "displaced", false), bool(o, "removedAgain"), number(o, "waitedMillis").intValue(), string(o, "note", false),
                string(o, "message", true));
    }

    private static String string(JsonObject o, String name, boolean required) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new IllegalArgumentException("the agent's attack report has no '" + name + "'");
            }
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("the agent's attack report: '" + name + "' is not a string");
        }
        return e.getAsString();
    }

    private static boolean bool(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IllegalArgumentException("the agent's attack report: '" + name + "' is missing or not true/false");
        }
        return e.getAsBoolean();
    }

    private static Number number(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("the agent's attack report: '" + name + "' is missing or not a number");
        }
        return e.getAsNumber();
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
