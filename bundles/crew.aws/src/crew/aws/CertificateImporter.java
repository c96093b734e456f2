package crew.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.acm.AcmClient;

/**
 * Imports PEM certificates into ACM: an endpoint's server certificate (certificate, private key, chain) and a client
 * root CA (certificate and key, as ACM requires a key for every import). Key bytes go only into the request.
 */
public final class CertificateImporter {
    private final AcmClient acm;

    public CertificateImporter(AwsSession session) {
        this.acm = session.acm();
    }

    /** Returns the certificate's ARN. {@code chain} may be null. */
    public String importPem(Path certificate, Path privateKey, Path chain) throws IOException {
        String cert = pem(certificate, "CERTIFICATE");
        String key = pem(privateKey, "PRIVATE KEY");
        String chainPem = chain == null ? null : pem(chain, "CERTIFICATE");
        return acm.importCertificate(r -> {
            r.certificate(SdkBytes.fromString(cert, StandardCharsets.US_ASCII)).privateKey(SdkBytes.fromString(key, StandardCharsets.US_ASCII));
            if (chainPem != null) {
                r.certificateChain(SdkBytes.fromString(chainPem, StandardCharsets.US_ASCII));
            }
        }).certificateArn();
    }

    private static String pem(Path file, String kind) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN") || !text.contains(kind + "-----")) {
            throw new IllegalArgumentException(file + ": not a PEM file with a " + kind + " block (expected a line '-----BEGIN ..." + kind + "-----')");
        }
        return text;
    }
}
