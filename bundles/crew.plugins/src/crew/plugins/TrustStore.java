package crew.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The signers whose plugins CREW installs: X.509 certificates (PEM or DER, one per file, {@code *.pem}, {@code *.crt},
 * {@code *.cer}) in two folders, the product's {@code configuration/crew.plugins/trusted/} (what whoever installed
 * CREW trusts, for every user) and the user's {@code $CREW_HOME/plugins/trusted/} ({@code crew plugin trust}). A
 * certificate is trusted as a signer by its SHA-256 fingerprint, whether or not it chains to a CA; certificates that
 * chain to a CA in the JDK's cacerts are trusted by p2 anyway. Certificates are public: the files are not secret.
 */
public final class TrustStore {

    /** A trusted certificate and where it was found. */
    public record Signer(String fingerprint, String subject, String notAfter, Path file, boolean product) {
    }

    private final Path productFolder;
    private final Path userFolder;

    public TrustStore(Path productFolder, Path userFolder) {
        this.productFolder = productFolder;
        this.userFolder = userFolder;
    }

    /** The product's folder for {@code product}, else the user's. */
    public Path folder(boolean product) {
        return product ? productFolder : userFolder;
    }

    /** Every trusted signer, the product's first; unreadable files are skipped and named in {@code problems}. */
    public List<Signer> signers(List<String> problems) {
        Map<String, Signer> byFingerprint = new LinkedHashMap<>();
        read(productFolder, true, byFingerprint, problems);
        read(userFolder, false, byFingerprint, problems);
        return new ArrayList<>(byFingerprint.values());
    }

    private static void read(Path folder, boolean product, Map<String, Signer> into, List<String> problems) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{pem,crt,cer,der}")) {
            for (Path f : files) {
                try (InputStream in = Files.newInputStream(f)) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        Signer s = signer((X509Certificate) c, f, product);
                        into.putIfAbsent(s.fingerprint(), s);
                    }
                } catch (IOException | CertificateException e) {
                    problems.add(f + ": not an X.509 certificate (" + e.getMessage() + ")");
                }
            }
        } catch (IOException e) {
            problems.add(folder + ": " + e.getMessage());
        }
    }

    static Signer signer(X509Certificate c, Path file, boolean product) {
        return new Signer(fingerprint(c), c.getSubjectX500Principal().getName(), c.getNotAfter().toInstant().toString(), file, product);
    }

    /** The SHA-256 fingerprint of a certificate's encoding, lower-case hex without separators (p2's form). */
    public static String fingerprint(Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The certificates in {@code source}: a certificate file, or a signed jar (the first certificate of each of its
     * signers' chains, read while verifying every entry, so that a tampered jar gives none).
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static List<X509Certificate> certificatesIn(Path source) throws IOException {
        String name = source.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jar")) {
            return jarSigners(source);
        }
        try (InputStream in = Files.newInputStream(source)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (all.isEmpty()) {
                throw new IOException(source + ": no certificate in it");
            }
            return all.stream().map(c -> (X509Certificate) c).toList();
        } catch (CertificateException e) {
            throw new IOException(source + ": not an X.509 certificate, PEM or DER (" + e.getMessage() + ")", e);
        }
    }

    private static List<X509Certificate> jarSigners(Path jar) throws IOException {
        Map<String, X509Certificate> signers = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            var entries = file.entries();
            byte[] buffer = new byte[8192];
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                try (InputStream in = file.getInputStream(e)) {
                    while (in.read(buffer) >= 0) {
                        // reading to the end verifies the entry's digest; a mismatch throws SecurityException
                    }
                }
                String n = e.getName();
                if (n.startsWith("META-INF/") && !n.substring(9).contains("/")) {
                    continue; // the signature files themselves
                }
                var codeSigners = e.getCodeSigners();
                if (codeSigners == null) {
                    throw new IOException(jar + ": entry " + n + " is not signed");
                }
                for (var s : codeSigners) {
                    X509Certificate c = (X509Certificate) s.getSignerCertPath().getCertificates().get(0);
                    signers.putIfAbsent(fingerprint(c), c);
                }
            }
        } catch (SecurityException e) {
            throw new IOException(jar + ": its signature does not match its content (" + e.getMessage() + ")", e);
        }
        if (signers.isEmpty()) {
            throw new IOException(jar + ": not signed");
        }
        return new ArrayList<>(signers.values());
    }

    /** Writes {@code c} as {@code FINGERPRINT.pem} into the product's or the user's folder; returns the signer. */
    public Signer add(X509Certificate c, boolean product) throws IOException {
        Path folder = folder(product);
        Files.createDirectories(folder);
        String fp = fingerprint(c);
        Path file = folder.resolve(fp + ".pem");
        String pem;
        try {
            pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return signer(c, file, product);
    }

    /**
     * Removes the trusted certificates whose fingerprint starts with {@code prefix} (at least 8 hex digits) from the
     * user's folder, or the product's for {@code product}; returns those removed.
     */
    public List<Signer> remove(String prefix, boolean product) throws IOException {
        String p = prefix.toLowerCase(Locale.ROOT).replace(":", "");
        List<Signer> removed = new ArrayList<>();
        for (Signer s : signers(new ArrayList<>())) {
            if (s.product() == product && s.fingerprint().startsWith(p)) {
                Files.deleteIfExists(s.file());
                removed.add(s);
            }
        }
        return removed;
    }
}
