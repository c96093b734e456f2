package crew.aws;

import java.util.Map;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK exceptions into one clear sentence: what AWS refused, its error code, and what to do about it. */
public final class AwsErrors {
    private static final Map<String, String> ADVICE = Map.ofEntries(
            Map.entry("InvalidClientVpnDuplicateRoute", "the route already exists on the endpoint; pull again and re-plan"),
            Map.entry("InvalidClientVpnRouteNotFound", "the route is not on the endpoint (deleted meanwhile?); pull again and re-plan"),
            Map.entry("InvalidClientVpnDuplicateAuthorizationRule", "an identical authorization rule already exists; pull again and re-plan"),
            Map.entry("InvalidClientVpnEndpointAuthorizationRuleNotFound", "the authorization rule is not on the endpoint; pull again and re-plan"),
            Map.entry("InvalidClientVpnActiveAssociationNotFound", "the target subnet is not associated with the endpoint; associate it first"),
            Map.entry("InvalidClientVpnSubnetId.DuplicateAz", "the endpoint already has a subnet in that availability zone: one subnet per AZ"),
            Map.entry("InvalidClientVpnSubnetId.OverlappingCidr", "the subnet's CIDR overlaps the client CIDR block; choose another subnet or client CIDR"),
            Map.entry("InvalidClientVpnSubnetId.DifferentAccount", "the subnet belongs to another account"),
            Map.entry("InvalidClientVpnSubnetId.NotFound", "no such subnet in this account and region"),
            Map.entry("InvalidClientVpnEndpointId.NotFound", "no such Client VPN endpoint in this account and region (check --region and --profile)"),
            Map.entry("ClientVpnRouteLimitExceeded", "quota reached: 100 routes per target network association"),
            Map.entry("ClientVpnAuthorizationRuleLimitExceeded", "quota reached: 200 authorization rules per endpoint"),
            Map.entry("ClientVpnEndpointLimitExceeded", "quota reached: 5 Client VPN endpoints per region"),
            Map.entry("ConcurrentMutationLimitExceeded", "more than 10 changes of this endpoint at once (AWS's limit, shared with other clients changing it); run again to resume"),
            Map.entry("RequestLimitExceeded", "AWS throttled the requests even after retries; wait and run again"),
            Map.entry("UnauthorizedOperation", "the credentials lack the IAM permission for this action"),
            Map.entry("AuthFailure", "AWS did not accept the credentials; check the profile"));

    private AwsErrors() {
    }

    /** The AWS error code of {@code e}, or null. */
    public static String code(Throwable e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
    }

    /**
     * Whether {@code e} comes from an SSO profile whose cached token is missing or expired (the SDK's SSO provider
     * throws {@code ExpiredTokenException}; a token refresh through SSO-OIDC fails with an {@code SsoOidcException}).
     */
    static boolean ssoSessionProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof software.amazon.awssdk.services.sso.auth.ExpiredTokenException
                    || t instanceof software.amazon.awssdk.services.ssooidc.model.SsoOidcException) {
                return true;
            }
        }
        return false;
    }

    public static String describe(SdkException e) {
        if (ssoSessionProblem(e)) {
            return "the AWS SSO session of the profile has expired or was never started: run 'aws sso login' for the profile, then try again ("
                    + e.getMessage() + ")";
        }
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            String code = s.awsErrorDetails().errorCode();
            String advice = ADVICE.get(code);
            return "AWS refused (" + code + ", HTTP " + s.statusCode() + "): " + s.awsErrorDetails().errorMessage() + (advice == null ? "" : " -- " + advice);
        }
        if (e instanceof SdkClientException) {
            return "cannot reach AWS or find credentials: " + e.getMessage();
        }
        return e.getMessage();
    }
}
