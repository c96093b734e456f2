package crew.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
    private static CertificateAuthority ca;
    private static IssuedCertificate server;
    private static IssuedCertificate client;

    @BeforeAll
    static void createPki() throws Exception {
        ca = CertificateAuthority.create("CREW test CA", Duration.ofDays(3650));
        server = ca.issueServer("server.crew.test", Duration.ofDays(825));
        client = ca.issueClient("client1.crew.test", Duration.ofDays(825));
    }

    @Test
    void givenTheEasyRsaShape_whenIssued_thenCaServerAndClientCarryTheRightUsages() throws Exception {
        assertEquals(Integer.MAX_VALUE, ca.certificate().getBasicConstraints(), "the CA may sign");
        assertEquals(-1, server.certificate().getBasicConstraints(), "a server certificate is not a CA");
        assertTrue(server.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth: remote-cert-tls server passes");
        assertTrue(client.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "clientAuth");
        assertEquals("client1.crew.test", client.commonName());
        ca.verify(server.certificate());
        ca.verify(client.certificate());
    }

    @Test
    void givenPemFiles_whenWrittenAndReadBack_thenSameCertificateAndKeyAndEncryptedKeysNeedThePassphrase() throws Exception {
        String certPem = CertificateAuthority.pem(client.certificate());
        assertTrue(certPem.startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(client.certificate(), CertificateAuthority.readCertificate(certPem, "client.pem"));
        String encrypted = CertificateAuthority.pem(client.privateKey(), "correct horse".toCharArray());
        assertTrue(encrypted.contains("ENCRYPTED PRIVATE KEY"), "keys at rest are encrypted");
        assertArrayEquals(client.privateKey().getEncoded(),
                CertificateAuthority.readPrivateKey(encrypted, "correct horse".toCharArray(), "client.key").getEncoded());
        PkiException wrong = assertThrows(PkiException.class, () -> CertificateAuthority.readPrivateKey(encrypted, "wrong".toCharArray(), "client.key"));
        assertTrue(wrong.getMessage().contains("client.key: wrong passphrase"), wrong.getMessage());
        PkiException missing = assertThrows(PkiException.class, () -> CertificateAuthority.readPrivateKey(encrypted, null, "client.key"));
        assertTrue(missing.getMessage().contains("passphrase is needed"), missing.getMessage());
        String plain = CertificateAuthority.pem(client.privateKey(), null);
        assertTrue(plain.contains("BEGIN PRIVATE KEY"));
        PkiException notACert = assertThrows(PkiException.class, () -> CertificateAuthority.readCertificate(plain, "key.pem"));
        assertTrue(notACert.getMessage().startsWith("key.pem: no PEM certificate"), notACert.getMessage());
    }

    @Test
    void givenPkcs12_whenWrittenAndReadBack_thenTheKeyEntryRoundTrips() throws Exception {
        byte[] p12 = CertificateAuthority.pkcs12(client, ca.certificate(), "pw".toCharArray());
        IssuedCertificate back = CertificateAuthority.readPkcs12(p12, "pw".toCharArray(), "client.p12");
        assertEquals(client.certificate(), back.certificate());
        assertArrayEquals(client.privateKey().getEncoded(), back.privateKey().getEncoded());
        assertThrows(PkiException.class, () -> CertificateAuthority.readPkcs12(p12, "bad".toCharArray(), "client.p12"));
    }

    @Test
    void givenTamperedExpiredRevokedOrForeignCertificates_whenVerified_thenEachIsRefusedWithItsReason() throws Exception {
        byte[] der = client.certificate().getEncoded();
        der[der.length - 10] ^= 0x5A; // flip bits in the signature
        X509Certificate tampered = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
        assertTrue(assertThrows(PkiException.class, () -> ca.verify(tampered)).getMessage().contains("not signed by CA"));
        IssuedCertificate expired = ca.issueClient("old.crew.test", Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
        assertTrue(assertThrows(PkiException.class, () -> ca.verify(expired.certificate())).getMessage().contains("expired on"));
        IssuedCertificate gone = ca.issueClient("gone.crew.test", Duration.ofDays(10));
        ca.revoke(gone.certificate());
        assertTrue(assertThrows(PkiException.class, () -> ca.verify(gone.certificate())).getMessage().contains("was revoked"));
        X509CRL crl = ca.crl(Duration.ofDays(30));
        crl.verify(ca.certificate().getPublicKey());
        assertTrue(crl.isRevoked(gone.certificate()));
        assertTrue(CertificateAuthority.pem(crl).startsWith("-----BEGIN X509 CRL-----"));
        CertificateAuthority other = CertificateAuthority.create("Other CA", Duration.ofDays(10));
        assertThrows(PkiException.class, () -> ca.verify(other.issueClient("x", Duration.ofDays(1)).certificate()));
        assertThrows(PkiException.class, () -> ca.revoke(other.certificate()));
    }
}
