package crew.tunnel.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.IpAddress;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.linux.LinuxNetwork;
import crew.routing.linux.LinuxRouting;
import crew.testing.Prerequisites;
import crew.tunnel.TunnelDns;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;

/**
 * DNS through the tunnel, end to end (root, the real kernel, openvpn and dnsmasq): the split-tunnel lab serves the
 * private zone crew.internal on the design's DNS server (172.31.0.2) in its VPC namespace; the device namespace's
 * own resolver file (a user's file pointing at the LAN) is replaced while connected, so a private name resolves
 * through the tunnel (dnsmasq sees the query from the client's tunnel address; nftables counts DNS packets on tun0
 * and none on lan0), and after disconnect the user's file is back byte for byte and the table is as before.
 */
class LabDnsTest {
    private static Path home;
    private static String previousHome;
    private TunnelSession session;

    @BeforeAll
    static void crewHome() throws IOException {
        home = Files.createTempDirectory("crew-dns-home");
        previousHome = System.getProperty("crew.home");
        System.setProperty("crew.home", home.toString());
    }

    @AfterAll
    static void restoreHome() {
        if (previousHome == null) {
            System.clearProperty("crew.home");
        } else {
            System.setProperty("crew.home", previousHome);
        }
    }

    @AfterEach
    void disconnect() {
        if (session != null) {
            session.disconnect();
        }
    }

    @Test
    void givenTheSplitTunnelLab_whenConnected_thenAPrivateNameResolvesThroughTheTunnelAndTheResolverComesBackAfterwards() throws Exception {
        Prerequisites.requireRoot();
        Path openvpn = Prerequisites.requireExecutable("openvpn", "the lab and the tunnel drive the real openvpn");
        Prerequisites.requireExecutable("nsenter", "openvpn is started inside the lab's namespaces with nsenter (util-linux)");
        Prerequisites.requireExecutable("dnsmasq", "the lab's DNS server (Debian: dnsmasq-base)");
        Prerequisites.requireExecutable("getent", "resolves a name inside the namespace through its resolver file (libc)");
        EndpointDesign design = LabPlanTest.example("split-tunnel");
        String id = LabPlanTest.uniqueId("dns");
        try (EndpointLab lab = EndpointLab.up(design, id, List.of(new LabClient("lab-user", Set.of())), openvpn, l -> { })) {
            LabPlan plan = lab.plan();
            assertEquals(List.of(IpAddress.parse("172.31.0.2")), plan.dnsServers());
            IpAddress expected = plan.dnsRecords().get("host-1." + LabPlan.PRIVATE_ZONE);
            Path file = TunnelDns.namespaceFile(plan.deviceNamespace());
            boolean hadFolder = Files.isDirectory(Path.of("/etc/netns"));
            // the user's own resolver for this device: the LAN's (where nothing answers), with bytes a rewrite would change
            byte[] users = ("# the user's resolver\r\nnameserver " + plan.serverLanAddress() + "\noptions timeout:1 attempts:1\n\n").getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(file.getParent());
            Files.write(file, users);
            try (ClosableRoutingBackend device = LinuxRouting.namespace(plan.deviceNamespace())) {
                List<DeviceRoute> before = device.routes();
                LinuxNetwork.nft(plan.deviceNamespace(), "table inet crew_dns_test {\n counter tun { }\n counter lan { }\n chain out {\n"
                        + "  type filter hook output priority 0; policy accept;\n  oifname \"tun0\" udp dport 53 counter name \"tun\"\n"
                        + "  oifname \"" + LabPlan.DEVICE_LAN + "\" udp dport 53 counter name \"lan\"\n }\n}\n");
                Path runtime = home.resolve("tunnel").resolve(id);
                TunnelOptions options = TunnelOptions.defaults(id + "-dns", plan.deviceNamespace()).withOpenvpn(openvpn)
                        .withDirectories(runtime, home.resolve("journal")).withConnectTimeout(Duration.ofSeconds(20));
                session = new TunnelSession(TunnelProfile.read(lab.clientProfile("lab-user")), device, options, null);
                session.connect();
                String written = Files.readString(file);
                assertTrue(written.contains("nameserver 172.31.0.2"), written);
                assertTrue(written.contains("search " + LabPlan.PRIVATE_ZONE), written);
                assertTrue(Files.exists(home.resolve("journal").resolve(id + "-dns" + TunnelDns.SUFFIX)), "journalled while applied");
                assertEquals(expected.toString(), resolve(plan.deviceNamespace(), "host-1." + LabPlan.PRIVATE_ZONE));
                assertEquals(expected.toString(), resolve(plan.deviceNamespace(), "host-1"), "the pushed domain is searched");
                IpAddress client = plan.clients().get("lab-user").address();
                String queries = Files.readString(lab.dnsLog());
                assertTrue(queries.contains("host-1." + LabPlan.PRIVATE_ZONE + " from " + client), "asked from the tunnel address " + client + ":\n" + queries);
                assertFalse(queries.contains("from " + plan.deviceLanAddress()), "never from the LAN address:\n" + queries);
                assertTrue(counter(plan, "tun") > 0, "DNS packets left through the tunnel");
                assertEquals(0, counter(plan, "lan"), "no DNS packet left through the LAN");
                assertTrue(session.recentLog().stream().anyMatch(l -> l.startsWith("DNS: 172.31.0.2 for crew.internal (split tunnel)")),
                        String.valueOf(session.recentLog()));
                assertTrue(session.disconnect().isEmpty());
                session = null;
                assertArrayEquals(users, Files.readAllBytes(file), "the user's resolver file is back byte for byte");
                assertFalse(Files.exists(home.resolve("journal").resolve(id + "-dns" + TunnelDns.SUFFIX)), "journal gone");
                assertEquals(LabEndToEndTest.identities(before), LabEndToEndTest.identities(device.routes()), "the table is as before");
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.getParent());
                if (!hadFolder) {
                    Files.deleteIfExists(Path.of("/etc/netns"));
                }
            }
        }
    }

    /** The address getent finds for a name inside a namespace (ip netns exec mounts its resolver file), or "" when none. */
    private static String resolve(String namespace, String name) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "getent", "ahostsv4", name).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "getent answers");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.isBlank() ? "" : out.trim().split("\\s+")[0];
    }

    private static long counter(LabPlan plan, String name) throws Exception {
        String out = LinuxNetwork.nft(plan.deviceNamespace(), "list counter inet crew_dns_test " + name);
        Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }
}
