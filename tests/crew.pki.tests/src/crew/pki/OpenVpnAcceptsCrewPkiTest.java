package crew.pki;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import crew.testing.Prerequisites;

/**
 * The proof that crew.pki writes what the real openvpn accepts: an OpenVPN 2.6 server and client in two network
 * namespaces authenticate each other with crew.pki's certificates (remote-cert-tls server included); a tampered
 * and an expired client certificate are refused by the server.
 */
class OpenVpnAcceptsCrewPkiTest {

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static boolean waitFor(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void givenCrewPkiCertificates_whenOpenVpnConnects_thenTheTunnelComesUpAndBadClientsAreRefused() throws Exception {
        Prerequisites.requireRoot();
        String openvpn = Prerequisites.requireExecutable("openvpn", "the real OpenVPN checks CREW's certificates").toString();
        Prerequisites.requireExecutable("ip", "iproute2 builds the namespaces");
        Path dir = Files.createTempDirectory("crew-pki-openvpn");
        CertificateAuthority ca = CertificateAuthority.create("CREW lab CA", Duration.ofDays(365));
        IssuedCertificate server = ca.issueServer("server.lab", Duration.ofDays(365));
        IssuedCertificate client = ca.issueClient("client.lab", Duration.ofDays(365));
        Files.writeString(dir.resolve("ca.pem"), CertificateAuthority.pem(ca.certificate()));
        Files.writeString(dir.resolve("server.pem"), CertificateAuthority.pem(server.certificate()));
        CertificateAuthority.writePrivate(dir.resolve("server.key"), CertificateAuthority.pem(server.privateKey(), null));
        Files.writeString(dir.resolve("client.pem"), CertificateAuthority.pem(client.certificate()));
        CertificateAuthority.writePrivate(dir.resolve("client.key"), CertificateAuthority.pem(client.privateKey(), null));
        // a tampered client certificate (a flipped signature bit) and an expired one
        byte[] der = client.certificate().getEncoded();
        der[der.length - 10] ^= 0x5A;
        String tampered = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(dir.resolve("tampered.pem"), tampered);
        IssuedCertificate expired = ca.issueClient("expired.lab", Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)));
        Files.writeString(dir.resolve("expired.pem"), CertificateAuthority.pem(expired.certificate()));
        CertificateAuthority.writePrivate(dir.resolve("expired.key"), CertificateAuthority.pem(expired.privateKey(), null));

        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
        String srv = "crewps" + id;
        String dev = "crewpc" + id;
        run("ip", "netns", "add", srv);
        run("ip", "netns", "add", dev);
        Process serverProc = null;
        try {
            run("ip", "link", "add", "v" + id + "s", "netns", srv, "type", "veth", "peer", "name", "v" + id + "c", "netns", dev);
            run("ip", "-n", srv, "addr", "add", "10.50.0.1/24", "dev", "v" + id + "s");
            run("ip", "-n", dev, "addr", "add", "10.50.0.2/24", "dev", "v" + id + "c");
            run("ip", "-n", srv, "link", "set", "v" + id + "s", "up");
            run("ip", "-n", dev, "link", "set", "v" + id + "c", "up");
            Files.writeString(dir.resolve("server.conf"), String.join("\n", "server 10.201.0.0 255.255.255.0", "topology subnet", "proto udp",
                    "port 1194", "local 10.50.0.1", "dev tun", "ca " + dir.resolve("ca.pem"), "cert " + dir.resolve("server.pem"),
                    "key " + dir.resolve("server.key"), "dh none", "verb 3", "") );
            serverProc = new ProcessBuilder("ip", "netns", "exec", srv, openvpn, "--config", dir.resolve("server.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
            assertTrue(waitFor(dir.resolve("server.log"), "Initialization Sequence Completed", 20), "server starts: " + read(dir.resolve("server.log")));

            assertTrue(connect(openvpn, dev, dir, "client.pem", "client.key", "good"), "openvpn accepts crew.pki's client and server certificates: "
                    + read(dir.resolve("good.log")));
            assertTrue(!connect(openvpn, dev, dir, "tampered.pem", "client.key", "tampered"), "a tampered certificate is refused");
            assertTrue(!connect(openvpn, dev, dir, "expired.pem", "expired.key", "expired"), "an expired certificate is refused");
            String serverLog = read(dir.resolve("server.log"));
            assertTrue(serverLog.contains("certificate has expired") || serverLog.contains("VERIFY ERROR"), serverLog);
        } finally {
            if (serverProc != null) {
                serverProc.destroy();
                serverProc.waitFor(5, TimeUnit.SECONDS);
                serverProc.destroyForcibly();
            }
            run("ip", "netns", "del", srv);
            run("ip", "netns", "del", dev);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "(no log)";
    }

    /** Runs a client until it connects or fails; true when the tunnel came up. */
    private static boolean connect(String openvpn, String netns, Path dir, String cert, String key, String name) throws Exception {
        Files.writeString(dir.resolve(name + ".conf"), String.join("\n", "client", "dev tun", "proto udp", "remote 10.50.0.1 1194", "nobind",
                "ca " + dir.resolve("ca.pem"), "cert " + dir.resolve(cert), "key " + dir.resolve(key), "remote-cert-tls server", "route-noexec",
                "connect-retry-max 1", "hand-window 5", "verb 3", ""));
        Process p = new ProcessBuilder("ip", "netns", "exec", netns, openvpn, "--config", dir.resolve(name + ".conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        try {
            return waitFor(dir.resolve(name + ".log"), "Initialization Sequence Completed", name.equals("good") ? 20 : 8);
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }
}
