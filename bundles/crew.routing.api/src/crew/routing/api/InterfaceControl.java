package crew.routing.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * Network interfaces next to a routing table: list them with their addresses, bring them up or down, set the MTU,
 * add and remove addresses, create veth pairs and delete links. The tunnel configures its TUN device through this
 * (openvpn runs with {@code --ifconfig-noexec}), the local endpoint lab builds its namespaces with it. Implemented by
 * backends that can (check with instanceof); a backend bound to a network namespace works in that namespace.
 * <p>
 * Errors are {@link RoutingException}s that name the interface and carry the OS's reason: an unknown interface is
 * {@code ENODEV} (19), an address already present {@code EEXIST} (17), an absent one {@code EADDRNOTAVAIL} (99),
 * no privilege {@code EPERM} (1).
 */
@ConsumerType
public interface InterfaceControl {

    /** errno of an unknown interface (Linux). */
    int ENODEV = 19;
    /** errno of an address that is not on the interface (Linux). */
    int EADDRNOTAVAIL = 99;

    /**
     * One network interface with its addresses. {@code up} is the administrative state (IFF_UP, what
     * {@link #setUp} sets), not whether a carrier is present.
     */
    record NetworkInterface(int index, String name, boolean up, int mtu, List<InterfaceAddress> addresses) {
        public NetworkInterface {
            Objects.requireNonNull(name, "name");
            addresses = List.copyOf(addresses);
        }
    }

    /** An address with its prefix length, e.g. 10.0.0.2/24 (the address is NOT normalised to the network). */
    record InterfaceAddress(IpAddress address, int prefixLength) {
        public InterfaceAddress {
            Objects.requireNonNull(address, "address");
            int bits = address.family().bits();
            if (prefixLength < 0 || prefixLength > bits) {
                throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + bits + " for " + address);
            }
        }

        /** Parses {@code 10.0.0.2/24} or {@code 2001:db8::2/64}; the host bits are kept (crew.model's CIDR syntax). */
        public static InterfaceAddress parse(String text) {
            return Cidr.parseWritten(text, InterfaceAddress::new);
        }

        @Override
        public String toString() {
            return address + "/" + prefixLength;
        }
    }

    /** Every interface of the namespace, ordered by index, each with its IPv4 and IPv6 addresses. */
    List<NetworkInterface> interfaces() throws RoutingException;

    /** The interface named {@code name}, or empty. */
    Optional<NetworkInterface> findInterface(String name) throws RoutingException;

    /** Sets the interface administratively up or down (ENODEV when unknown). */
    void setUp(String interfaceName, boolean up) throws RoutingException;

    /** Sets the MTU (ENODEV when unknown; EINVAL when the device refuses the value). */
    void setMtu(String interfaceName, int mtu) throws RoutingException;

    /** Adds an address; EEXIST when it is already there. IPv6 addresses skip duplicate address detection (usable at once). */
    void addAddress(String interfaceName, InterfaceAddress address) throws RoutingException;

    /** Removes an address; EADDRNOTAVAIL when it is not there. */
    void deleteAddress(String interfaceName, InterfaceAddress address) throws RoutingException;

    /**
     * Creates a veth pair; the peer is moved into network namespace {@code peerNamespace} (as {@code ip netns}
     * names it) unless null. Both ends start down. EEXIST when a name is taken.
     */
    void createVethPair(String name, String peerName, String peerNamespace) throws RoutingException;

    /** Deletes a link (a veth deletes its peer too); ENODEV when absent. */
    void deleteLink(String interfaceName) throws RoutingException;
}
