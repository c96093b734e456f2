package crew.ui.endpoint.internal;

import java.util.ArrayList;
import java.util.List;

import crew.model.endpoint.AuthenticationOption;

/**
 * The console's authentication section as four fields over the list of options: a certificate chain ARN makes a
 * certificate option, a directory ID a directory option, a SAML provider a federated one (with its self-service
 * provider).
 */
final class Authentication {
    private Authentication() {
    }

    static String read(List<AuthenticationOption> options, String which) {
        for (AuthenticationOption o : options) {
            String value = switch (which) {
                case "certificate" -> o.isCertificate() ? o.clientRootCertificateChain() : null;
                case "directory" -> AuthenticationOption.DIRECTORY.equals(o.type()) ? o.directoryId() : null;
                case "federated" -> o.isFederated() ? o.samlProviderArn() : null;
                case "selfService" -> o.isFederated() ? o.selfServiceSamlProviderArn() : null;
                default -> throw new IllegalArgumentException(which);
            };
            if (value != null) {
                return value;
            }
        }
        return "";
    }

    static List<AuthenticationOption> write(List<AuthenticationOption> options, String which, String value) {
        String certificate = which.equals("certificate") ? value : read(options, "certificate");
        String directory = which.equals("directory") ? value : read(options, "directory");
        String federated = which.equals("federated") ? value : read(options, "federated");
        String selfService = which.equals("selfService") ? value : read(options, "selfService");
        if (!selfService.isEmpty() && federated.isEmpty()) {
            throw new IllegalArgumentException("a self-service SAML provider needs a federated SAML provider");
        }
        List<AuthenticationOption> result = new ArrayList<>();
        if (!certificate.isEmpty()) {
            result.add(AuthenticationOption.certificate(certificate));
        }
        if (!directory.isEmpty()) {
            result.add(new AuthenticationOption(AuthenticationOption.DIRECTORY, null, directory, null, null));
        }
        if (!federated.isEmpty()) {
            result.add(new AuthenticationOption(AuthenticationOption.FEDERATED, null, null, federated,
                    selfService.isEmpty() ? null : selfService));
        }
        return result;
    }
}
