package crew.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import crew.model.io.OvpnProfile;
import crew.model.io.OvpnProfile.Directive;
import crew.model.io.OvpnProfileText;
import crew.model.io.SourceFormatException;

/**
 * An {@code .ovpn} client profile (AWS-exported or the lab's) made ready for CREW's tunnel: read and checked with
 * crew.model's profile reader, with what the stock {@code openvpn} cannot do refused, and the directives CREW
 * controls itself (management, routes, scripts) taken out of the configuration openvpn is given.
 */
public final class TunnelProfile {

    /** Directives that make a profile unusable with the stock openvpn CREW drives. */
    static final Map<String, String> REFUSED = Map.of(
            "auth-federate", "SAML federated login needs the AWS-provided (patched) client; CREW drives the stock openvpn, which cannot"
                    + " do it: use a mutual-TLS (certificate) or Active Directory (username/password) profile");

    /** Directives CREW removes because it does their job itself, with the reason shown to the user. */
    static final Map<String, String> OVERRIDDEN = Map.ofEntries(
            Map.entry("up", "CREW runs no profile scripts: it configures the tunnel itself"),
            Map.entry("down", "CREW runs no profile scripts: it configures the tunnel itself"),
            Map.entry("route-up", "CREW runs no profile scripts"),
            Map.entry("route-pre-down", "CREW runs no profile scripts"),
            Map.entry("ipchange", "CREW runs no profile scripts"),
            Map.entry("script-security", "CREW runs no profile scripts"),
            Map.entry("management", "CREW owns the management interface"),
            Map.entry("management-client", "CREW owns the management interface"),
            Map.entry("management-hold", "CREW owns the management interface"),
            Map.entry("management-query-passwords", "CREW owns the management interface"),
            Map.entry("route-noexec", "CREW always installs routes itself"),
            Map.entry("ifconfig-noexec", "CREW always configures the address itself"),
            Map.entry("daemon", "CREW supervises openvpn in the foreground"),
            Map.entry("log", "CREW collects openvpn's output"),
            Map.entry("log-append", "CREW collects openvpn's output"),
            Map.entry("writepid", "CREW supervises openvpn itself"),
            Map.entry("auth-retry", "CREW reports a refused login instead of retrying it"),
            Map.entry("block-outside-dns", "Windows only"));

    private final Path source;
    private final String text;
    private final OvpnProfile profile;
    private final List<String> notes = new ArrayList<>();
    private final Set<Integer> droppedLines = new HashSet<>();

    private TunnelProfile(Path source, String text, OvpnProfile profile) {
        this.source = source;
        this.text = text;
        this.profile = profile;
        for (Directive d : profile.directives()) {
            String refused = REFUSED.get(d.name());
            if (refused != null) {
                throw new TunnelException(TunnelException.Reason.BAD_PROFILE, source + ":" + d.line() + ": '" + d.name() + "' is not supported: "
                        + refused);
            }
            String why = OVERRIDDEN.get(d.name());
            if (why != null) {
                droppedLines.add(d.line());
                notes.add("line " + d.line() + ": '" + d.name() + "' ignored (" + why + ")");
            } else if (d.note() != null) {
                notes.add("line " + d.line() + ": '" + d.name() + "' " + d.note() + " (passed to openvpn as it is)");
            }
        }
    }

    /** Reads and checks a profile; a bad one is a {@link TunnelException} (BAD_PROFILE) naming the file and line. */
    public static TunnelProfile read(Path file) {
        String text;
        try {
            text = crew.model.io.TextFiles.read(file);
        } catch (IOException e) {
            throw new TunnelException(TunnelException.Reason.BAD_PROFILE, "cannot read the profile " + file + ": " + crew.model.io.TextFiles.reason(e), e);
        } catch (SourceFormatException e) {
            // not UTF-8 text (a binary file, UTF-16): named with the byte offset and line
            throw new TunnelException(TunnelException.Reason.BAD_PROFILE, "the profile " + e.getMessage(), e);
        }
        return parse(file, text);
    }

    public static TunnelProfile parse(Path source, String text) {
        try {
            return new TunnelProfile(source, text, OvpnProfileText.parse(String.valueOf(source), text));
        } catch (SourceFormatException e) {
            throw new TunnelException(TunnelException.Reason.BAD_PROFILE, e.getMessage(), e);
        }
    }

    public Path source() {
        return source;
    }

    public OvpnProfile profile() {
        return profile;
    }

    /** What CREW changes or cannot vouch for, one line each, naming the profile line. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Whether the profile asks for a username and password (Active Directory authentication). */
    public boolean needsCredentials() {
        return profile.directive("auth-user-pass").isPresent();
    }

    /** Whether the profile's inline private key is encrypted, so openvpn asks for its passphrase. */
    public boolean hasEncryptedKey() {
        String key = profile.inline().getOrDefault("key", "");
        return key.contains("ENCRYPTED");
    }

    /** The configuration given to openvpn: the profile without the directives CREW does itself. */
    public String runtimeConfiguration() {
        StringBuilder out = new StringBuilder("# written by CREW from ").append(source).append("; CREW drives this openvpn\n");
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!droppedLines.contains(i + 1)) {
                out.append(lines[i]).append('\n');
            }
        }
        return out.toString();
    }
}
