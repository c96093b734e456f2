package crew.routing.windows.iphlp;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * One MIB_IPFORWARD_ROW2, decoded. {@code nextHop} is null for an on-link route (an unspecified next hop).
 * {@code interfaceLuid} is the route's identity on Windows; {@code interfaceIndex} can change when an adapter comes
 * back.
 */
public record ForwardRow(long interfaceLuid, int interfaceIndex, Cidr destination, IpAddress nextHop, int sitePrefixLength,
        int validLifetime, int preferredLifetime, int metric, int protocol, boolean loopback, boolean autoconfigureAddress,
        boolean publish, boolean immortal, int age, int origin) {

    /** A row as CreateIpForwardEntry2 wants it after InitializeIpForwardEntry: lifetimes infinite, NETMGMT, origin manual. */
    public static ForwardRow manual(long luid, int index, Cidr destination, IpAddress nextHop, int metric) {
        return new ForwardRow(luid, index, destination, nextHop, 0, -1, -1, metric, IpHelperLayout.MIB_IPPROTO_NETMGMT, false, false,
                false, false, 0, IpHelperLayout.NLRO_MANUAL);
    }
}
