package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.testing.Prerequisites;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * SSO profiles inside OSGi: a config file with an SSO profile (legacy {@code sso_start_url}, and {@code sso_session})
 * and a cached SSO token in {@code $HOME/.aws/sso/cache}; the unmodified SDK's profile provider loads its SSO
 * factory by class name, calls a loopback stub of the SSO portal's GetRoleCredentials with the cached token, and
 * the EC2 client then signs its calls to the local account with the role credentials the portal answered.
 *
 * <p>The test JVM's HOME is {@code target/home} (tycho-surefire environment in the pom): the SDK takes the SSO cache
 * directory from the HOME environment variable once, so a temporary directory cannot stand in for it.
 */
class SsoProfileTest {
    static final String ROLE_KEY_ID = "ASIACREWSSOROLE00001";
    static final String ROLE_SECRET = "crew-sso-role-secret-from-the-portal-stub";
    static final String ROLE_SESSION_TOKEN = "crew-sso-session-token-from-the-portal-stub";
    static final String START_URL = "https://crew-test.awsapps.com/start";
    static final String ACCESS_TOKEN = "crew-cached-sso-access-token";

    @TempDir
    Path dir;
    Path home;
    PortalStub portal;
    LocalAwsServer server;
    final Map<String, String> savedProperties = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        String h = System.getenv("HOME");
        Prerequisites.require(h != null && Path.of(h).toAbsolutePath().normalize().endsWith(Path.of("target", "home")),
                "HOME must be the test home target/home (set by the tycho-surefire configuration), not " + h);
        home = Path.of(h);
        Files.createDirectories(home.resolve(".aws/sso/cache"));
        portal = PortalStub.start();
        server = LocalAwsServer.start(LocalAccount.inMemory(), 0);
        Path config = dir.resolve("config");
        Files.writeString(config, """
                [profile crew-sso-legacy]
                sso_start_url = %1$s
                sso_region = us-east-1
                sso_account_id = 000000000000
                sso_role_name = CrewNetworkAdmin
                region = us-east-1

                [profile crew-sso-session]
                sso_session = crew-session
                sso_account_id = 000000000000
                sso_role_name = CrewNetworkAdmin
                region = us-east-1

                [sso-session crew-session]
                sso_start_url = %1$s
                sso_region = us-east-1
                sso_registration_scopes = sso:account:access
                """.formatted(START_URL));
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, "");
        setProperty("aws.configFile", config.toString());
        setProperty("aws.sharedCredentialsFile", credentials.toString());
        // the SDK's per-service endpoint setting (AWS_ENDPOINT_URL_SSO): the SSO portal is the loopback stub
        setProperty("aws.endpointUrlSso", portal.endpoint());
    }

    void setProperty(String key, String value) {
        savedProperties.putIfAbsent(key, System.getProperty(key, "\u0000"));
        System.setProperty(key, value);
    }

    @AfterEach
    void tearDown() throws IOException {
        savedProperties.forEach((k, v) -> {
            if (v.equals("\u0000")) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        if (portal != null) {
            portal.close();
        }
        if (server != null) {
            server.close();
        }
        if (home != null) {
            try (var files = Files.list(home.resolve(".aws/sso/cache"))) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Writes the token cache file the AWS CLI's {@code aws sso login} leaves: SHA-1 of the start URL or session name. */
    void cacheToken(String key, boolean withRefresh) throws Exception {
        String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8))) + ".json";
        String expires = Instant.now().plus(8, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        String refresh = withRefresh ? """
                , "clientId": "crew-client-id", "clientSecret": "crew-client-secret", "refreshToken": "crew-refresh-token",
                  "registrationExpiresAt": "%s"
                """.formatted(expires) : "";
        Files.writeString(home.resolve(".aws/sso/cache").resolve(name), """
                {"startUrl": "%s", "region": "us-east-1", "accessToken": "%s", "expiresAt": "%s"%s}
                """.formatted(START_URL, ACCESS_TOKEN, expires, refresh));
    }

    void assertSsoPathUsed(String profile) throws Exception {
        try (AwsSession session = new AwsSession(new AwsTarget(profile, null, server.endpoint()))) {
            assertTrue(session.credentialsProvider() instanceof ProfileCredentialsProvider, "the SDK's own profile provider");
            AwsCredentials resolved = session.credentialsProvider().resolveCredentials();
            assertEquals(ROLE_KEY_ID, resolved.accessKeyId());
            assertTrue(resolved instanceof AwsSessionCredentials s && ROLE_SESSION_TOKEN.equals(s.sessionToken()), "role session credentials");
            // the EC2 client signs with the portal's role credentials
            assertEquals(0, new AccountReader(session).endpoints().size());
            assertEquals(6, session.ec2().describeSubnets().subnets().size());
            assertEquals(java.util.Set.of(ROLE_KEY_ID), server.accessKeyIds());
        }
        assertFalse(portal.requests.isEmpty(), "the SSO portal was called");
        PortalStub.Request r = portal.requests.get(0);
        assertTrue(r.line().startsWith("GET /federation/credentials?"), r.line());
        assertTrue(r.line().contains("account_id=000000000000") && r.line().contains("role_name=CrewNetworkAdmin"), r.line());
        assertEquals(ACCESS_TOKEN, r.headers().get("x-amz-sso_bearer_token"), "the cached token is the bearer");
    }

    @Test
    void givenALegacySsoProfileWithACachedToken_whenASessionIsOpened_thenTheSdkGetsRoleCredentialsFromTheSsoPortal() throws Exception {
        cacheToken(START_URL, false);
        assertSsoPathUsed("crew-sso-legacy");
    }

    @Test
    void givenAnSsoSessionProfileWithACachedToken_whenASessionIsOpened_thenTheSdkGetsRoleCredentialsFromTheSsoPortal() throws Exception {
        cacheToken("crew-session", true);
        assertSsoPathUsed("crew-sso-session");
    }

    @Test
    void givenAnSsoProfileAndSdkDebugLogging_whenAFullApplyRuns_thenNoTokenOrRoleSecretIsInTheLogsOrFiles() throws Exception {
        cacheToken(START_URL, false);
        crew.model.endpoint.EndpointDesign design = new crew.model.endpoint.EndpointDesign("sso", new crew.model.endpoint.ClientVpnEndpoint(null, "sso",
                null, null, null, crew.model.net.Cidr.parse("172.16.0.0/22"), "arn:aws:acm:us-east-1:000000000000:certificate/sso-server",
                List.of(crew.model.endpoint.AuthenticationOption.certificate("arn:aws:acm:us-east-1:000000000000:certificate/sso-ca")), null,
                List.of(), null, 443, true, List.of(), null, false, null, 24, null, true, true, null, null, null, Map.of()),
                List.of(new crew.model.endpoint.TargetNetwork(null, "subnet-0local0000000001a", null, null, null, null, 0)),
                List.of(new crew.model.endpoint.ClientVpnRoute(crew.model.net.Cidr.parse("192.168.1.0/24"), "subnet-0local0000000001a", null, null, null, null)),
                List.of(crew.model.endpoint.AuthorizationRule.allUsers(crew.model.net.Cidr.parse("192.168.1.0/24"), null)));
        server.account().provide(design);
        server.account().setDescribesUntilSettled(0);
        java.io.PrintStream originalOut = System.out;
        java.io.PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        java.io.PrintStream capture = new java.io.PrintStream(captured, true, StandardCharsets.UTF_8);
        Path state = dir.resolve("apply-state.json");
        System.setOut(capture);
        System.setErr(capture);
        try (AwsSession session = new AwsSession(new AwsTarget("crew-sso-legacy", null, server.endpoint()))) {
            org.slf4j.LoggerFactory.getLogger("software.amazon.awssdk.request").debug("capture check");
            ApplyReport report = new PlanExecutor(session, System.out).waiting(java.time.Duration.ofMillis(5), java.time.Duration.ofSeconds(20))
                    .apply(new Planner().plan(design, (crew.model.endpoint.EndpointDesign) null), state);
            assertTrue(report.succeeded(), report.render());
            System.out.println(new AccountReader(session).pull(report.endpointId()));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("capture check"), "the SDK's logger writes into the capture");
        assertTrue(log.contains("done + route"), "the apply's progress is in the capture");
        assertEquals(java.util.Set.of(ROLE_KEY_ID), server.accessKeyIds(), "the apply was signed with the SSO role credentials");
        for (String secret : List.of(ROLE_SECRET, ROLE_SESSION_TOKEN, ACCESS_TOKEN)) {
            assertFalse(log.contains(secret), "a credential in the log output: " + secret);
            assertFalse(Files.readString(state).contains(secret), "a credential in the apply state: " + secret);
        }
    }

    @Test
    void givenAnSsoProfileWithoutACachedToken_whenCalled_thenTheMessageSaysToLogIn() throws Exception {
        try (AwsSession session = new AwsSession(new AwsTarget("crew-sso-legacy", null, server.endpoint()))) {
            SdkException e = org.junit.jupiter.api.Assertions.assertThrows(SdkException.class, () -> new AccountReader(session).endpoints());
            String message = AwsErrors.describe(e);
            assertTrue(message.contains("aws sso login"), message);
        }
        assertTrue(portal.requests.isEmpty(), "no token, no portal call");
        assertTrue(server.accessKeyIds().isEmpty(), "nothing reached EC2");
    }

    /** A loopback stand-in for the SSO portal's GetRoleCredentials (GET /federation/credentials, REST-JSON). */
    static final class PortalStub implements AutoCloseable {
        record Request(String line, Map<String, String> headers) {
        }

        final ServerSocket socket;
        final List<Request> requests = new CopyOnWriteArrayList<>();
        final Thread thread;

        private PortalStub(ServerSocket socket) {
            this.socket = socket;
            this.thread = new Thread(this::serve, "sso-portal-stub");
            this.thread.setDaemon(true);
        }

        static PortalStub start() throws IOException {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            PortalStub stub = new PortalStub(s);
            stub.thread.start();
            return stub;
        }

        String endpoint() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket c = socket.accept(); InputStream in = new BufferedInputStream(c.getInputStream()); OutputStream out = c.getOutputStream()) {
                    String line = line(in);
                    Map<String, String> headers = new ConcurrentHashMap<>();
                    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                        int colon = h.indexOf(':');
                        if (colon > 0) {
                            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                        }
                    }
                    requests.add(new Request(line, headers));
                    long expiration = Instant.now().plus(1, ChronoUnit.HOURS).toEpochMilli();
                    byte[] body = ("{\"roleCredentials\":{\"accessKeyId\":\"" + ROLE_KEY_ID + "\",\"secretAccessKey\":\"" + ROLE_SECRET
                            + "\",\"sessionToken\":\"" + ROLE_SESSION_TOKEN + "\",\"expiration\":" + expiration + "}}").getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // closed, or the client went away
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    b.write(c);
                }
            }
            return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
