package crew.tunnel;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import crew.model.device.DeviceRoute;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.RoutingListener;
import crew.routing.api.Subscription;

/**
 * What a user with admin rights does to get around a tunnel: a route more specific than one of the session's
 * protected routes, through the LAN gateway. {@link #run} adds it through the routing backend (subscribed first, so
 * the engine's removal is seen as a routing event), waits for the engine's response and, when the route is still
 * there, removes it again unless asked to keep it. Shared by {@code crew tunnel attack} and the workbench's console.
 */
public final class RouteAttack {

    /**
     * What happened to the attack route.
     *
     * @param route          the route that was added
     * @param removedByEngine whether it disappeared (the engine removed it) within the wait
     * @param removalTime    from adding it until its removal event arrived
     * @param removedAgain   whether the attack removed it itself at the end (not enforced, not kept)
     * @param waited         how long the attack watched
     * @param displaced      the route with the same prefix (and metric) the attack replaced, as an attacker must to
     *                       win over it (the kernel refuses a second one); put back at the end if the engine did not
     */
    public record Result(DeviceRoute route, boolean removedByEngine, Optional<Duration> removalTime, boolean removedAgain, Duration waited,
            Optional<DeviceRoute> displaced) {
    }

    private RouteAttack() {
    }

    /**
     * The default attack target for a session's protected routes ({@code ip route} text or CIDRs): a /24 inside the
     * first IPv4 one; for the full-tunnel halves (/1 or wider) the documentation range 198.51.100.0/24 inside them.
     * Empty when no IPv4 route is protected.
     */
    public static Optional<Cidr> defaultTarget(List<String> protectedRoutes) {
        for (Cidr c : destinations(protectedRoutes)) {
            if (c.family().bits() != 32) {
                continue;
            }
            if (c.prefixLength() <= 1) {
                Cidr doc = Cidr.parse("198.51.100.0/24");
                return Optional.of(c.contains(doc) ? doc : Cidr.parse("8.8.8.0/24"));
            }
            return Optional.of(c.prefixLength() >= 24 ? c : Cidr.of(c.first(), 24));
        }
        return Optional.empty();
    }

    /** The destinations of protected routes given as {@code ip route} text or CIDRs (unreadable ones skipped). */
    public static List<Cidr> destinations(List<String> protectedRoutes) {
        List<Cidr> out = new java.util.ArrayList<>();
        for (String text : protectedRoutes) {
            String first = text.trim().split("\\s+")[0];
            try {
                // `ip route` writes the IPv4 default as "default"; CREW's DeviceRoute text writes CIDRs
                out.add(first.equals("default") ? Cidr.parse("0.0.0.0/0") : Cidr.parse(first));
            } catch (AddressFormatException e) {
                // not a route text
            }
        }
        return out;
    }

    /**
     * The protected range that {@code target} conflicts with: the most specific one equal to it or containing it. A
     * route less specific than the protected ones, or outside all of them, is no conflict: the tunnel's routes still
     * win by longest prefix.
     */
    public static Optional<Cidr> conflictsWith(Cidr target, List<String> protectedRoutes) {
        return destinations(protectedRoutes).stream().filter(c -> c.family() == target.family() && c.contains(target))
                .max(java.util.Comparator.comparingInt(Cidr::prefixLength));
    }

    /**
     * Adds {@code attack} through {@code backend} and watches for its removal for {@code wait}. When it is not
     * removed and {@code keep} is false, deletes it again, so the table is left as it was found. A route with the
     * prefix and metric of one already there (the tunnel's own, say) replaces it, as the kernel allows only one such
     * route; the displaced route is put back at the end unless the engine already did.
     */
    public static Result run(RoutingBackend backend, DeviceRoute attack, Duration wait, boolean keep) throws RoutingException, InterruptedException {
        Optional<DeviceRoute> displaced = backend.routes().stream().filter(r -> sameSlot(r, attack)).findFirst();
        CompletableFuture<Long> removed = new CompletableFuture<>();
        try (Subscription sub = backend.subscribe(new RoutingListener() {
            @Override
            public void onEvent(RoutingEvent event) {
                if (event instanceof RoutingEvent.RouteRemoved r && isAttack(r.route(), attack)) {
                    removed.complete(r.receivedNanos());
                } else if (event instanceof RoutingEvent.RouteAdded a && displaced.isPresent() && sameSlot(a.route(), attack) && !isAttack(a.route(), attack)) {
                    removed.complete(a.receivedNanos()); // the engine replaced the attack route with its own again
                }
            }
        })) {
            long addedAt = System.nanoTime();
            if (displaced.isPresent()) {
                backend.replace(attack);
            } else {
                backend.add(attack);
            }
            Long gone = null;
            try {
                gone = removed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // not removed
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            if (gone != null) {
                return new Result(attack, true, Optional.of(Duration.ofNanos(Math.max(0, gone - addedAt))), false, wait, displaced);
            }
            if (!keep) {
                if (displaced.isPresent()) {
                    backend.replace(displaced.get());
                } else {
                    backend.delete(attack);
                }
            }
            return new Result(attack, false, Optional.empty(), !keep, wait, displaced);
        }
    }

    /** Whether the kernel holds only one of the two: same prefix, table and metric (IPv6 stores metric 0 as 1024). */
    private static boolean sameSlot(DeviceRoute a, DeviceRoute b) {
        return a.destination().equals(b.destination()) && a.table() == b.table() && kernelMetric(a) == kernelMetric(b);
    }

    private static int kernelMetric(DeviceRoute r) {
        return r.metric() == 0 && r.destination().family() == crew.model.net.IpFamily.IPV6 ? 1024 : r.metric();
    }

    /** Whether a route from the table is the attack route (same prefix, table, gateway and interface). */
    private static boolean isAttack(DeviceRoute r, DeviceRoute attack) {
        return r.destination().equals(attack.destination()) && r.table() == attack.table() && java.util.Objects.equals(r.gateway(), attack.gateway())
                && java.util.Objects.equals(r.interfaceName(), attack.interfaceName());
    }
}
