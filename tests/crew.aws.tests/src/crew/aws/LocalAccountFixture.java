package crew.aws;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** A local account on a loopback port, an SDK session to it, and the test certificates imported into its ACM. */
final class LocalAccountFixture implements AutoCloseable {
    static final String SUBNET_A = "subnet-0local0000000001a";
    static final String SUBNET_B = "subnet-0local0000000001b";
    static final String SUBNET_C = "subnet-0local0000000001c";
    static final String SUBNET_A2 = "subnet-0local0000000002a";
    static final String SUBNET_OTHER_VPC = "subnet-0local0000000003a";

    final LocalAccount account;
    final LocalAwsServer server;
    final AwsSession session;
    final Path dir;
    String serverArn;
    String caArn;

    LocalAccountFixture(Path dir, Path stateFile) throws IOException {
        this.dir = dir;
        this.account = stateFile == null ? LocalAccount.inMemory() : LocalAccount.open(stateFile);
        this.account.setDescribesUntilSettled(1);
        this.server = LocalAwsServer.start(account, 0);
        this.session = new AwsSession(AwsTarget.local(server.endpoint(), "us-east-1"));
    }

    LocalAccountFixture importCertificates() throws IOException {
        CertificateImporter importer = new CertificateImporter(session);
        serverArn = importer.importPem(data("server.pem"), data("server.key"), data("ca.pem"));
        caArn = importer.importPem(data("ca.pem"), data("ca.key"), null);
        return this;
    }

    Path data(String name) throws IOException {
        Path target = dir.resolve(name);
        if (!Files.exists(target)) {
            try (InputStream in = LocalAccountFixture.class.getResourceAsStream("/data/" + name)) {
                if (in == null) {
                    throw new IOException("test data " + name + " missing from the fragment");
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    PlanExecutor executor(java.io.PrintStream progress) {
        return new PlanExecutor(session, progress).waiting(java.time.Duration.ofMillis(5), java.time.Duration.ofSeconds(20));
    }

    /** A design for a new endpoint with CRE on, two target networks, {@code routes} routes and {@code rules} rules. */
    EndpointDesign design(int routes, int rules, List<String> subnets) {
        ClientVpnEndpoint e = new ClientVpnEndpoint(null, "corp", null, null, null, Cidr.parse("172.16.0.0/22"), serverArn,
                List.of(AuthenticationOption.certificate(caArn)), null, List.of(IpAddress.parse("10.0.0.2")), null, 443, true, List.of(), null, false, null,
                24, null, true, true, null, null, null, Map.of("Name", "corp"));
        List<TargetNetwork> targets = new ArrayList<>();
        for (String s : subnets) {
            targets.add(new TargetNetwork(null, s, null, null, null, null, 0));
        }
        List<ClientVpnRoute> r = new ArrayList<>();
        for (int i = 0; i < routes; i++) {
            r.add(new ClientVpnRoute(Cidr.parse("192.168." + (i / 4) + "." + (i % 4) * 64 + "/26"), subnets.get(i % subnets.size()), null, null, "r" + i, null));
        }
        List<AuthorizationRule> a = new ArrayList<>();
        for (int i = 0; i < rules; i++) {
            a.add(i % 2 == 0 ? AuthorizationRule.allUsers(Cidr.parse("192.168." + (i / 4) + "." + (i % 4) * 64 + "/26"), "a" + i)
                    : AuthorizationRule.group(Cidr.parse("192.168." + (i / 4) + "." + (i % 4) * 64 + "/26"), "group-" + i, "g" + i));
        }
        return new EndpointDesign("corp", e, targets, r, a);
    }

    /** The design with the id the apply gave the endpoint. */
    static EndpointDesign withId(EndpointDesign d, String id) {
        ClientVpnEndpoint e = d.endpoint();
        ClientVpnEndpoint withId = new ClientVpnEndpoint(id, e.description(), e.status(), e.creationTime(), e.dnsName(), e.clientCidrBlock(),
                e.serverCertificateArn(), e.authenticationOptions(), e.connectionLogOptions(), e.dnsServers(), e.transportProtocol(), e.vpnPort(),
                e.splitTunnel(), e.securityGroupIds(), e.vpcId(), e.selfServicePortal(), e.clientConnectOptions(), e.sessionTimeoutHours(),
                e.clientLoginBannerOptions(), e.clientRouteEnforcement(), e.disconnectOnSessionTimeout(), e.endpointIpAddressType(),
                e.trafficIpAddressType(), e.transitGatewayId(), e.tags());
        return new EndpointDesign(d.name(), withId, d.targetNetworks(), d.routes(), d.authorizationRules());
    }

    @Override
    public void close() {
        session.close();
        server.close();
    }
}
