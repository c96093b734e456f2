package crew.routing.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import crew.model.net.Cidr;

/**
 * A packet filter next to a routing table (Linux: nftables): drops traffic to given destinations unless it leaves
 * through one interface. Strict enforcement uses it so that tampering with routes cannot leak a single packet.
 * Implemented by backends that can (check with instanceof).
 */
@ConsumerType
public interface PacketFilter {

    /**
     * Installs (or replaces) the filter {@code name}: packets to {@code destinations} (but not to {@code exceptions})
     * leaving through any interface but {@code allowedInterface} are dropped.
     */
    void dropUnlessVia(String name, List<Cidr> destinations, List<Cidr> exceptions, String allowedInterface) throws RoutingException;

    /** Removes the filter {@code name}; a missing filter is not an error. */
    void removeFilter(String name) throws RoutingException;

    /** Packets dropped so far by the filter {@code name}, or -1 when unknown. */
    long droppedPackets(String name) throws RoutingException;
}
