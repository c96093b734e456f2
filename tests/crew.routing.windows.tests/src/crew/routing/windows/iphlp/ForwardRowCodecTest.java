package crew.routing.windows.iphlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.io.WindowsRouteText;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/** The MIB_IPFORWARD_ROW2 codec on rows built field by field, byte-exact encoding, bad input, a seeded fuzz, route print. */
class ForwardRowCodecTest {

    @Test
    void givenARowBuiltFieldByField_whenDecoded_thenEveryFieldIsRead() throws Exception {
        byte[] b = Rows.row(0x0006000001000000L, 12, IpAddress.parse("10.0.0.0"), 8, IpAddress.parse("192.168.1.254"), 11,
                IpHelperLayout.MIB_IPPROTO_NETMGMT, IpHelperLayout.NLRO_MANUAL);
        ForwardRow r = ForwardRowCodec.decode(b, 0);
        assertEquals(0x0006000001000000L, r.interfaceLuid());
        assertEquals(12, r.interfaceIndex());
        assertEquals(Cidr.parse("10.0.0.0/8"), r.destination());
        assertEquals(IpAddress.parse("192.168.1.254"), r.nextHop());
        assertEquals(11, r.metric());
        assertEquals(3, r.protocol());
        assertEquals(-1, r.validLifetime());
        DeviceRoute d = ForwardRowCodec.toRoute(r, "Wi-Fi", 25);
        assertEquals(36, d.metric(), "the metric Windows selects by: route metric + interface metric");
        assertEquals("Wi-Fi", d.interfaceName());
        assertEquals(12, d.interfaceIndex());
        assertEquals(0x0006000001000000L, ForwardRowCodec.luid(d), "the LUID travels with the route as its identity");
        assertEquals("netmgmt", d.protocol());
    }

    @Test
    void givenAnIpv6OnLinkRow_whenDecoded_thenTheUnspecifiedNextHopIsOnLink() throws Exception {
        ForwardRow r = ForwardRowCodec.decode(Rows.row(7, 3, IpAddress.parse("2001:db8:1::"), 64, null, 256, 2, 1), 0);
        assertEquals(Cidr.parse("2001:db8:1::/64"), r.destination());
        assertNull(r.nextHop());
    }

    @Test
    void givenARow_whenEncoded_thenTheBytesEqualTheFieldByFieldLayout() {
        ForwardRow r = ForwardRow.manual(0x0006000001000000L, 12, Cidr.parse("172.31.0.0/16"), IpAddress.parse("10.200.0.1"), 0);
        assertArrayEquals(Rows.row(0x0006000001000000L, 12, IpAddress.parse("172.31.0.0"), 16, IpAddress.parse("10.200.0.1"), 0, 3, 0),
                ForwardRowCodec.encode(r));
        ForwardRow v6 = ForwardRow.manual(9, 0, Cidr.parse("2001:db8::/32"), null, 5);
        assertArrayEquals(Rows.row(9, 0, IpAddress.parse("2001:db8::"), 32, null, 5, 3, 0), ForwardRowCodec.encode(v6));
    }

    @Test
    void givenAnInitializedRow_whenTheRouteIsWrittenOverIt_thenOnlyTheIdentityAndMetricBytesChange() {
        byte[] init = new byte[104];
        java.util.Arrays.fill(init, (byte) 0xAA);
        byte[] b = ForwardRowCodec.withRoute(init, 0x1122334455667788L, 7, Cidr.parse("10.9.0.0/16"), IpAddress.parse("10.0.0.1"), 3);
        byte[] expected = init.clone();
        byte[] key = Rows.row(0x1122334455667788L, 7, IpAddress.parse("10.9.0.0"), 16, IpAddress.parse("10.0.0.1"), 3, 0, 0);
        System.arraycopy(key, 0, expected, 0, 72); // LUID, index, DestinationPrefix (with its padding), NextHop
        System.arraycopy(key, 84, expected, 84, 4); // Metric
        expected[41] = 0; // IP_ADDRESS_PREFIX's padding after PrefixLength: zeroed with the prefix
        expected[42] = 0;
        expected[43] = 0;
        assertArrayEquals(expected, b);
    }

    @Test
    void givenATable_whenDecoded_thenEveryRowAtEightPlusIndexTimes104() throws Exception {
        byte[] t = Rows.table(Rows.row(1, 1, IpAddress.parse("0.0.0.0"), 0, IpAddress.parse("192.168.1.1"), 0, 3, 2),
                Rows.row(2, 2, IpAddress.parse("::"), 0, IpAddress.parse("fe80::1"), 0, 4, 3));
        List<ForwardRow> rows = ForwardRowCodec.decodeTable(t);
        assertEquals(2, rows.size());
        assertEquals(Cidr.parse("::/0"), rows.get(1).destination());
        assertEquals(IpAddress.parse("fe80::1"), rows.get(1).nextHop());
    }

