package crew.tunnel.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.pki.CertificateAuthority;
import crew.pki.IssuedCertificate;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;
import crew.tunnel.TunnelState;

/**
 * Every way a tunnel can fail to come up, against the real openvpn and a real lab: each ends with a clear error of
 * its kind, and the device's table exactly as it was, with no openvpn left running.
 */
class TunnelErrorsTest {
    private static Path home;
    private static String previousHome;
    private static Path openvpn;
    private static EndpointLab lab;
    private static ClosableRoutingBackend device;
    private static String good;

    @BeforeAll
    static void lab() throws Exception {
        if (!Prerequisites.isRoot() || Prerequisites.findExecutable("openvpn").isEmpty()) {
            return; // each test says why it skips
        }
        home = Files.createTempDirectory("crew-tunnel-errors");
        previousHome = System.getProperty("crew.home");
        System.setProperty("crew.home", home.toString());
        openvpn = Prerequisites.findExecutable("openvpn").orElseThrow();
        lab = EndpointLab.up(LabPlanTest.example("split-tunnel"), LabPlanTest.uniqueId("e2ex"), List.of(new LabClient("u", Set.of())), openvpn, l -> { });
        device = LinuxRouting.namespace(lab.plan().deviceNamespace());
        good = Files.readString(lab.clientProfile("u"));
    }

    @AfterAll
    static void down() {
        if (device != null) {
            device.close();
        }
        if (lab != null) {
            assertTrue(lab.down().isEmpty());
        }
        if (home != null) {
            if (previousHome == null) {
                System.clearProperty("crew.home");
            } else {
                System.setProperty("crew.home", previousHome);
            }
        }
    }

