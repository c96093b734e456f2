package crew.design.internal.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import crew.design.DesignLinter;
import crew.design.Designs;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** Each rule fires on a design that breaks it and stays quiet on the clean split-tunnel example. */
class LintRulesTest {

    /** A mutable copy of the endpoint's fields, to break one at a time. */
    private record E(ClientVpnEndpoint e) {
        ClientVpnEndpoint with(Map<String, Object> f) {
            return new ClientVpnEndpoint(e.endpointId(), e.description(), (String) f.getOrDefault("status", e.status()), e.creationTime(), e.dnsName(),
                    (Cidr) f.getOrDefault("cidr", e.clientCidrBlock()), (String) f.getOrDefault("cert", e.serverCertificateArn()),
                    cast(f.getOrDefault("auth", e.authenticationOptions())), (ClientVpnEndpoint.ConnectionLogOptions) f.getOrDefault("log", e.connectionLogOptions()),
                    cast(f.getOrDefault("dns", e.dnsServers())), e.transportProtocol(), (int) f.getOrDefault("port", e.vpnPort()),
                    (boolean) f.getOrDefault("split", e.splitTunnel()), cast(f.getOrDefault("sgs", e.securityGroupIds())),
                    f.containsKey("vpc") ? (String) f.get("vpc") : e.vpcId(), (boolean) f.getOrDefault("portal", e.selfServicePortal()),
                    (ClientVpnEndpoint.ClientConnectOptions) f.getOrDefault("connect", e.clientConnectOptions()), (int) f.getOrDefault("timeout", e.sessionTimeoutHours()),
                    (ClientVpnEndpoint.ClientLoginBannerOptions) f.getOrDefault("banner", e.clientLoginBannerOptions()), (boolean) f.getOrDefault("cre", e.clientRouteEnforcement()),
                    e.disconnectOnSessionTimeout(), e.endpointIpAddressType(),
                    (crew.model.endpoint.IpAddressType) f.getOrDefault("traffic", e.trafficIpAddressType()), (String) f.getOrDefault("tgw", e.transitGatewayId()),
                    e.tags());
        }

        @SuppressWarnings("unchecked")
        private static <T> T cast(Object o) {
            return (T) o;
        }
    }

    private static EndpointDesign clean() {
        return Designs.example("split-tunnel");
    }

    private static UnaryOperator<EndpointDesign> endpoint(Map<String, Object> f) {
        return d -> new EndpointDesign(d.name(), new E(d.endpoint()).with(f), d.targetNetworks(), d.routes(), d.authorizationRules());
    }

    private static UnaryOperator<EndpointDesign> targets(UnaryOperator<List<TargetNetwork>> f) {
        return d -> new EndpointDesign(d.name(), d.endpoint(), f.apply(new ArrayList<>(d.targetNetworks())), d.routes(), d.authorizationRules());
    }

    private static UnaryOperator<EndpointDesign> routes(UnaryOperator<List<ClientVpnRoute>> f) {
        return d -> new EndpointDesign(d.name(), d.endpoint(), d.targetNetworks(), f.apply(new ArrayList<>(d.routes())), d.authorizationRules());
    }

    private static UnaryOperator<EndpointDesign> rules(UnaryOperator<List<AuthorizationRule>> f) {
        return d -> new EndpointDesign(d.name(), d.endpoint(), d.targetNetworks(), d.routes(), f.apply(new ArrayList<>(d.authorizationRules())));
    }

    private static <T> UnaryOperator<List<T>> add(T item) {
        return l -> {
            l.add(item);
            return l;
        };
    }

    private static ClientVpnRoute route(String cidr, String subnet) {
        return new ClientVpnRoute(Cidr.parse(cidr), subnet, "add-route", null, null, null);
    }

    private static TargetNetwork target(String id, String vpc, String cidr, String az) {
        return new TargetNetwork(null, id, vpc, az, Cidr.parse(cidr), null, -1);
    }

    static final String A = "subnet-0aaa1111bbbb2222c";
    static final String B = "subnet-0ddd3333eeee4444f";
    static final String VPC = "vpc-0123456789abcdef0";

