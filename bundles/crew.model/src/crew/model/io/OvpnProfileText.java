package crew.model.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import crew.model.io.OvpnProfile.Directive;
import crew.model.io.OvpnProfile.ProfileRoute;
import crew.model.io.OvpnProfile.Remote;
import crew.model.io.OvpnProfile.RouteGateway;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** Reads an AWS-exported {@code .ovpn} client profile; malformed lines are errors naming the line. */
public final class OvpnProfileText {
    /** Directives the AWS Client VPN user guide lists as supported, plus the ones its exports contain. */
    static final Set<String> SUPPORTED = Set.of("client", "dev", "dev-type", "dev-node", "proto", "remote", "remote-random-hostname",
            "resolv-retry", "nobind", "persist-key", "persist-tun", "remote-cert-tls", "cipher", "data-ciphers", "data-ciphers-fallback",
            "verb", "reneg-sec", "auth-user-pass", "static-challenge", "route", "route-ipv6", "port", "connect-retry",
            "connect-retry-max", "server-poll-timeout", "auth", "auth-nocache", "mute", "mute-replay-warnings", "pull-filter", "tun-mtu",
            "mssfix", "keepalive", "ping", "ping-restart", "ifconfig-ipv6", "route-nopull", "inactive", "tls-client", "key-direction",
            "remote-random", "tun-ipv6", "push-peer-info", "setenv", "sndbuf", "rcvbuf", "fragment", "comp-lzo", "compress",
            "route-method", "route-delay", "block-outside-dns", "verify-x509-name", "tls-version-min", "tls-cipher", "redirect-gateway",
            "dhcp-option", "script-security", "up", "down", "explicit-exit-notify");
    private static final Set<String> INLINE = Set.of("ca", "cert", "key", "tls-auth", "tls-crypt", "extra-certs", "pkcs12");
    private static final Map<String, String> FLAGGED = Map.of(
            "auth-federate", "SAML federated login: only the AWS-provided (patched) client understands it",
            "auth-retry", "the AWS-provided client manages retries itself",
            "up", "runs a script: the AWS-provided client ignores it",
            "down", "runs a script: the AWS-provided client ignores it",
            "script-security", "scripts are not run by the AWS-provided client");

    private OvpnProfileText() {
    }

