package crew.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "0.0.0.0/0, 0.0.0.0/0",
        "172.31.1.0/24, 172.31.1.0/24",
        "192.168.1.7/32, 192.168.1.7/32",
        "2001:DB8::/32, 2001:db8::/32",
        "::/0, ::/0",
        "fe80::/10, fe80::/10",
        "2001:db8::1/128, 2001:db8::1/128",
    })
    void givenValidCidr_whenParsed_thenNormalised(String text, String canonical) {
        assertEquals(canonical, Cidr.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.1/8|0|host bits set after /8 (did you mean 10.0.0.0/8?)",
        "10.0.0.0/33|9|prefix length 33 is outside 0..32 for IPv4",
        "2001:db8::/129|11|prefix length 129 is outside 0..128 for IPv6",
        "10.0.0.0|8|missing '/prefix'",
        "10.0.0.0/|9|missing prefix length",
        "10.0.0.0/x|9|must be a number",
        "'10.0.0.0/8 '|10|unexpected U+0020 SPACE: the prefix length must be a number",
        "10.0.0.0/8/8|10|more than one '/'",
        "10.0.300.0/24|5|more than 255",
        "2001:db8::1/64|0|did you mean 2001:db8::/64?",
    })
    void givenInvalidCidr_whenParsed_thenErrorIsLocatedAndExplained(String text, int index, String reason) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Cidr.parse(text));
        assertEquals(index, e.index(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    @Test
    void givenHostBitsSet_whenParsedLeniently_thenMasked() {
        assertEquals("10.0.0.0/8", Cidr.parseLenient("10.1.2.3/8").toString());
        assertEquals("2001:db8::/32", Cidr.parseLenient("2001:db8:ff::1/32").toString());
    }

    @Test
    void givenAwsCreExample_whenCompared_thenLocalRouteIsMoreSpecificInsideVpnRoute() {
        Cidr vpn = Cidr.parse("172.31.0.0/16");
        Cidr local = Cidr.parse("172.31.1.0/24");
        Cidr lan = Cidr.parse("192.168.1.0/24");
        assertTrue(vpn.contains(local));
        assertTrue(local.isMoreSpecificThan(vpn));
        assertFalse(vpn.isMoreSpecificThan(local));
        assertTrue(vpn.overlaps(local) && local.overlaps(vpn));
        assertFalse(vpn.overlaps(lan));
        assertFalse(vpn.overlaps(Cidr.parse("10.0.0.0/8")));
        assertTrue(vpn.contains(IpAddress.parse("172.31.200.1")));
        assertFalse(vpn.contains(IpAddress.parse("172.32.0.1")));
    }

    @Test
    void givenMixedFamilies_whenCompared_thenNeverContainedOrOverlapping() {
        Cidr v4all = Cidr.parse("0.0.0.0/0");
        Cidr v6 = Cidr.parse("::/0");
        assertFalse(v4all.overlaps(v6));
        assertFalse(v4all.contains(IpAddress.parse("::1")));
        assertFalse(v6.contains(IpAddress.parse("10.0.0.1")));
    }

    @Test
    void givenBlocks_whenSplitAndBounded_thenHalvesCoverTheBlock() {
        Cidr all = Cidr.parse("0.0.0.0/0");
        assertArrayEquals(new Cidr[] {Cidr.parse("0.0.0.0/1"), Cidr.parse("128.0.0.0/1")}, all.halves());
        Cidr v6 = Cidr.parse("::/0");
        assertArrayEquals(new Cidr[] {Cidr.parse("::/1"), Cidr.parse("8000::/1")}, v6.halves());
        Cidr net = Cidr.parse("10.200.0.0/22");
        assertEquals("10.200.0.0", net.first().toString());
        assertEquals("10.200.3.255", net.last().toString());
        assertEquals("10.200.2.0/23", net.halves()[1].toString());
        assertThrows(IllegalStateException.class, () -> Cidr.parse("10.0.0.1/32").halves());
        Cidr v6net = Cidr.parse("2001:db8::/64");
        assertEquals("2001:db8::ffff:ffff:ffff:ffff", v6net.last().toString());
        assertEquals("2001:db8:0:0:8000::/65", v6net.halves()[1].toString());
    }

    @Test
    void givenEqualBlocksWrittenDifferently_whenCompared_thenEqualAndSameHash() {
        Cidr a = Cidr.parse("2001:0DB8:0000::/48");
        Cidr b = Cidr.parse("2001:db8::/48");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(0, a.compareTo(b));
        assertTrue(Cidr.parse("10.0.0.0/8").compareTo(Cidr.parse("10.0.0.0/16")) < 0);
    }
}
