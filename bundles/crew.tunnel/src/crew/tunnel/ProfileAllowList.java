package crew.tunnel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import crew.model.io.OvpnProfile.Directive;

/**
 * The stricter reading of a profile that arrives from an unprivileged client (the agent runs openvpn as root with
 * it): only directives CREW supports, each file argument inline (the agent never opens a path a client names), no
 * absolute, relative-parent or UNC paths, no scripts, plugins, OpenSSL engines or providers, no line long enough for
 * openvpn to read its tail as a directive of its own. A refused profile is a {@link TunnelException} (BAD_PROFILE)
 * naming the line and the directive.
 */
public final class ProfileAllowList {
    /** The longest line openvpn reads as one (its option line buffer is 256 bytes with the newline). */
    public static final int MAX_LINE = 255;
    /** The largest profile accepted (AWS's are about 10 KB). */
    public static final int MAX_BYTES = 256 * 1024;

    /** Directives an untrusted profile may use. */
    static final Set<String> ALLOWED = Set.of("client", "tls-client", "pull", "dev", "dev-type", "proto", "remote", "port", "rport", "nobind",
            "remote-random", "remote-random-hostname", "resolv-retry", "connect-retry", "connect-retry-max", "connect-timeout",
            "server-poll-timeout", "float", "remote-cert-tls", "remote-cert-eku", "remote-cert-ku", "verify-x509-name", "cipher", "data-ciphers",
            "data-ciphers-fallback", "auth", "tls-version-min", "tls-version-max", "tls-cipher", "tls-ciphersuites", "tls-cert-profile",
            "tls-timeout", "hand-window", "tran-window", "reneg-sec", "reneg-bytes", "reneg-pkts", "key-direction", "verb", "mute",
            "mute-replay-warnings", "persist-key", "persist-tun", "keepalive", "ping", "ping-restart", "inactive", "explicit-exit-notify",
            "tun-mtu", "mssfix", "fragment", "sndbuf", "rcvbuf", "compress", "comp-lzo", "allow-compression", "auth-nocache", "auth-user-pass",
            "static-challenge", "setenv", "setenv-safe", "pull-filter", "route", "route-ipv6", "route-metric", "route-delay", "route-method",
            "redirect-gateway", "dhcp-option", "block-ipv6", "route-nopull", "tun-ipv6", "push-peer-info", "replay-window", "ca", "cert", "key",
            "tls-auth", "tls-crypt", "extra-certs", "pkcs12",
            // CREW drops these itself (TunnelProfile.OVERRIDDEN), so they are harmless
            "route-noexec", "ifconfig-noexec", "auth-retry", "block-outside-dns");