    @Test
    void givenEveryTruncationAndBadField_whenDecoded_thenALocatedError() {
        byte[] row = Rows.row(1, 1, IpAddress.parse("10.0.0.0"), 8, IpAddress.parse("10.0.0.1"), 0, 3, 0);
        for (int len = 0; len < 104; len++) {
            byte[] cut = java.util.Arrays.copyOf(row, len);
            IpHelperFormatException e = assertThrows(IpHelperFormatException.class, () -> ForwardRowCodec.decode(cut, 0));
            assertTrue(e.getMessage().contains("needs 104 bytes, " + len + " left"), e.getMessage());
        }
        byte[] t = Rows.table(row, row);
        for (int len = 0; len < t.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(t, len);
            IpHelperFormatException e = assertThrows(IpHelperFormatException.class, () -> ForwardRowCodec.decodeTable(cut));
            assertEquals(0, e.offset(), e.getMessage());
        }
        byte[] family = row.clone();
        family[12] = 99;
        IpHelperFormatException f = assertThrows(IpHelperFormatException.class, () -> ForwardRowCodec.decode(family, 0));
        assertEquals(12, f.offset());
        assertTrue(f.getMessage().contains("DestinationPrefix.Prefix.si_family 99"), f.getMessage());
        byte[] unspec = row.clone();
        unspec[12] = 0;
        assertEquals(12, assertThrows(IpHelperFormatException.class, () -> ForwardRowCodec.decode(unspec, 0)).offset());
        byte[] plen = row.clone();
        plen[40] = 33;
        IpHelperFormatException p = assertThrows(IpHelperFormatException.class, () -> ForwardRowCodec.decode(plen, 0));
        assertEquals(40, p.offset());
        assertTrue(p.getMessage().contains("PrefixLength 33"), p.getMessage());
        byte[] mixed = row.clone();
        mixed[44] = 23;
        IpHelperFormatException m = assertThrows(IpHelperFormatException.class, () -> ForwardRowCodec.decode(mixed, 0));
        assertEquals(44, m.offset());
        byte[] hop = row.clone();
        hop[45] = 1;
        assertTrue(assertThrows(IpHelperFormatException.class, () -> ForwardRowCodec.decode(hop, 0)).getMessage().contains("NextHop.si_family 258"));
        byte[] count = t.clone();
        count[0] = 3;
        IpHelperFormatException c = assertThrows(IpHelperFormatException.class, () -> ForwardRowCodec.decodeTable(count));
        assertTrue(c.getMessage().contains("NumEntries 3 needs 320 bytes, the table has 216"), c.getMessage());
    }

    @Test
    void givenSeededMutationsOfATable_whenDecoded_thenEitherRowsOrALocatedError() {
        long seed = Long.getLong("crew.fuzz.seed", 20261207L);
        java.util.Random rnd = new java.util.Random(seed);
        byte[] base = Rows.table(Rows.row(1, 1, IpAddress.parse("10.0.0.0"), 8, IpAddress.parse("10.0.0.1"), 0, 3, 0),
                Rows.row(2, 5, IpAddress.parse("2001:db8::"), 32, null, 256, 2, 1));
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = base.clone();
            for (int k = 0, n = 1 + rnd.nextInt(4); k < n; k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            byte[] in = rnd.nextInt(8) == 0 ? java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1)) : b;
            try {
                for (ForwardRow r : ForwardRowCodec.decodeTable(in)) {
                    ForwardRowCodec.toRoute(r, null, 0);
                }
                decoded++;
            } catch (IpHelperFormatException e) {
                assertTrue(e.offset() >= 0 && e.offset() <= in.length, "seed " + seed + " case " + i + ": " + e.getMessage());
                rejected++;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " case " + i + ": " + e, e);
            }
        }
        assertTrue(decoded > 0 && rejected > 0, decoded + " decoded, " + rejected + " rejected");
    }

    /**
     * The example workspace's {@code route print}: each active route as the row GetIpForwardTable2 would return, with
     * the printed metric split into a route metric and its interface's metric (route print shows their sum); decoded
     * and summed, the codec's routes agree with the text reader's.
     */
    @Test
    void givenTheExampleRoutePrint_whenTheSameTableIsDecodedFromRows_thenDestinationsNextHopsAndMetricsAgree() throws Exception {
        Path file = Path.of(System.getProperty("crew.repo.dir", "../.."), "bundles/crew.examples/workspace/devices/windows-route-print.txt");
        List<DeviceRoute> text = WindowsRouteText.parse(file.toString(), Files.readString(file));
        Map<Integer, Integer> interfaceMetric = Map.of(0, 25, 1, 75, 12, 25);
        List<byte[]> rows = new ArrayList<>();
        List<Integer> ifMetrics = new ArrayList<>();
        for (DeviceRoute r : text) {
            int ifm = interfaceMetric.getOrDefault(r.interfaceIndex(), 25);
            IpFamily fam = r.destination().family();
            rows.add(Rows.row(0x1000L + r.interfaceIndex(), r.interfaceIndex(), r.destination().network(), r.destination().prefixLength(),
                    r.gateway(), r.metric() - ifm, fam == IpFamily.IPV4 ? 3 : 2, 0));
            ifMetrics.add(ifm);
        }
        List<ForwardRow> decoded = ForwardRowCodec.decodeTable(Rows.table(rows.toArray(byte[][]::new)));
        assertEquals(text.size(), decoded.size());
        for (int i = 0; i < text.size(); i++) {
            DeviceRoute t = text.get(i);
            DeviceRoute c = ForwardRowCodec.toRoute(decoded.get(i), null, ifMetrics.get(i));
            assertEquals(t.destination(), c.destination(), "row " + i);
            assertEquals(t.gateway(), c.gateway(), "row " + i);
            assertEquals(t.metric(), c.metric(), "row " + i + ": route print's metric is route + interface metric");
            assertEquals(t.interfaceIndex(), c.interfaceIndex(), "row " + i);
        }
    }
}