    public static OvpnProfile parse(String source, String text) {
        List<Directive> directives = new ArrayList<>();
        Map<String, String> inline = new LinkedHashMap<>();
        List<Remote> remotes = new ArrayList<>();
        List<ProfileRoute> routes = new ArrayList<>();
        List<Directive> unsupported = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            int lineNo = n + 1;
            String line = lines[n].trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("<")) {
                if (!line.endsWith(">") || line.startsWith("</")) {
                    throw new SourceFormatException(source, lineNo, "unexpected '" + line + "' (an inline block opens with <tag>)");
                }
                String tag = line.substring(1, line.length() - 1);
                if (!INLINE.contains(tag)) {
                    throw new SourceFormatException(source, lineNo, "unknown inline block <" + tag + ">");
                }
                if (inline.containsKey(tag)) {
                    throw new SourceFormatException(source, lineNo, "second <" + tag + "> block");
                }
                StringBuilder body = new StringBuilder();
                int start = lineNo;
                while (true) {
                    n++;
                    if (n >= lines.length) {
                        throw new SourceFormatException(source, start, "<" + tag + "> is never closed with </" + tag + ">");
                    }
                    String b = lines[n].trim();
                    if (b.equals("</" + tag + ">")) {
                        break;
                    }
                    if (b.startsWith("<")) {
                        throw new SourceFormatException(source, n + 1, "'" + b + "' inside <" + tag + "> (missing </" + tag + ">?)");
                    }
                    body.append(lines[n]).append('\n');
                }
                if ((tag.equals("ca") || tag.equals("cert")) && !body.toString().contains("-----BEGIN CERTIFICATE-----")) {
                    throw new SourceFormatException(source, start, "<" + tag + "> holds no PEM certificate");
                }
                if (tag.equals("key") && !body.toString().contains("PRIVATE KEY-----")) {
                    throw new SourceFormatException(source, start, "<key> holds no PEM private key");
                }
                inline.put(tag, body.toString());
                continue;
            }
            List<String> words = words(source, lineNo, line);
            if (words.isEmpty()) {
                continue; // only Unicode white space (trim() keeps U+2028 and the like)
            }
            String name = words.get(0);
            List<String> args = List.copyOf(words.subList(1, words.size()));
            String note = FLAGGED.get(name);
            if (note == null && !SUPPORTED.contains(name)) {
                note = "not in the AWS Client VPN supported directive list";
            }
            Directive d = new Directive(lineNo, name, args, note);
            directives.add(d);
            if (note != null) {
                unsupported.add(d);
            }
            switch (name) {
                case "remote" -> {
                    if (args.isEmpty() || args.size() > 3) {
                        throw new SourceFormatException(source, lineNo, "remote needs HOST [PORT [PROTO]]");
                    }
                    int port = args.size() > 1 ? port(source, lineNo, args.get(1)) : 0;
                    remotes.add(new Remote(lineNo, args.get(0), port, args.size() > 2 ? protocol(source, lineNo, args.get(2)) : null));
                }
                case "port" -> {
                    if (args.size() != 1) {
                        throw new SourceFormatException(source, lineNo, "port needs one number");
                    }
                    port(source, lineNo, args.get(0));
                }
                case "proto" -> {
                    if (args.size() != 1) {
                        throw new SourceFormatException(source, lineNo, "proto needs one of udp, tcp, tcp-client, udp4, udp6, tcp4, tcp6");
                    }
                    protocol(source, lineNo, args.get(0));
                }
                case "route" -> routes.add(route(source, lineNo, args, false));
                case "route-ipv6" -> routes.add(route(source, lineNo, args, true));
                default -> {
                }
            }
        }
        if (directives.isEmpty()) {
            throw new SourceFormatException(source, 1, "no OpenVPN directives (is this an .ovpn profile?)");
        }
        if (remotes.isEmpty()) {
            throw new SourceFormatException(source, 0, "no 'remote' line: the profile does not say where the endpoint is");
        }
        return new OvpnProfile(directives, inline, remotes, routes, unsupported);
    }

    private static List<String> words(String source, int lineNo, String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else if (!quoted && (c == '#' || c == ';') && !any) {
                break;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new SourceFormatException(source, lineNo, "unclosed quote");
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    private static int port(String source, int lineNo, String text) {
        int p = LinuxRouteText.number(source, lineNo, "port", text);
        if (p < 1 || p > 65535) {
            throw new SourceFormatException(source, lineNo, "port " + p + " is outside 1..65535");
        }
        return p;
    }

    private static String protocol(String source, int lineNo, String text) {
        if (!Arrays.asList("udp", "tcp", "tcp-client", "udp4", "udp6", "tcp4", "tcp6", "tcp4-client", "tcp6-client").contains(text)) {
            throw new SourceFormatException(source, lineNo, "unknown protocol '" + text + "' (udp or tcp)");
        }
        return text;
    }

    private static ProfileRoute route(String source, int lineNo, List<String> args, boolean v6) {
        if (args.isEmpty()) {
            throw new SourceFormatException(source, lineNo, (v6 ? "route-ipv6" : "route") + " needs a destination");
        }
        try {
            Cidr dest;
            int next;
            if (v6) {
                dest = Cidr.parseLenient(args.get(0));
                next = 1;
                if (dest.family() != crew.model.net.IpFamily.IPV6) {
                    throw new SourceFormatException(source, lineNo, "mixed families: route-ipv6 with IPv4 destination " + args.get(0));
                }
            } else {
                IpAddress a = IpAddress.parse(args.get(0));
                if (!a.isIpv4()) {
                    throw new SourceFormatException(source, lineNo, "mixed families: route with IPv6 destination (use route-ipv6)");
                }
                IpAddress mask = args.size() > 1 && !args.get(1).equals("default") ? IpAddress.parse(args.get(1)) : IpAddress.parse("255.255.255.255");
                dest = Cidr.ofNetmask(a, mask, String.join(" ", args));
                next = 2;
            }
            RouteGateway gw = RouteGateway.VPN_GATEWAY;
            IpAddress gwAddress = null;
            int metric = 0;
            if (args.size() > next && !args.get(next).equals("default")) {
                String g = args.get(next);
                if (g.equals("net_gateway")) {
                    gw = RouteGateway.NET_GATEWAY;
                } else if (!g.equals("vpn_gateway") && !g.equals("remote_host")) {
                    gwAddress = IpAddress.parse(g);
                    if (gwAddress.family() != dest.family()) {
                        throw new SourceFormatException(source, lineNo, "mixed families: gateway " + g + " for " + dest);
                    }
                    gw = RouteGateway.ADDRESS;
                }
            }
            if (args.size() > next + 1) {
                metric = LinuxRouteText.number(source, lineNo, "metric", args.get(next + 1));
            }
            if (args.size() > next + 2) {
                throw new SourceFormatException(source, lineNo, "too many words after the route");
            }
            return new ProfileRoute(lineNo, dest, gw, gwAddress, metric);
        } catch (AddressFormatException e) {
            throw new SourceFormatException(source, lineNo, "bad route: " + e.getMessage(), e);
        }
    }
}