    private static void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireExecutable("openvpn", "the tunnel drives the real openvpn");
    }

    /** Connects a variant of the lab profile and returns the failure, checking that the device was left as found. */
    private static TunnelException failure(String name, UnaryOperator<String> profile, UnaryOperator<TunnelOptions> options) throws Exception {
        Path file = home.resolve(name + ".ovpn");
        Files.writeString(file, profile.apply(good));
        List<DeviceRoute> before = device.routes();
        TunnelOptions o = options.apply(TunnelOptions.defaults(name, lab.plan().deviceNamespace()).withOpenvpn(openvpn)
                .withDirectories(home.resolve("tunnel").resolve(name), home.resolve("journal")).withConnectTimeout(Duration.ofSeconds(10)));
        TunnelSession s = new TunnelSession(TunnelProfile.read(file), device, o, null);
        Instant t0 = Instant.now();
        TunnelException e = assertThrows(TunnelException.class, s::connect);
        System.out.println("[tunnel errors] " + name + " after " + Duration.between(t0, Instant.now()).toMillis() + " ms: " + e.reason() + ": "
                + e.getMessage().lines().findFirst().orElse(""));
        assertEquals(TunnelState.FAILED, s.status().state());
        assertEquals(LabEndToEndTest.identities(before), LabEndToEndTest.identities(device.routes()), name + ": the table is as it was");
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(home.resolve("tunnel").resolve(name)
                .toString())), name + ": no openvpn left");
        return e;
    }

    @Test
    void givenNoOpenvpn_whenConnecting_thenTheErrorSaysWhereItWasLookedFor() throws Exception {
        prerequisites();
        TunnelException e = failure("missing", p -> p, o -> o.withOpenvpn(Path.of("/nonexistent/sbin/openvpn")));
        assertEquals(TunnelException.Reason.OPENVPN_MISSING, e.reason());
        assertTrue(e.getMessage().contains("/nonexistent/sbin/openvpn") && e.getMessage().contains("install the openvpn package"), e.getMessage());
    }

    @Test
    void givenAProfileOpenvpnRejects_whenConnecting_thenOpenvpnsOwnWordsAreQuoted() throws Exception {
        prerequisites();
        TunnelException e = failure("badoption", p -> p.replace("nobind\n", "nobind\nfrobnicate yes\n"), o -> o);
        assertEquals(TunnelException.Reason.BAD_PROFILE, e.reason());
        assertTrue(e.getMessage().contains("Options error") && e.getMessage().contains("frobnicate"), e.getMessage());
    }

    @Test
    void givenAnUnreachableServer_whenConnecting_thenItFailsAfterTheTimeoutNamingTheServer() throws Exception {
        prerequisites();
        String nobody = lab.plan().lan().first().toString().replaceAll("\\.0$", ".99");
        TunnelException e = failure("unreachable", p -> p.replaceAll("remote \\S+ ", "remote " + nobody + " "),
                o -> o.withConnectTimeout(Duration.ofSeconds(4)));
        assertEquals(TunnelException.Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().contains(nobody) && e.getMessage().contains("no answer"), e.getMessage());
    }

    @Test
    void givenACertificateFromAnotherCa_whenConnecting_thenTheServerRefusesItAndTheErrorSaysSo() throws Exception {
        prerequisites();
        CertificateAuthority other = CertificateAuthority.create("not the lab's CA", Duration.ofDays(2));
        IssuedCertificate stranger = other.issueClient("u", Duration.ofDays(2));
        TunnelException e = failure("strangercert", p -> withClientCertificate(p, stranger), o -> o.withConnectTimeout(Duration.ofSeconds(5)));
        assertEquals(TunnelException.Reason.CERTIFICATE_REJECTED, e.reason());
        assertTrue(e.getMessage().contains("TLS handshake") && e.getMessage().contains("refused our certificate"), e.getMessage());
    }

    @Test
    void givenAnExpiredCertificate_whenConnecting_thenItIsRefused() throws Exception {
        prerequisites();
        // the lab's own CA and client name, but a certificate that expired yesterday
        String expired = lab.profileWithValidity("u", Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)));
        TunnelException e = failure("expiredcert", p -> expired, o -> o.withConnectTimeout(Duration.ofSeconds(5)));
        assertEquals(TunnelException.Reason.CERTIFICATE_REJECTED, e.reason());
    }

    @Test
    void givenAServerCertificateWeDoNotTrust_whenConnecting_thenWeRefuseIt() throws Exception {
        prerequisites();
        String otherCa = CertificateAuthority.pem(CertificateAuthority.create("some other CA", Duration.ofDays(2)).certificate()).strip() + "\n";
        TunnelException e = failure("untrustedserver", p -> p.replace(block(p, "ca"), otherCa), o -> o);
        assertEquals(TunnelException.Reason.CERTIFICATE_REJECTED, e.reason());
        assertTrue(e.getMessage().contains("VERIFY ERROR") || e.getMessage().contains("certificate verify failed"), e.getMessage());
    }

    @Test
    void givenAProfileAskingForAPasswordAndNoneGiven_whenConnecting_thenItSaysSo() throws Exception {
        prerequisites();
        TunnelException e = failure("nopassword", p -> p.replace("nobind\n", "nobind\nauth-user-pass\n"), o -> o);
        assertEquals(TunnelException.Reason.AUTH_FAILED, e.reason());
        assertTrue(e.getMessage().contains("username and password") && e.getMessage().contains("none was given"), e.getMessage());
    }

    @Test
    void givenAProfileAskingForAPassword_whenTheCredentialsAreGiven_thenOpenvpnGetsThemAndConnects() throws Exception {
        prerequisites();
        Path file = home.resolve("withpassword.ovpn");
        Files.writeString(file, good.replace("nobind\n", "nobind\nauth-user-pass\n"));
        List<DeviceRoute> before = device.routes();
        TunnelOptions o = TunnelOptions.defaults("withpassword", lab.plan().deviceNamespace()).withOpenvpn(openvpn)
                .withDirectories(home.resolve("tunnel").resolve("withpassword"), home.resolve("journal")).withConnectTimeout(Duration.ofSeconds(10))
                .withCredentials("alice", "s3cret \"quoted\"".toCharArray(), null);
        TunnelProfile profile = TunnelProfile.read(file);
        assertTrue(profile.needsCredentials() && !profile.hasEncryptedKey());
        try (TunnelSession s = new TunnelSession(profile, device, o, null)) {
            s.connect();
            assertEquals(TunnelState.CONNECTED, s.status().state());
            // openvpn holds the connection until the password is answered (the same profile without credentials fails
            // with AUTH_FAILED above); the lab's server accepts any password
            assertTrue(s.recentLog().stream().noneMatch(l -> l.contains("s3cret")), "the password is never logged");
        }
        assertEquals(LabEndToEndTest.identities(before), LabEndToEndTest.identities(device.routes()));
    }

    private static String withClientCertificate(String profile, IssuedCertificate cert) {
        try {
            return profile.replace(block(profile, "cert"), CertificateAuthority.pem(cert.certificate()).strip() + "\n")
                    .replace(block(profile, "key"), CertificateAuthority.pem(cert.privateKey(), null).strip() + "\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String block(String profile, String tag) {
        Matcher m = java.util.regex.Pattern.compile("<" + tag + ">\n(.*?)</" + tag + ">", java.util.regex.Pattern.DOTALL).matcher(profile);
        if (!m.find()) {
            throw new IllegalStateException("no <" + tag + "> in the profile");
        }
        return m.group(1);
    }
}
