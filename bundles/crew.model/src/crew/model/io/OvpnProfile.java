package crew.model.io;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * An OpenVPN client profile as AWS exports it ({@code ExportClientVpnClientConfiguration}).
 *
 * @param directives  every directive in file order (inline blocks excluded)
 * @param inline      inline blocks by tag: ca, cert, key, tls-auth, tls-crypt
 * @param remotes     the remote lines
 * @param routes      the route / route-ipv6 lines
 * @param unsupported directives the AWS-provided or stock OpenVPN client will not accept as they are (for example
 *                    {@code auth-federate}, which needs AWS's patched client), each with its line and why
 */
public record OvpnProfile(List<Directive> directives, Map<String, String> inline, List<Remote> remotes, List<ProfileRoute> routes,
        List<Directive> unsupported) {

    /** One directive line. */
    public record Directive(int line, String name, List<String> args, String note) {
    }

    /** A remote host with its port and protocol (null when the profile-wide ones apply). */
    public record Remote(int line, String host, int port, String proto) {
    }

    /** How a profile route is reached. {@code NET_GATEWAY} routes bypass the tunnel and are not protected by CRE. */
    public enum RouteGateway { VPN_GATEWAY, NET_GATEWAY, ADDRESS }

    public record ProfileRoute(int line, Cidr destination, RouteGateway gateway, IpAddress address, int metric) {
        /** Whether CRE protects this route (everything sent into the tunnel). */
        public boolean isProtected() {
            return gateway != RouteGateway.NET_GATEWAY;
        }
    }

    public Optional<Directive> directive(String name) {
        return directives.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The profile-wide protocol ({@code proto}), udp by default as in OpenVPN. */
    public String proto() {
        return directive("proto").map(d -> d.args().isEmpty() ? "udp" : d.args().get(0)).orElse("udp");
    }

    /** The profile-wide port ({@code port}), or the first remote's, or 1194. */
    public int port() {
        return directive("port").map(d -> Integer.parseInt(d.args().get(0)))
                .orElse(remotes.isEmpty() || remotes.get(0).port() == 0 ? 1194 : remotes.get(0).port());
    }
}
