package crew.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * A certificate authority in the shape easy-rsa gives AWS's mutual-authentication guide: a CA, server certificates
 * (serverAuth, so OpenVPN's {@code remote-cert-tls server} accepts them), client certificates (clientAuth),
 * revocation and a CRL. RSA 2048 / SHA-256 like easy-rsa's defaults. Private keys are written encrypted (PKCS#8,
 * AES-256) when a passphrase is given.
 */
public final class CertificateAuthority {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IssuedCertificate ca;
    private final Map<BigInteger, Instant> revoked = new LinkedHashMap<>();

    private CertificateAuthority(IssuedCertificate ca) {
        this.ca = ca;
    }

    /** A new self-signed CA named {@code commonName}, valid for {@code validity}. */
    public static CertificateAuthority create(String commonName, Duration validity) throws PkiException {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name("CN=" + escape(commonName));
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(Instant.now().minusSeconds(60)),
                    Date.from(Instant.now().plus(validity)), name, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(new IssuedCertificate(sign(b, keys.getPrivate()), keys.getPrivate()));
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("could not create CA '" + commonName + "': " + e.getMessage(), e);
        }
    }

    /** A CA from its certificate and key (e.g. read back with {@link #readCertificate} and {@link #readPrivateKey}). */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey key) {
        return new CertificateAuthority(new IssuedCertificate(certificate, key));
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    public PrivateKey privateKey() {
        return ca.privateKey();
    }

    /** A server certificate: serverAuth, digitalSignature + keyEncipherment, the name also as a DNS SAN. */
    public IssuedCertificate issueServer(String commonName, Duration validity) throws PkiException {
        return issue(commonName, validity, KeyPurposeId.id_kp_serverAuth, KeyUsage.digitalSignature | KeyUsage.keyEncipherment, true);
    }

    /** A client certificate: clientAuth, digitalSignature. */
    public IssuedCertificate issueClient(String commonName, Duration validity) throws PkiException {
        return issue(commonName, validity, KeyPurposeId.id_kp_clientAuth, KeyUsage.digitalSignature, false);
    }

    /** Issues with explicit validity bounds (tests of expired certificates use a past window). */
    public IssuedCertificate issueClient(String commonName, Instant notBefore, Instant notAfter) throws PkiException {
        return issue(commonName, notBefore, notAfter, KeyPurposeId.id_kp_clientAuth, KeyUsage.digitalSignature, false);
    }

    private IssuedCertificate issue(String commonName, Duration validity, KeyPurposeId purpose, int usage, boolean san) throws PkiException {
        return issue(commonName, Instant.now().minusSeconds(60), Instant.now().plus(validity), purpose, usage, san);
    }

    private IssuedCertificate issue(String commonName, Instant notBefore, Instant notAfter, KeyPurposeId purpose, int usage, boolean san)
            throws PkiException {
        if (commonName == null || commonName.isBlank()) {
            throw new PkiException("a certificate needs a common name");
        }
        KeyPair keys = newKeyPair();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), Date.from(notBefore), Date.from(notAfter),
                    new X500Name("CN=" + escape(commonName)), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            if (san) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, commonName)));
            }
            return new IssuedCertificate(sign(b, ca.privateKey()), keys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("could not issue '" + commonName + "': " + e.getMessage(), e);
        }
    }

    /** Revokes a certificate this CA issued; it appears in the next {@link #crl}. */
    public void revoke(X509Certificate certificate) throws PkiException {
        if (!certificate.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
            throw new PkiException("'" + commonName(certificate) + "' was not issued by this CA (" + commonName(ca.certificate()) + ")");
        }
        revoked.put(certificate.getSerialNumber(), Instant.now());
    }

    /** A CRL listing every revoked certificate, valid for {@code validity}. */
    public X509CRL crl(Duration validity) throws PkiException {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(new X509CertificateHolder(ca.certificate().getEncoded()).getSubject(), new Date());
            b.setNextUpdate(Date.from(Instant.now().plus(validity)));
            for (Map.Entry<BigInteger, Instant> e : revoked.entrySet()) {
                b.addCRLEntry(e.getKey(), Date.from(e.getValue()), CRLReason.unspecified);
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(ca.privateKey());
            return new JcaX509CRLConverter().setProvider(BC).getCRL(b.build(signer));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new PkiException("could not sign the CRL: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies that {@code certificate} was signed by this CA, is within its validity, and is not revoked. The
     * exception says which check failed.
     */
    public void verify(X509Certificate certificate) throws PkiException {
        String name = commonName(certificate);
        try {
            certificate.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new PkiException("certificate '" + name + "' is not signed by CA '" + commonName(ca.certificate())
                    + "' (tampered, or from another CA): " + e.getMessage(), e);
        }
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new PkiException("certificate '" + name + "' expired on " + certificate.getNotAfter().toInstant(), e);
        } catch (CertificateNotYetValidException e) {
            throw new PkiException("certificate '" + name + "' is not valid before " + certificate.getNotBefore().toInstant(), e);
        }
        if (revoked.containsKey(certificate.getSerialNumber())) {
            throw new PkiException("certificate '" + name + "' was revoked on " + revoked.get(certificate.getSerialNumber()));
        }
    }

    // ------------------------------------------------------------------ files

    /** PEM text of a certificate or CRL. */
    public static String pem(Object certificateOrCrl) throws PkiException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(certificateOrCrl);
        } catch (IOException e) {
            throw new PkiException("could not write PEM: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** PKCS#8 PEM of a private key, AES-256 encrypted with {@code passphrase}, or plain when it is null. */
    public static String pem(PrivateKey key, char[] passphrase) throws PkiException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            if (passphrase == null) {
                w.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                w.writeObject(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(BC)
                        .setRandom(RANDOM).setPassword(passphrase).build()));
            }
        } catch (IOException | OperatorCreationException e) {
            throw new PkiException("could not write the private key: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** Writes text to a file readable by its owner only (private keys). */
    public static void writePrivate(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the caller's umask applies
        }
    }

    public static X509Certificate readCertificate(String pem, String source) throws PkiException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder h)) {
                throw new PkiException(source + ": no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
            }
            return new JcaX509CertificateConverter().setProvider(BC).getCertificate(h);
        } catch (IOException | GeneralSecurityException e) {
            throw new PkiException(source + ": not a readable certificate: " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivateKey(String pem, char[] passphrase, String source) throws PkiException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
            if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                if (passphrase == null) {
                    throw new PkiException(source + ": the key is encrypted: a passphrase is needed");
                }
                try {
                    return converter.getPrivateKey(enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase)));
                } catch (PKCSException e) {
                    throw new PkiException(source + ": wrong passphrase, or the key file is damaged", e);
                }
            }
            if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof org.bouncycastle.openssl.PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new PkiException(source + ": no PEM private key found");
        } catch (IOException | OperatorCreationException e) {
            throw new PkiException(source + ": not a readable private key: " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 bundle (key, certificate, CA chain) protected by {@code password}. */
    public static byte[] pkcs12(IssuedCertificate cert, X509Certificate caCert, char[] password) throws PkiException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(cert.commonName(), cert.privateKey(), password, new java.security.cert.Certificate[] {cert.certificate(), caCert});
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("could not write PKCS#12 for '" + cert.commonName() + "': " + e.getMessage(), e);
        }
    }

    public static IssuedCertificate readPkcs12(byte[] data, char[] password, String source) throws PkiException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new java.io.ByteArrayInputStream(data), password);
            List<String> aliases = new ArrayList<>(java.util.Collections.list(ks.aliases()));
            for (String a : aliases) {
                if (ks.isKeyEntry(a)) {
                    return new IssuedCertificate((X509Certificate) ks.getCertificate(a), (PrivateKey) ks.getKey(a, password));
                }
            }
            throw new PkiException(source + ": no key entry in the PKCS#12 file");
        } catch (IOException e) {
            throw new PkiException(source + ": wrong password, or not a PKCS#12 file", e);
        } catch (GeneralSecurityException e) {
            throw new PkiException(source + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ helpers

    static String commonName(X509Certificate c) {
        try {
            X500Name name = new X509CertificateHolder(c.getEncoded()).getSubject();
            return IETFUtils.valueToString(name.getRDNs(BCStyle.CN)[0].getFirst().getValue());
        } catch (Exception e) {
            return c.getSubjectX500Principal().getName();
        }
    }

    private static String escape(String cn) {
        return cn.replace("\\", "\\\\").replace(",", "\\,").replace("+", "\\+").replace("=", "\\=");
    }

    private static KeyPair newKeyPair() throws PkiException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("could not generate an RSA key: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException, IOException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(key);
            return new JcaX509CertificateConverter().setProvider(BC).getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
