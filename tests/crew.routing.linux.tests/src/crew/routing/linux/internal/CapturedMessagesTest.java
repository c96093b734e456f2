package crew.routing.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.routing.api.PolicyRule;
import crew.routing.linux.netlink.NetlinkFormatException;
import crew.routing.linux.netlink.NetlinkMessage;
import crew.routing.linux.netlink.RtnetlinkCodec;
import crew.routing.linux.netlink.Rtnl;

/** Decoding captured kernel bytes in a plain unit test: no socket, no root. */
class CapturedMessagesTest {

    private static List<DeviceRoute> decodeRoutes() throws Exception {
        Map<Integer, String> names = Captures.linkNames();
        List<DeviceRoute> routes = new ArrayList<>();
        for (NetlinkMessage m : Captures.messages("routes")) {
            if (m.type() == Rtnl.RTM_NEWROUTE) {
                DeviceRoute r = RtnetlinkCodec.decodeRoute(m, names::get);
                if (r != null) {
                    routes.add(r);
                }
            }
        }
        return routes;
    }

    @Test
    void givenACapturedRouteDump_whenDecoded_thenEqualsWhatIpPrintedForTheSameNamespace() throws Exception {
        List<DeviceRoute> routes = decodeRoutes();
        assertEquals(IpJson.routeKeys(Captures.text("captures/routes4.json"), false), IpJson.routeKeys(routes, false));
        assertEquals(IpJson.routeKeys(Captures.text("captures/routes6.json"), true), IpJson.routeKeys(routes, true));
    }

    @Test
    void givenTheCapture_whenDecoded_thenSpecialRoutesKeepTheirMeaning() throws Exception {
        List<DeviceRoute> routes = decodeRoutes();
        DeviceRoute table1000 = routes.stream().filter(r -> r.destination().toString().equals("10.3.0.0/16")).findFirst().orElseThrow();
        assertEquals(1000, table1000.table(), "RTA_TABLE (an int) carries tables above 255");
        DeviceRoute blackhole = routes.stream().filter(r -> r.destination().toString().equals("10.4.0.0/16")).findFirst().orElseThrow();
        assertEquals(RouteType.BLACKHOLE, blackhole.type());
        assertTrue(blackhole.type().drops(), "a blackhole is not a leak");
        DeviceRoute multipath = routes.stream().filter(r -> r.destination().toString().equals("10.5.0.0/24")).findFirst().orElseThrow();
        assertEquals("10.99.0.2", multipath.gateway().toString(), "first hop of RTA_MULTIPATH");
        assertTrue(multipath.flags().contains("multipath:2"), multipath.flags().toString());
        DeviceRoute metric = routes.stream().filter(r -> r.destination().toString().equals("10.1.0.0/16")).findFirst().orElseThrow();
        assertEquals(50, metric.metric());
        assertEquals("dummy0", metric.interfaceName());
    }

    @Test
    void givenACapturedRuleDump_whenDecoded_thenEqualsIpRule() throws Exception {
        List<PolicyRule> rules = new ArrayList<>();
        for (NetlinkMessage m : Captures.messages("rules")) {
            PolicyRule rule = m.type() == Rtnl.RTM_NEWRULE ? RtnetlinkCodec.decodeRule(m) : null;
            if (rule != null) { // rules of other families (IPMR) decode to null
                rules.add(rule);
            }
        }
        assertEquals(IpJson.ruleKeys(Captures.text("captures/rules4.json")), IpJson.ruleKeys(rules, false));
        assertEquals(IpJson.ruleKeys(Captures.text("captures/rules6.json")), IpJson.ruleKeys(rules, true));
        PolicyRule bypass = rules.stream().filter(r -> r.priority() == 1000).findFirst().orElseThrow();
        assertEquals("10.2.0.0/16", bypass.to().toString());
        assertTrue(bypass.diverts(), "a rule sending a destination to table 1000 diverts it from main");
    }

