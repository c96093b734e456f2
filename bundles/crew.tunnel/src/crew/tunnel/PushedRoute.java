package crew.tunnel;

import java.util.Objects;
import java.util.Optional;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** One route the server pushed (route_network_N / route_ipv6_network_N), not yet installed by anyone. */
public record PushedRoute(Cidr destination, Optional<IpAddress> gateway) {
    public PushedRoute {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(gateway, "gateway");
    }
}