    /** Directives refused with their reason (the rest of what is not allowed is refused as unsupported). */
    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("up", "scripts are never run by the agent"), Map.entry("down", "scripts are never run by the agent"),
            Map.entry("route-up", "scripts are never run by the agent"), Map.entry("route-pre-down", "scripts are never run by the agent"),
            Map.entry("ipchange", "scripts are never run by the agent"), Map.entry("tls-verify", "scripts are never run by the agent"),
            Map.entry("learn-address", "scripts are never run by the agent"), Map.entry("script-security", "scripts are never run by the agent"),
            Map.entry("iproute", "the agent runs no other program"), Map.entry("plugin", "plugins would run as root"),
            Map.entry("engine", "an OpenSSL engine would load a library as root"), Map.entry("providers", "an OpenSSL provider would load a library as root"),
            Map.entry("pkcs11-providers", "a PKCS#11 provider would load a library as root"),
            Map.entry("log", "openvpn would write a file as root"), Map.entry("log-append", "openvpn would write a file as root"),
            Map.entry("status", "openvpn would write a file as root"), Map.entry("writepid", "openvpn would write a file as root"),
            Map.entry("replay-persist", "openvpn would write a file as root"), Map.entry("tls-export-cert", "openvpn would write files as root"),
            Map.entry("management", "the agent owns the management interface"), Map.entry("config", "the agent reads no other file"),
            Map.entry("cd", "the agent's working folder is its own"), Map.entry("chroot", "the agent's root is its own"),
            Map.entry("daemon", "the agent supervises openvpn"), Map.entry("user", "the agent runs openvpn itself"),
            Map.entry("group", "the agent runs openvpn itself"), Map.entry("dev-node", "openvpn would open a device path"),
            Map.entry("askpass", "openvpn would read a file"), Map.entry("crl-verify", "openvpn would read a file"),
            Map.entry("secret", "static keys are not supported"), Map.entry("auth-federate", TunnelProfile.REFUSED.get("auth-federate")));

    /** Directives whose arguments name a file: an untrusted profile must give them inline. */
    private static final Set<String> FILE_ARGUMENTS = Set.of("ca", "cert", "key", "tls-auth", "tls-crypt", "extra-certs", "pkcs12");

    private ProfileAllowList() {
    }

    /**
     * Reads a profile sent by a client: {@code name} is only a label (letters, digits, '.', '_', '-'), never a path
     * that is opened.
     */
    public static TunnelProfile parse(String name, String text) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}") || name.startsWith(".")) {
            throw bad("the profile's name '" + name + "' may contain only letters, digits, '.', '_' and '-' (1-64, not starting with '.')");
        }
        if (text.length() > MAX_BYTES) {
            throw bad(name + ": " + text.length() + " characters is over the " + MAX_BYTES + " accepted");
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LINE) {
                throw bad(name + ":" + (i + 1) + ": a line of more than " + MAX_LINE + " bytes (openvpn would read its tail as another directive)");
            }
            for (int k = 0; k < line.length(); k++) {
                char c = line.charAt(k);
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw bad(name + ":" + (i + 1) + ": control character U+" + String.format("%04X", (int) c) + " at column " + (k + 1));
                }
            }
        }
        TunnelProfile profile = TunnelProfile.parse(Path.of(name), text);
        for (Directive d : profile.profile().directives()) {
            check(name, d);
        }
        return profile;
    }

    private static void check(String name, Directive d) {
        String where = name + ":" + d.line() + ": '" + d.name() + "'";
        String why = REFUSED.get(d.name());
        if (why != null) {
            throw bad(where + " is refused: " + why);
        }
        if (!ALLOWED.contains(d.name())) {
            throw bad(where + " is not a directive the agent accepts (it accepts " + ALLOWED.size() + " client directives; see docs/agent.md)");
        }
        if (FILE_ARGUMENTS.contains(d.name()) && !d.args().isEmpty() && !d.args().get(0).equals("[inline]")) {
            throw bad(where + " names a file: the agent opens no file a client names; put it inline (<" + d.name() + ">...</" + d.name() + ">)");
        }
        if ((d.name().equals("setenv") || d.name().equals("setenv-safe")) && !d.args().isEmpty() && d.args().get(0).equalsIgnoreCase("opt")) {
            throw bad(where + " opt: openvpn reads what follows 'setenv opt' as a directive of its own; the agent accepts none that way");
        }
        if (d.name().equals("dev") && !(d.args().size() == 1 && d.args().get(0).matches("tun[0-9]{0,3}"))) {
            throw bad(where + " must name a TUN device (dev tun): CREW configures a TUN device itself");
        }
        if (d.name().equals("auth-user-pass") && !d.args().isEmpty()) {
            throw bad(where + " names a file: leave it without one; the credentials are sent with the request");
        }
        for (String a : d.args()) {
            if (a.startsWith("/") || a.startsWith("\\") || a.startsWith("~") || a.matches("^[A-Za-z]:.*") || a.contains("..")
                    || a.contains("\\\\")) {
                throw bad(where + ": argument '" + a + "' is an absolute, parent-relative or UNC path; the agent accepts none");
            }
        }
    }

    private static TunnelException bad(String message) {
        return new TunnelException(TunnelException.Reason.BAD_PROFILE, message);
    }

    /** The directives an untrusted profile may use, sorted (docs, tests). */
    public static List<String> allowed() {
        return ALLOWED.stream().sorted().toList();
    }
}