    @Test
    void givenCapturedAddresses_whenDecoded_thenInterfaceAddressesAppear() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (NetlinkMessage m : Captures.messages("addrs")) {
            if (m.type() == Rtnl.RTM_NEWADDR) {
                RtnetlinkCodec.InterfaceAddress a = RtnetlinkCodec.decodeAddress(m);
                assertNotNull(a);
                addresses.add(a.address() + "/" + a.prefixLength());
            }
        }
        assertTrue(addresses.contains("10.99.0.1/24"), addresses.toString());
        assertTrue(addresses.contains("2001:db8:99::1/64"), addresses.toString());
    }

    @Test
    void givenEveryTruncationOfEveryCapturedDatagram_whenSplitAndDecoded_thenOnlyLocatedFormatErrors() throws Exception {
        int rejected = 0;
        for (String name : new String[] {"routes", "rules", "links", "addrs"}) {
            for (byte[] d : Captures.datagrams(name)) {
                for (int len = 0; len < d.length; len++) {
                    try {
                        for (NetlinkMessage m : NetlinkMessage.split(d, len)) {
                            decodeAny(m);
                        }
                    } catch (NetlinkFormatException e) {
                        rejected++;
                        assertTrue(e.getMessage().startsWith("malformed netlink data at byte "), e.getMessage());
                    }
                }
            }
        }
        assertTrue(rejected > 100, "truncations are rejected: " + rejected);
    }

    /** A short seeded fuzz run in every build; `-Dcrew.fuzz.seconds=N` runs longer (the figures are in docs/routing.md). */
    @Test
    void givenRandomlyMutatedCaptures_whenDecoded_thenNeverAnUncheckedException() throws Exception {
        long seconds = Long.getLong("crew.fuzz.seconds", 0);
        long deadline = System.nanoTime() + Math.max(seconds, 0) * 1_000_000_000L;
        List<byte[]> corpus = new ArrayList<>();
        for (String name : new String[] {"routes", "rules", "links", "addrs"}) {
            corpus.addAll(Captures.datagrams(name));
        }
        Random random = new Random(20261128);
        long runs = 0;
        do {
            for (int i = 0; i < 20_000; i++, runs++) {
                byte[] d = corpus.get(random.nextInt(corpus.size())).clone();
                int flips = 1 + random.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    d[random.nextInt(d.length)] = (byte) random.nextInt(256);
                }
                try {
                    for (NetlinkMessage m : NetlinkMessage.split(d, d.length)) {
                        decodeAny(m);
                    }
                } catch (NetlinkFormatException expected) {
                    // a located rejection is the right answer to garbage
                } catch (RuntimeException e) {
                    fail("mutated input " + java.util.HexFormat.of().formatHex(d) + " threw " + e, e);
                }
            }
        } while (System.nanoTime() < deadline);
        System.out.println("netlink decoder fuzz: " + runs + " mutated datagrams, no unchecked exception");
    }

    private static void decodeAny(NetlinkMessage m) throws NetlinkFormatException {
        switch (m.type()) {
            case Rtnl.RTM_NEWROUTE, Rtnl.RTM_DELROUTE -> RtnetlinkCodec.decodeRoute(m, i -> "if" + i);
            case Rtnl.RTM_NEWRULE, Rtnl.RTM_DELRULE -> RtnetlinkCodec.decodeRule(m);
            case Rtnl.RTM_NEWLINK, Rtnl.RTM_DELLINK -> RtnetlinkCodec.decodeLink(m);
            case Rtnl.RTM_NEWADDR, Rtnl.RTM_DELADDR -> RtnetlinkCodec.decodeAddress(m);
            case Rtnl.NLMSG_ERROR -> m.errorCode();
            default -> {
            }
        }
    }

    @Test
    void givenARouteRequest_whenEncodedAndDecodedBack_thenTheSameRoute() throws Exception {
        DeviceRoute r = new DeviceRoute(crew.model.net.Cidr.parse("2001:db8:7::/48"), crew.model.net.IpAddress.parse("2001:db8:99::fe"),
                "if3", 3, 512, 1000, "static", "universe", RouteType.UNICAST, null, java.util.Set.of());
        byte[] bytes = RtnetlinkCodec.routeRequest(Rtnl.RTM_NEWROUTE, 0, 7, r, 3);
        List<NetlinkMessage> back = NetlinkMessage.split(bytes, bytes.length);
        assertEquals(1, back.size());
        assertEquals(7, back.get(0).sequence());
        assertEquals(r, RtnetlinkCodec.decodeRoute(back.get(0), i -> "if" + i));
    }
}
