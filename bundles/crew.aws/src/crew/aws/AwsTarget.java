package crew.aws;

import java.net.URI;

/**
 * Which account and region to talk to: a named profile (or the default credentials chain when null), a region (or
 * the profile's / environment's when null), and an endpoint override for the local account. An override without a
 * profile uses the local account's dummy credentials; with a profile, the profile's credentials (an SSO profile
 * against a local endpoint, in tests).
 */
public record AwsTarget(String profile, String region, URI endpointOverride) {

    /** Dummy credentials the local account accepts; they are not secrets and grant nothing anywhere. */
    public static final String LOCAL_ACCESS_KEY = "AKIDCREWLOCAL0000000";
    public static final String LOCAL_SECRET_KEY = "crew-local-dummy-secret-key-not-a-credential";

    public static AwsTarget local(URI endpoint, String region) {
        return new AwsTarget(null, region == null ? "us-east-1" : region, endpoint);
    }

    /** True when the local account's dummy credentials are used: an endpoint override and no profile. */
    public boolean isLocal() {
        return endpointOverride != null && profile == null;
    }
}
