package crew.model.endpoint;

/**
 * One client authentication option of an endpoint (create-only; at most one of each kind, certificate and
 * directory may be combined, federated stands alone or with certificate).
 *
 * @param type                       "certificate-authentication", "directory-service-authentication" or
 *                                   "federated-authentication"
 * @param clientRootCertificateChain ACM ARN of the client root CA (certificate authentication)
 * @param directoryId                AWS Directory Service id (directory authentication)
 * @param samlProviderArn            IAM SAML provider ARN (federated authentication)
 * @param selfServiceSamlProviderArn SAML provider for the self-service portal (federated), or null
 */
public record AuthenticationOption(String type, String clientRootCertificateChain, String directoryId, String samlProviderArn,
        String selfServiceSamlProviderArn) {

    public static final String CERTIFICATE = "certificate-authentication";
    public static final String DIRECTORY = "directory-service-authentication";
    public static final String FEDERATED = "federated-authentication";

    public static AuthenticationOption certificate(String clientRootCertificateChainArn) {
        return new AuthenticationOption(CERTIFICATE, clientRootCertificateChainArn, null, null, null);
    }

    public boolean isCertificate() {
        return CERTIFICATE.equals(type);
    }

    public boolean isFederated() {
        return FEDERATED.equals(type);
    }
}
