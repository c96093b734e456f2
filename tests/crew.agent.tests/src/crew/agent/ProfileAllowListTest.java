package crew.agent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import crew.tunnel.ProfileAllowList;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelProfile;

/**
 * The allow-list a profile from an unprivileged client passes before the agent gives it to openvpn as root. The
 * classes of the anchors' CVEs: a validated file that is re-read (the agent takes content only), log/status paths
 * (AWS CVE-2022-25166), UNC paths (CVE-2022-25165), plugins and providers (OpenVPN CVE-2024-27903), scripts and
 * newline injection into a config language (NetworkManager CVE-2018-10900), and openvpn's 256-byte line buffer.
 */
class ProfileAllowListTest {
    static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";
    static final String BASE = String.join("\n", "client", "dev tun", "proto udp", "remote 198.51.100.1 1194", "nobind", "remote-cert-tls server",
            "verb 3", "<ca>", PEM, "</ca>", "<cert>", PEM, "</cert>", "<key>", KEY, "</key>", "");
    /** The line a test appends to BASE. */
    static final String NEXT = "p.ovpn:" + (BASE.split("\n").length + 1);

    @Test
    void givenALabOrAwsStyleProfile_whenChecked_thenItIsAccepted() {
        TunnelProfile p = ProfileAllowList.parse("lab-user.ovpn", BASE + "reneg-sec 0\nroute 192.168.1.0 255.255.255.0 net_gateway\ncipher AES-256-GCM\n");
        assertTrue(p.runtimeConfiguration().contains("remote 198.51.100.1 1194"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"up /tmp/x.sh", "down x", "script-security 2", "plugin /usr/lib/evil.so", "log /etc/cron.d/x", "status /etc/passwd",
        "management 127.0.0.1 7505", "config /root/other.conf", "cd /root", "providers legacy evil", "engine dynamic", "tls-verify /bin/sh",
        "writepid /etc/shadow", "auth-user-pass /root/creds", "chroot /tmp", "daemon", "--up /tmp/x", "x-unknown-directive 1",
        "setenv opt up x.sh", "setenv OPT plugin x.so", "dev eth0", "dev tap0"})
    void givenADirectiveTheAgentRefuses_whenChecked_thenTheRefusalNamesTheLineAndTheDirective(String line) {
        TunnelException e = assertThrows(TunnelException.class, () -> ProfileAllowList.parse("p.ovpn", BASE + line + "\n"));
        String name = line.split(" ")[0];
        assertTrue(e.getMessage().contains(NEXT) && e.getMessage().contains(name), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca /etc/shadow", "tls-auth ta.key 1", "verify-x509-name \\\\\\\\attacker\\\\share name", "pkcs12 ../../root/x.p12",
        "setenv X /etc/passwd", "tls-crypt C:\\\\keys\\\\x"})
    void givenAPathInAnArgument_whenChecked_thenItIsRefused(String line) {
        TunnelException e = assertThrows(TunnelException.class, () -> ProfileAllowList.parse("p.ovpn", BASE + line + "\n"));
        assertTrue(e.getMessage().contains(NEXT), e.getMessage());
    }

    @Test
    void givenALineLongEnoughForOpenvpnToSplit_whenChecked_thenItIsRefused() {
        String smuggled = "setenv X " + "A".repeat(247) + "up /tmp/evil.sh";
        TunnelException e = assertThrows(TunnelException.class, () -> ProfileAllowList.parse("p.ovpn", BASE + smuggled + "\n"));
        assertTrue(e.getMessage().contains("more than 255 bytes"), e.getMessage());
        assertThrows(TunnelException.class, () -> ProfileAllowList.parse("p.ovpn", BASE + "verb 3\u0000\n"));
        assertThrows(TunnelException.class, () -> ProfileAllowList.parse("p.ovpn", BASE + "verb 3\rup /x\n"));
    }

    @Test
    void givenANameThatIsAPath_whenChecked_thenItIsRefused() {
        for (String name : new String[] {"/etc/passwd", "../x.ovpn", ".hidden", "a b"}) {
            assertThrows(TunnelException.class, () -> ProfileAllowList.parse(name, BASE));
        }
    }

    /**
     * What openvpn reads from a configuration: lines cut at '\n' and at its 255-byte buffer, as directive names, and
     * the directive a 'setenv opt' line carries.
     */
    static List<String> openvpnDirectives(String config) {
        List<String> names = new ArrayList<>();
        boolean inline = false;
        for (String line : config.split("\n", -1)) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            for (int off = 0; off < Math.max(1, bytes.length); off += 255) {
                String piece = new String(bytes, off, Math.min(255, bytes.length - off), StandardCharsets.UTF_8).strip();
                if (inline) {
                    inline = !piece.startsWith("</");
                    continue;
                }
                if (piece.isEmpty() || piece.startsWith("#") || piece.startsWith(";")) {
                    continue;
                }
                if (piece.startsWith("<")) {
                    inline = true;
                    continue;
                }
                String[] words = piece.split("[ \t]+");
                String name = words[0].startsWith("--") ? words[0].substring(2) : words[0];
                names.add(name);
                if (name.equals("setenv") && words.length > 2 && words[1].equalsIgnoreCase("opt")) {
                    names.add(words[2]); // openvpn reads 'setenv opt X ...' as directive X
                }
            }
        }
        return names;
    }

    @Test
    void givenASeededFuzzOfProfiles_whenOneIsAccepted_thenOpenvpnWouldReadOnlyAllowedDirectives() {
        long seconds = Long.getLong("crew.fuzz.seconds", 0);
        Random random = new Random(2718);
        String[] words = {"up", "down", "plugin", "log", "verb", "remote", "route", "setenv", "--up", "cd", "config", "dev", "/tmp/x", "..",
            "\\\\host\\share", "C:\\x", "[inline]", "ca", "key", "<ca>", "</ca>", "#", ";", "\r", "\t", "\u0000", "\u2028", "x".repeat(120),
            "A".repeat(250), "management", "status", "nobind", "auth-user-pass", "script-security", "2", "1194", "tls-auth", "providers", "opt",
            "setenv opt"};
        long end = System.nanoTime() + java.time.Duration.ofSeconds(Math.max(2, seconds)).toNanos();
        int accepted = 0;
        int cases = 0;
        while (System.nanoTime() < end) {
            StringBuilder extra = new StringBuilder();
            int lines = 1 + random.nextInt(4);
            for (int l = 0; l < lines; l++) {
                int n = 1 + random.nextInt(4);
                for (int w = 0; w < n; w++) {
                    extra.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
                }
                extra.append(random.nextInt(5) == 0 ? "\r\n" : "\n");
            }
            cases++;
            TunnelProfile p;
            try {
                p = ProfileAllowList.parse("fuzz.ovpn", BASE + extra);
            } catch (TunnelException e) {
                continue;
            }
            accepted++;
            for (String name : openvpnDirectives(p.runtimeConfiguration())) {
                assertTrue(crew.tunnel.ProfileAllowList.allowed().contains(name), "accepted a profile openvpn would read '" + name + "' from:\n" + extra);
            }
        }
        System.out.println("profile fuzz: " + cases + " profiles, " + accepted + " accepted");
        assertTrue(cases > 100 && accepted > 0, cases + " cases, " + accepted + " accepted");
    }
}
