package crew.aws.events;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

import crew.aws.AwsTarget;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * CloudWatch Logs clients for {@link EventsSettings}: the URLConnection HTTP client passed explicitly (no
 * ServiceLoader in OSGi), credentials from the named profile or the default chain (the embedded local API on a
 * loopback endpoint: its dummy keys), and, for the shipper, no SDK retries: the sink retries itself with its own
 * backoff, keeping the events in its spool meanwhile, instead of sleeping inside a call.
 */
public final class LogsClients {
    private LogsClients() {
    }

    /** A client for the shipper (no retries) or, with {@code retries}, for a reader (the SDK's standard retries). */
    public static CloudWatchLogsClient open(EventsSettings s, boolean retries) {
        var b = CloudWatchLogsClient.builder().httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(20)).build()).region(region(s)).credentialsProvider(credentials(s));
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(30));
        if (!retries) {
            o.retryStrategy(AwsRetryStrategy.doNotRetry());
        }
        b.overrideConfiguration(o.build());
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint());
        }
        return b.build();
    }

    private static Region region(EventsSettings s) {
        if (s.region() != null && !s.region().isBlank()) {
            return Region.of(s.region());
        }
        if (isLoopback(s.endpoint())) {
            return Region.US_EAST_1;
        }
        try {
            Region r = s.profile() != null ? new AwsProfileRegionProvider(null, s.profile()).getRegion() : null;
            return r != null ? r : DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("no AWS region for the events: pass --region, or set AWS_REGION or a region in the profile");
        }
    }

    private static AwsCredentialsProvider credentials(EventsSettings s) {
        if (s.profile() != null) {
            return ProfileCredentialsProvider.builder().profileName(s.profile()).build();
        }
        if (isLoopback(s.endpoint())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsTarget.LOCAL_ACCESS_KEY, AwsTarget.LOCAL_SECRET_KEY));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    static boolean isLoopback(URI endpoint) {
        if (endpoint == null || endpoint.getHost() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
