package crew.tunnel;

import java.util.Objects;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** An address assigned to the tunnel interface with its on-link prefix (10.0.0.2/24 keeps its host bits). */
public record InterfaceAddress(IpAddress address, int prefixLength) {
    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > address.family().bits()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + address.family().bits());
        }
    }

    /** The on-link network (the connected route the interface brings). */
    public Cidr network() {
        return Cidr.of(address, prefixLength);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
