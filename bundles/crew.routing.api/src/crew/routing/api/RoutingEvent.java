package crew.routing.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import crew.model.device.DeviceRoute;
import crew.model.net.IpAddress;

/**
 * A change of the routing state, as the OS reported it. {@link #receivedNanos()} is {@link System#nanoTime()} when the
 * backend received it, for latency measurements.
 */
@ProviderType
public sealed interface RoutingEvent {

    long receivedNanos();

    /** A route appeared, or (Linux NLM_F_REPLACE) replaced one with the same key. */
    record RouteAdded(DeviceRoute route, long receivedNanos) implements RoutingEvent {
    }

    record RouteRemoved(DeviceRoute route, long receivedNanos) implements RoutingEvent {
    }

    record RuleAdded(PolicyRule rule, long receivedNanos) implements RoutingEvent {
    }

    record RuleRemoved(PolicyRule rule, long receivedNanos) implements RoutingEvent {
    }

    /** A link appeared or changed state; {@code removed} when the link is gone. */
    record LinkChanged(int index, String name, boolean up, boolean removed, long receivedNanos) implements RoutingEvent {
    }

    /** An address on an interface: the address itself (host bits kept) and its prefix length. */
    record AddressAdded(int interfaceIndex, IpAddress address, int prefixLength, long receivedNanos) implements RoutingEvent {
    }

    record AddressRemoved(int interfaceIndex, IpAddress address, int prefixLength, long receivedNanos) implements RoutingEvent {
    }

    /**
     * Events were lost (Linux ENOBUFS: the receive buffer overflowed). {@code routes} and {@code rules} are a full
     * dump taken right after: consumers must reconcile against them instead of the lost events.
     */
    record Overrun(String reason, List<DeviceRoute> routes, List<PolicyRule> rules, long receivedNanos) implements RoutingEvent {
    }
}
