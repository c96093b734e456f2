package crew.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust store: certificates from files and from signed jars, refused for unsigned and tampered jars. */
class TrustStoreTest {
    @TempDir
    static Path dir;
    static TestSigner signer;

    @BeforeAll
    static void key() throws Exception {
        signer = TestSigner.create(dir, "acme", "CN=ACME plugin signing (test),O=ACME");
    }

    @Test
    void aSignedJarGivesItsSignerWhoseFingerprintMatchesTheExportedCertificate() throws Exception {
        Path jar = TestSigner.jar(dir.resolve("signed.jar"), "a/A.txt", "hello", "b/B.txt", "world");
        signer.sign(jar);
        List<X509Certificate> fromJar = TrustStore.certificatesIn(jar);
        List<X509Certificate> fromFile = TrustStore.certificatesIn(signer.exportCertificate(dir.resolve("acme.pem")));
        assertEquals(1, fromJar.size());
        assertEquals(TrustStore.fingerprint(fromFile.get(0)), TrustStore.fingerprint(fromJar.get(0)));
        assertTrue(fromJar.get(0).getSubjectX500Principal().getName().contains("ACME plugin signing"));
        assertEquals(64, TrustStore.fingerprint(fromJar.get(0)).length());
    }

    @Test
    void anUnsignedJarIsRefusedNamingTheEntry() throws Exception {
        Path jar = TestSigner.jar(dir.resolve("unsigned.jar"), "a/A.txt", "hello");
        IOException e = assertThrows(IOException.class, () -> TrustStore.certificatesIn(jar));
        assertTrue(e.getMessage().contains("a/A.txt is not signed"), e.getMessage());
    }

    @Test
    void aTamperedJarIsRefused() throws Exception {
        Path jar = TestSigner.jar(dir.resolve("tampered.jar"), "a/A.txt", "hello hello hello", "b/B.txt", "world");
        signer.sign(jar);
        // change one byte of the stored (deflated) content of a/A.txt: same length, different digest
        byte[] all = Files.readAllBytes(jar);
        int at = indexOf(all, "a/A.txt".getBytes()) + "a/A.txt".length() + 2;
        try (RandomAccessFile f = new RandomAccessFile(jar.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
        assertThrows(Exception.class, () -> TrustStore.certificatesIn(jar));
    }

    @Test
    void addListAndRemove() throws Exception {
        TrustStore store = new TrustStore(dir.resolve("product/trusted"), dir.resolve("home/plugins/trusted"));
        List<String> problems = new ArrayList<>();
        assertTrue(store.signers(problems).isEmpty());
        X509Certificate c = TrustStore.certificatesIn(signer.exportCertificate(dir.resolve("acme2.pem"))).get(0);
        TrustStore.Signer added = store.add(c, false);
        assertEquals(dir.resolve("home/plugins/trusted").resolve(added.fingerprint() + ".pem"), added.file());
        List<TrustStore.Signer> signers = store.signers(problems);
        assertEquals(1, signers.size());
        assertEquals(TrustStore.fingerprint(c), signers.get(0).fingerprint());
        Files.writeString(dir.resolve("home/plugins/trusted/junk.pem"), "not a certificate");
        store.signers(problems);
        assertTrue(problems.stream().anyMatch(p -> p.contains("junk.pem")), problems.toString());
        assertTrue(store.remove(added.fingerprint().substring(0, 12), true).isEmpty(), "the product's folder has none");
        assertEquals(1, store.remove(added.fingerprint().substring(0, 12), false).size());
        assertTrue(Files.notExists(added.file()));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i + needle.length - needle.length;
        }
        throw new IllegalStateException("not found");
    }
}
