package crew.tunnel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's PUSH_REPLY as openvpn logs it ({@code PUSH: Received control message: 'PUSH_REPLY,opt,opt,...'}).
 * openvpn 2.6 with --route-noexec reports redirect-gateway nowhere else (the UPDOWN environment has no variable for
 * it), so CREW reads it here.
 */
public record PushReply(List<String> options) {
    private static final String MARKER = "PUSH: Received control message: '";

    public PushReply {
        options = List.copyOf(options);
    }

    /** The push reply in a log line, if the line carries one. */
    public static Optional<PushReply> fromLog(String line) {
        int at = line.indexOf(MARKER);
        if (at < 0) {
            return Optional.empty();
        }
        String body = line.substring(at + MARKER.length());
        if (body.endsWith("'")) {
            body = body.substring(0, body.length() - 1);
        }
        if (!body.startsWith("PUSH_REPLY")) {
            return Optional.empty();
        }
        List<String> opts = new ArrayList<>();
        for (String o : body.split(",")) {
            if (!o.equals("PUSH_REPLY") && !o.isBlank()) {
                opts.add(o.trim());
            }
        }
        return Optional.of(new PushReply(opts));
    }

    /** The flags of a pushed redirect-gateway, or empty when none was pushed. */
    public Optional<List<String>> redirectGateway() {
        for (String o : options) {
            String[] w = o.split("\\s+");
            if (w[0].equals("redirect-gateway")) {
                return Optional.of(List.of(w).subList(1, w.length));
            }
        }
        return Optional.empty();
    }

    /** The configuration with what only the push reply says: redirect-gateway (IPv4 unless !ipv4, IPv6 with ipv6). */
    public PushedConfiguration applyTo(PushedConfiguration c) {
        Optional<List<String>> flags = redirectGateway();
        if (flags.isEmpty()) {
            return c;
        }
        Map<String, String> env = new HashMap<>(c.environment());
        if (!flags.get().contains("!ipv4")) {
            env.put("route_redirect_gateway_ipv4", String.join(" ", flags.get()));
        }
        if (flags.get().contains("ipv6")) {
            env.put("route_redirect_gateway_ipv6", String.join(" ", flags.get()));
        }
        return new PushedConfiguration(c.device(), c.ipv4Address(), c.ipv6Address(), c.routes(), c.ipv6Routes(), c.vpnGateway(), c.netGateway(),
                c.trustedIp(), true, c.dnsServers(), c.enforced(), env);
    }
}
