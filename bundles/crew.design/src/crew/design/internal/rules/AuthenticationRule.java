package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.EndpointDesign;

/** CVPN026 authentication-options: One or two authentication options: certificate (with a client root chain), directory, or federated; directory and federated cannot be combined. */
@Component(service = LintRule.class)
public final class AuthenticationRule extends BaseRule {

    public AuthenticationRule() {
        super("CVPN026", "authentication-options", Severity.ERROR, "One or two authentication options: certificate (with a client root chain), directory, or federated; directory and federated cannot be combined.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        var opts = d.endpoint().authenticationOptions();
        String el = DesignElements.endpoint("AuthenticationOptions");
        if (opts.isEmpty()) {
            out.add(finding("no authentication option", el));
            return;
        }
        if (opts.size() > 2) {
            out.add(finding(opts.size() + " authentication options; at most 2", el));
        }
        long dir = opts.stream().filter(o -> AuthenticationOption.DIRECTORY.equals(o.type())).count();
        long fed = opts.stream().filter(AuthenticationOption::isFederated).count();
        if (dir > 0 && fed > 0) {
            out.add(finding("directory and federated authentication cannot be combined", el,
                    List.of("AuthenticationOptions.ActiveDirectory.DirectoryId", "AuthenticationOptions.FederatedAuthentication.SamlProviderArn")));
        }
        for (AuthenticationOption o : opts) {
            if (o.isCertificate() && o.clientRootCertificateChain() == null) {
                out.add(finding("certificate authentication without a client root certificate chain ARN", el,
                        List.of("AuthenticationOptions.MutualAuthentication.ClientRootCertificateChain")));
            }
            if (o.isFederated() && o.samlProviderArn() == null) {
                out.add(finding("federated authentication without a SAML provider ARN", el,
                        List.of("AuthenticationOptions.FederatedAuthentication.SamlProviderArn")));
            }
            if (AuthenticationOption.DIRECTORY.equals(o.type()) && o.directoryId() == null) {
                out.add(finding("directory authentication without a directory id", el, List.of("AuthenticationOptions.ActiveDirectory.DirectoryId")));
            }
        }
        if (d.endpoint().selfServicePortal() && fed == 0) {
            out.add(finding("the self-service portal needs federated authentication", DesignElements.endpoint("SelfServicePortal"),
                    List.of("SelfServicePortal", "AuthenticationOptions.FederatedAuthentication.SamlProviderArn")));
        }
    }
}
