package crew.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * EC2 and ACM clients for one {@link AwsTarget}, sharing one HTTP client (passed explicitly: the SDK's
 * ServiceLoader discovery does not work inside OSGi) and one {@link CallCounter}. Retries are the SDK's own
 * (standard mode: 3 attempts with backoff; throttling and 5xx answers are retried).
 *
 * <p>Credentials: the local account's dummy keys, a named profile through the SDK's
 * {@link ProfileCredentialsProvider}, or the default chain. SSO profiles ({@code sso_start_url}, or
 * {@code sso_session}) take the SDK's own path: the auth bundle loads {@code SsoProfileCredentialsProviderFactory}
 * (and, for {@code sso_session}, {@code SsoOidcProfileTokenProviderFactory}) by class name, which works in OSGi
 * because the wrapped SDK bundles have {@code DynamicImport-Package: *} and crew.aws imports the sso/ssooidc
 * packages, so those bundles are resolved. The SSO and SSO-OIDC clients the SDK builds there get no HTTP client
 * passed in and fall back to discovery; {@link #useUrlConnectionForSdkInternalClients()} names the URLConnection
 * client in the SDK's {@code software.amazon.awssdk.http.service.impl} setting so that discovery succeeds without
 * ServiceLoader.
 */
public final class AwsSession implements AutoCloseable {
    /** The SDK setting that names the synchronous HTTP implementation when ServiceLoader finds none. */
    static final String SDK_HTTP_SERVICE_PROPERTY = "software.amazon.awssdk.http.service.impl";

    static {
        useUrlConnectionForSdkInternalClients();
    }

    private final AwsTarget target;
    private final SdkHttpClient http;
    private final Ec2Client ec2;
    private final AcmClient acm;
    private final CallCounter counter = new CallCounter();
    private final Region region;
    private final AwsCredentialsProvider credentials;

    public AwsSession(AwsTarget target) {
        this.target = target;
        this.region = region(target);
        this.http = UrlConnectionHttpClient.builder().build();
        this.credentials = credentials(target);
        ClientOverrideConfiguration override = ClientOverrideConfiguration.builder().addExecutionInterceptor(counter).build();
        var ec2Builder = Ec2Client.builder().httpClient(http).region(region).credentialsProvider(credentials).overrideConfiguration(override);
        var acmBuilder = AcmClient.builder().httpClient(http).region(region).credentialsProvider(credentials).overrideConfiguration(override);
        if (target.endpointOverride() != null) {
            ec2Builder.endpointOverride(target.endpointOverride());
            acmBuilder.endpointOverride(target.endpointOverride());
        }
        this.ec2 = ec2Builder.build();
        this.acm = acmBuilder.build();
    }

    private static Region region(AwsTarget target) {
        if (target.region() != null && !target.region().isBlank()) {
            return Region.of(target.region());
        }
        try {
            Region r = target.profile() != null ? new AwsProfileRegionProvider(null, target.profile()).getRegion() : null;
            return r != null ? r : DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("no AWS region: pass --region, or set AWS_REGION or a region in the profile");
        }
    }

    /**
     * Clients that the SDK builds itself (SSO's GetRoleCredentials, SSO-OIDC token refresh, called from inside the
     * credentials providers) find the URLConnection HTTP client through the SDK's system setting, unless the user
     * named another implementation.
     */
    static void useUrlConnectionForSdkInternalClients() {
        if (System.getProperty(SDK_HTTP_SERVICE_PROPERTY) == null) {
            System.setProperty(SDK_HTTP_SERVICE_PROPERTY, UrlConnectionSdkHttpService.class.getName());
        }
    }

    private static AwsCredentialsProvider credentials(AwsTarget target) {
        if (target.isLocal()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsTarget.LOCAL_ACCESS_KEY, AwsTarget.LOCAL_SECRET_KEY));
        }
        if (target.profile() != null) {
            return ProfileCredentialsProvider.builder().profileName(target.profile()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    public AwsTarget target() {
        return target;
    }

    public Region region() {
        return region;
    }

    public Ec2Client ec2() {
        return ec2;
    }

    public AcmClient acm() {
        return acm;
    }

    /** The credentials provider the clients sign with (resolving it may call SSO). */
    public AwsCredentialsProvider credentialsProvider() {
        return credentials;
    }

    public CallCounter calls() {
        return counter;
    }

    @Override
    public void close() {
        ec2.close();
        acm.close();
        http.close();
        if (credentials instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // closing the profile provider (and the SSO client in it) cannot fail in a way that matters here
            }
        }
    }
}
