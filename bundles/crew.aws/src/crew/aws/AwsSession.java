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
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * EC2 and ACM clients for one {@link AwsTarget}, sharing one HTTP client (passed explicitly: the SDK's
 * ServiceLoader discovery does not work inside OSGi) and one {@link CallCounter}. Retries are the SDK's own
 * (standard mode: 3 attempts with backoff; throttling and 5xx answers are retried).
 */
public final class AwsSession implements AutoCloseable {
    private final AwsTarget target;
    private final SdkHttpClient http;
    private final Ec2Client ec2;
    private final AcmClient acm;
    private final CallCounter counter = new CallCounter();
    private final Region region;

    public AwsSession(AwsTarget target) {
        this.target = target;
        this.region = region(target);
        this.http = UrlConnectionHttpClient.builder().build();
        AwsCredentialsProvider credentials = credentials(target);
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

    public CallCounter calls() {
        return counter;
    }

    @Override
    public void close() {
        ec2.close();
        acm.close();
        http.close();
    }
}