    static Stream<Arguments> brokenDesigns() {
        List<AuthorizationRule> many = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            many.add(AuthorizationRule.allUsers(Cidr.of(IpAddress.ofIpv4(0x0B000000 + (i << 8)), 24), null));
        }
        List<ClientVpnRoute> hundred = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            hundred.add(route("11.0." + i + ".0/24", A));
        }
        return Stream.of(
                Arguments.of("CVPN001", endpoint(Map.of("cidr", Cidr.parse("10.200.0.0/24")))),
                Arguments.of("CVPN001", endpoint(Map.of("cidr", Cidr.parse("10.0.0.0/8")))),
                Arguments.of("CVPN002", endpoint(Map.of("cidr", Cidr.parse("172.31.16.0/22")))),
                Arguments.of("CVPN003", routes(add(route("10.200.1.0/24", A)))),
                Arguments.of("CVPN004", targets(add(target("subnet-small", VPC, "172.31.48.0/28", "us-east-1c")))),
                Arguments.of("CVPN005", targets(add(target("subnet-twin", VPC, "172.31.64.0/20", "us-east-1a")))),
                Arguments.of("CVPN006", targets(add(target("subnet-other", "vpc-other", "172.31.80.0/20", "us-east-1d")))),
                Arguments.of("CVPN007", targets(l -> { l.add(l.get(0)); return l; })),
                Arguments.of("CVPN008", routes(l -> { l.remove(3); return l; })),
                Arguments.of("CVPN009", routes(add(route("172.31.0.0/16", "subnet-unknown")))),
                Arguments.of("CVPN010", routes(l -> { l.add(route("192.168.50.0/24", A)); l.add(route("192.168.50.0/24", B)); return l; })),
                Arguments.of("CVPN011", rules(add(AuthorizationRule.allUsers(Cidr.parse("192.168.60.0/24"), null)))),
                Arguments.of("CVPN012", rules(l -> { l.remove(3); return l; })),
                Arguments.of("CVPN012", rules(add(AuthorizationRule.group(Cidr.parse("10.200.0.0/22"), "eng", null)))),
                Arguments.of("CVPN013", routes(add(route("172.31.0.0/16", A)))),
                Arguments.of("CVPN014", routes(l -> { for (String s : List.of(A, B)) { l.add(route("172.31.0.0/17", s)); l.add(route("172.31.128.0/17", s)); } return l; })),
                Arguments.of("CVPN015", rules(add(AuthorizationRule.allUsers(Cidr.parse("172.31.0.0/16"), "again")))),
                Arguments.of("CVPN016", rules(l -> { l.addAll(many); return l; })),
                Arguments.of("CVPN017", routes(l -> { l.addAll(hundred); return l; })),
                Arguments.of("CVPN018", endpoint(Map.of("dns", List.of(IpAddress.parse("1.1.1.1"), IpAddress.parse("8.8.8.8"), IpAddress.parse("9.9.9.9"))))),
                Arguments.of("CVPN019", endpoint(Map.of("banner", new ClientVpnEndpoint.ClientLoginBannerOptions(true, "x".repeat(1401))))),
                Arguments.of("CVPN020", endpoint(Map.of("timeout", 6))),
                Arguments.of("CVPN021", endpoint(Map.of("port", 8443))),
                Arguments.of("CVPN022", endpoint(Map.of("vpc", (Object) "x", "sgs", List.of("a", "b", "c", "d", "e", "f")))),
                Arguments.of("CVPN023", endpoint(Map.of("tgw", "tgw-0123"))),
                Arguments.of("CVPN024", endpoint(Map.of("split", false))),
                Arguments.of("CVPN026", endpoint(Map.of("auth", List.of(AuthenticationOption.certificate(null))))),
                Arguments.of("CVPN026", endpoint(Map.of("auth", List.of(new AuthenticationOption(AuthenticationOption.DIRECTORY, null, "d-1", null, null),
                        new AuthenticationOption(AuthenticationOption.FEDERATED, null, null, "arn:saml", null))))),
                Arguments.of("CVPN027", endpoint(Map.of("connect", new ClientVpnEndpoint.ClientConnectOptions(true, null)))),
                Arguments.of("CVPN028", routes(add(route("2600:1f14::/56", A)))),
                Arguments.of("CVPN029", endpoint(Map.of("status", "available"))),
                Arguments.of("CVPN030", routes(add(route("127.0.0.0/8", A)))),
                Arguments.of("CVPN030", routes(add(route("fe80::/10", A)))),
                Arguments.of("CVPN030", routes(add(route("ff02::/16", A)))),
                Arguments.of("CVPN030", routes(add(route("::1/128", A)))),
                Arguments.of("CVPN031", routes(add(route("172.17.0.0/16", A)))),
                Arguments.of("CVPN031", routes(add(route("100.64.0.0/10", A)))),
                Arguments.of("CVPN031", routes(add(route("192.168.1.0/24", A)))),
                Arguments.of("CVPN031", routes(add(route("192.168.1.20/32", A)))));
    }

    private static List<LintFinding> lint(EndpointDesign d) {
        return new DesignLinter(BuiltInRules.all()).lint(d);
    }

    @Test
    void givenTheCleanSplitTunnelExample_whenLinted_thenNoErrorsOrWarnings() {
        List<LintFinding> f = lint(clean());
        assertTrue(f.stream().allMatch(x -> x.severity() == Severity.INFO), f.toString());
        // the finance rule narrows engineering's on-premises range: worth an INFO
        assertTrue(f.stream().anyMatch(x -> x.ruleId().equals("CVPN025")), f.toString());
    }

    @ParameterizedTest
    @MethodSource("brokenDesigns")
    void givenADesignBreakingOneRule_whenLinted_thenThatRuleFires(String ruleId, UnaryOperator<EndpointDesign> breakIt) {
        List<LintFinding> before = lint(clean()).stream().filter(f -> f.ruleId().equals(ruleId)).toList();
        // the clean design's 172.31.0.0/16 lies in Docker's and WSL2's pools: information, not a warning
        assertTrue(before.isEmpty() || ruleId.equals("CVPN025") || (ruleId.equals("CVPN031") && before.stream().allMatch(f -> f.severity() == Severity.INFO)),
                "clean design already has " + before);
        List<LintFinding> after = lint(breakIt.apply(clean())).stream().filter(f -> f.ruleId().equals(ruleId)).toList();
        assertFalse(after.isEmpty(), ruleId + " did not fire");
        assertTrue(after.stream().allMatch(f -> !f.message().isBlank() && !f.element().isBlank()));
    }

    @Test
    void givenRoutesOverNetworksDevicesHave_whenLinted_thenTheWarningNamesWhatCreRemoves() {
        List<LintFinding> f = lint(routes(add(route("172.16.0.0/12", A))).andThen(routes(add(route("100.64.0.0/10", A))))
                .andThen(routes(add(route("192.168.1.20/32", A)))).apply(clean())).stream().filter(x -> x.ruleId().equals("CVPN031")).toList();
        String all = f.toString();
        assertTrue(all.contains("172.16.0.0/12 covers 172.17.0.0/16, Docker's default bridge, docker0: CRE removes a device's route to it"), all);
        assertTrue(all.contains("172.16.0.0/12 covers 172.20.10.0/28, iPhone Personal Hotspot"), all);
        assertTrue(all.contains("100.64.0.0/10 covers 100.64.0.0/10, carrier-grade NAT"), all);
        assertTrue(all.contains("192.168.1.20/32 lies inside 192.168.1.0/24, home router LAN"), all);
        assertTrue(f.stream().filter(x -> x.message().startsWith("172.16.0.0/12 covers 172.17.0.0/16")).allMatch(x -> x.severity() == Severity.WARNING));
        // full tunnel: one finding naming the common networks the halves take
        List<LintFinding> full = lint(Designs.example("full-tunnel")).stream().filter(x -> x.ruleId().equals("CVPN031")).toList();
        assertEquals(1, full.size(), full.toString());
        assertTrue(full.get(0).message().contains("CRE removes the device's routes to 172.17.0.0/16 (Docker's default bridge, docker0)"), full.toString());
    }

    @Test
    void givenTheFullTunnelExample_whenLinted_thenTheMissingSubnetRouteIsFound() {
        List<LintFinding> f = lint(Designs.example("full-tunnel"));
        LintFinding missing = f.stream().filter(x -> x.ruleId().equals("CVPN008")).findFirst().orElseThrow(() -> new AssertionError(f));
        assertTrue(missing.message().contains("10.0.0.0/16") && missing.message().contains("subnet-02b3c4d5e6f7a8b9c"), missing.message());
        assertTrue(f.stream().anyMatch(x -> x.ruleId().equals("CVPN024")));
    }

    @Test
    void givenEveryBuiltInRule_thenIdsAreUniqueAndEachIsTested() {
        Set<String> ids = BuiltInRules.all().stream().map(LintRule::id).collect(Collectors.toSet());
        assertEquals(BuiltInRules.all().size(), ids.size());
        Set<String> tested = brokenDesigns().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        tested.add("CVPN025");
        assertEquals(ids, tested);
    }

    @Test
    void givenRoutesIntoEveryRangeCreIgnores_whenLinted_thenEachIsAnErrorNamingItsKind() {
        List<ClientVpnRoute> special = new ArrayList<>();
        for (Cidr c : crew.model.device.ClientRouteEnforcement.IGNORED_RANGES) {
            special.add(new ClientVpnRoute(c, A, "add-route", null, null, null));
        }
        special.add(route("fe80::/64", A));
        List<LintFinding> f = lint(routes(l -> { l.addAll(special); return l; }).apply(clean())).stream()
                .filter(x -> x.ruleId().equals("CVPN030")).toList();
        assertEquals(special.size(), f.size(), f.toString());
        assertTrue(f.stream().allMatch(x -> x.severity() == Severity.ERROR), f.toString());
        String all = f.toString();
        for (String kind : List.of("127.0.0.0/8 is IPv4 loopback", "169.254.0.0/16 is IPv4 link-local", "224.0.0.0/4 is IPv4 multicast",
                "255.255.255.255/32 is the IPv4 limited broadcast address", "::1/128 is the IPv6 loopback address", "fe80::/10 is IPv6 link-local",
                "ff00::/8 is IPv6 multicast", "fe80::/64 lies in fe80::/10, IPv6 link-local")) {
            assertTrue(all.contains(kind), kind + " in " + all);
        }
        // wider routes that merely contain such a range (a default route, a half) are ordinary routes
        assertTrue(lint(routes(add(route("::/1", A))).andThen(routes(add(route("0.0.0.0/0", A)))).apply(clean())).stream()
                .noneMatch(x -> x.ruleId().equals("CVPN030")));
    }

    @Test
    void givenDefaultRoutesOfEitherFamilyInSplitTunnel_whenLinted_thenTheTextNamesThatRoute() {
        List<LintFinding> v6 = lint(routes(add(route("::/0", A))).apply(clean())).stream().filter(x -> x.ruleId().equals("CVPN024")).toList();
        assertEquals(1, v6.size(), v6.toString());
        assertTrue(v6.get(0).message().contains("::/0 (routes[" + clean().routes().size() + "]) is not pushed"), v6.get(0).message());
        assertFalse(v6.get(0).message().contains("0.0.0.0/0"), v6.get(0).message());
        List<LintFinding> both = lint(routes(add(route("::/0", A))).andThen(routes(add(route("0.0.0.0/0", A)))).apply(clean())).stream()
                .filter(x -> x.ruleId().equals("CVPN024")).toList();
        assertEquals(2, both.size(), both.toString());
    }

    @Test
    void givenAFullTunnelCarryingIpv6_whenLinted_thenTheIpv6HalvesAreNamed() {
        EndpointDesign dual = endpoint(Map.of("split", false, "traffic", crew.model.endpoint.IpAddressType.DUAL_STACK)).apply(clean());
        LintFinding f = lint(dual).stream().filter(x -> x.ruleId().equals("CVPN024")).findFirst().orElseThrow();
        assertTrue(f.message().contains("0.0.0.0/1 and 128.0.0.0/1 and with ::/1 and 8000::/1"), f.message());
        EndpointDesign v6 = endpoint(Map.of("split", false, "traffic", crew.model.endpoint.IpAddressType.IPV6)).apply(clean());
        LintFinding g = lint(v6).stream().filter(x -> x.ruleId().equals("CVPN024")).findFirst().orElseThrow();
        assertTrue(g.message().contains("conflict with ::/1 and 8000::/1 and are removed"), g.message());
    }

    @Test
    void givenGroupRuleInsideAllUsersRule_whenLinted_thenNarrowingReported() {
        EndpointDesign d = rules(l -> List.of(AuthorizationRule.allUsers(Cidr.parse("0.0.0.0/0"), null),
                AuthorizationRule.group(Cidr.parse("172.31.0.0/16"), "admins", null))).apply(clean());
        assertTrue(lint(d).stream().anyMatch(f -> f.ruleId().equals("CVPN025") && f.message().contains("all users")));
    }
}
