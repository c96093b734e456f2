package crew.design.device;

import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * Where the client stands when nobody says: the one set of defaults {@code crew predict}, {@code conflicts},
 * {@code trace} and the workbench's designer use, so that the command line and the GUI predict the same table.
 */
public final class PredictionDefaults {
    /** The tunnel interface. */
    public static final String TUNNEL = "tun0";
    /** The endpoint's public address (a documentation address, RFC 5737). */
    public static final IpAddress ENDPOINT_ADDRESS = IpAddress.parse("203.0.113.10");
    /**
     * The client's IPv6 tunnel address for designs whose traffic carries IPv6 (a documentation address, RFC 3849):
     * AWS assigns it from its own pool, so the design does not say which.
     */
    public static final IpAddress CLIENT_IPV6 = IpAddress.parse("2001:db8:ffff::2");

    private PredictionDefaults() {
    }

    /**
     * The client's IPv4 tunnel address: the client CIDR's third address.
     *
     * @throws IllegalArgumentException when the design has no IPv4 client CIDR
     */
    public static IpAddress clientAddress(EndpointDesign design) {
        Cidr clientCidr = design.endpoint().clientCidrBlock();
        if (clientCidr == null || !clientCidr.first().isIpv4()) {
            throw new IllegalArgumentException("the design has no IPv4 client CIDR, so the client's tunnel address is unknown: set ClientCidrBlock "
                    + "or give the client's address");
        }
        return clientCidr.first().next().next();
    }

    /** {@link #CLIENT_IPV6} when the design's traffic carries IPv6, else null (no IPv6 in the tunnel). */
    public static IpAddress clientIpv6(EndpointDesign design) {
        return design.endpoint().trafficIpAddressType().carriesIpv6() ? CLIENT_IPV6 : null;
    }
}
