package crew.aws.local;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.UUID;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The ACM JSON API's ImportCertificate on a {@link LocalAccount}. The certificate is parsed; the private key is
 * checked for a PEM header and then dropped: the local account never stores key material.
 */
final class AcmJsonApi {
    private final LocalAccount account;

    AcmJsonApi(LocalAccount account) {
        this.account = account;
    }

    String handle(String target, String body) {
        String action = target.substring(target.indexOf('.') + 1);
        account.enter(action);
        if (!"ImportCertificate".equals(action)) {
            throw new LocalApiException("UnknownOperationException", "The local account supports ACM ImportCertificate only, not " + action);
        }
        JsonObject request = JsonParser.parseString(body).getAsJsonObject();
        String certificatePem = blob(request, "Certificate", true);
        String key = blob(request, "PrivateKey", true);
        String chain = blob(request, "CertificateChain", false);
        X509Certificate certificate = parse(certificatePem, "Certificate");
        if (chain != null) {
            parse(chain, "CertificateChain");
        }
        if (!key.contains("-----BEGIN") || !key.contains("PRIVATE KEY-----")) {
            throw new LocalApiException("ValidationException", "The private key is not a PEM-encoded private key.");
        }
        synchronized (account.lock) {
            String arn = request.has("CertificateArn") ? request.get("CertificateArn").getAsString()
                    : "arn:aws:acm:" + account.state.region + ":" + account.state.accountId + ":certificate/" + UUID.randomUUID();
            account.state.certificates.removeIf(c -> c.arn.equals(arn));
            LocalAccountState.Certificate c = new LocalAccountState.Certificate();
            c.arn = arn;
            c.subject = certificate.getSubjectX500Principal().getName();
            c.notAfter = certificate.getNotAfter().toInstant().toString();
            c.importedAt = LocalAccount.now();
            account.state.certificates.add(c);
            account.save();
            JsonObject response = new JsonObject();
            response.addProperty("CertificateArn", arn);
            return response.toString();
        }
    }

    private static String blob(JsonObject request, String name, boolean required) {
        if (!request.has(name) || request.get(name).isJsonNull()) {
            if (required) {
                throw new LocalApiException("ValidationException", "1 validation error detected: Value null at '" + name + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(request.get(name).getAsString()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new LocalApiException("SerializationException", name + " is not base64");
        }
    }

    private static X509Certificate parse(String pem, String name) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().findFirst().orElseThrow(() -> new CertificateException("no certificate"));
        } catch (CertificateException e) {
            throw new LocalApiException("ValidationException", name + " is not a PEM-encoded X.509 certificate: " + e.getMessage());
        }
    }
}
