package crew.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class PrefixTrieTest {

    private static PrefixTrie<String> trie(String... cidrs) {
        PrefixTrie<String> t = new PrefixTrie<>();
        for (String c : cidrs) {
            t.put(Cidr.parse(c), c);
        }
        return t;
    }

    private static List<String> names(List<PrefixTrie.Entry<String>> entries) {
        return entries.stream().map(PrefixTrie.Entry::value).collect(Collectors.toList());
    }

    @Test
    void givenNestedBlocks_whenLongestMatch_thenMostSpecificWins() {
        PrefixTrie<String> t = trie("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "::/0", "2001:db8::/32");
        assertEquals("10.1.2.0/24", t.longestMatch(IpAddress.parse("10.1.2.3")).orElseThrow().value());
        assertEquals("10.0.0.0/8", t.longestMatch(IpAddress.parse("10.2.0.1")).orElseThrow().value());
        assertEquals("0.0.0.0/0", t.longestMatch(IpAddress.parse("8.8.8.8")).orElseThrow().value());
        assertEquals("2001:db8::/32", t.longestMatch(IpAddress.parse("2001:db8::1")).orElseThrow().value());
        assertEquals("::/0", t.longestMatch(IpAddress.parse("2001:db9::1")).orElseThrow().value());
    }

    @Test
    void givenNoCover_whenLongestMatch_thenEmpty() {
        assertTrue(trie("10.0.0.0/8").longestMatch(IpAddress.parse("11.0.0.1")).isEmpty());
        assertTrue(trie("10.0.0.0/8").longestMatch(IpAddress.parse("::1")).isEmpty());
    }

    @Test
    void givenBlocks_whenCoveringAndInside_thenBothDirections() {
        PrefixTrie<String> t = trie("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.2.0.0/16", "192.168.0.0/16");
        assertEquals(List.of("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16"), names(t.covering(Cidr.parse("10.1.0.0/16"))));
        assertEquals(List.of("10.1.0.0/16", "10.1.2.0/24"), names(t.inside(Cidr.parse("10.1.0.0/16"))));
        assertEquals(List.of("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"), names(t.overlapping(Cidr.parse("10.1.0.0/16"))));
        assertTrue(t.overlapsAny(Cidr.parse("10.1.2.128/25")));
        assertTrue(t.hasMoreSpecific(Cidr.parse("10.0.0.0/8")));
        assertFalse(t.hasMoreSpecific(Cidr.parse("10.1.2.0/24")));
        PrefixTrie<String> sparse = trie("10.1.2.0/24");
        assertFalse(sparse.overlapsAny(Cidr.parse("10.1.3.0/24")));
        assertTrue(sparse.overlapsAny(Cidr.parse("10.0.0.0/8")));
    }

    @Test
    void givenPutRemove_thenSizeAndGetFollow() {
        PrefixTrie<String> t = trie("10.0.0.0/8");
        assertEquals("10.0.0.0/8", t.put(Cidr.parse("10.0.0.0/8"), "x"));
        assertEquals(1, t.size());
        assertEquals("x", t.get(Cidr.parse("10.0.0.0/8")).orElseThrow());
        assertEquals("x", t.remove(Cidr.parse("10.0.0.0/8")));
        assertTrue(t.isEmpty());
        assertTrue(t.longestMatch(IpAddress.parse("10.0.0.1")).isEmpty());
    }

    @Test
    void givenRandomBlocks_whenQueried_thenAgreesWithPairwiseComparison() {
        Random random = new Random(42);
        List<Cidr> all = new ArrayList<>();
        PrefixTrie<Cidr> t = new PrefixTrie<>();
        for (int i = 0; i < 400; i++) {
            int bits = random.nextInt(4) == 0 ? 0x0A000000 | random.nextInt(1 << 16) << 8 : random.nextInt();
            Cidr c = Cidr.of(IpAddress.ofIpv4(bits), 4 + random.nextInt(25));
            all.add(c);
            t.put(c, c);
        }
        for (int q = 0; q < 300; q++) {
            Cidr probe = Cidr.of(IpAddress.ofIpv4(random.nextInt()), random.nextInt(33));
            long expectCover = all.stream().distinct().filter(c -> c.contains(probe)).count();
            long expectInside = all.stream().distinct().filter(probe::contains).count();
            long expectOverlap = all.stream().distinct().filter(probe::overlaps).count();
            assertEquals(expectCover, t.covering(probe).size(), probe.toString());
            assertEquals(expectInside, t.inside(probe).size(), probe.toString());
            assertEquals(expectOverlap, t.overlapping(probe).size(), probe.toString());
            assertEquals(expectOverlap > 0, t.overlapsAny(probe), probe.toString());
        }
    }

    @Test
    void givenNetmask_whenMixedFamilyOrHoles_thenLocatedError() {
        assertEquals("10.0.0.0/8", Cidr.ofNetmask(IpAddress.parse("10.1.2.3"), IpAddress.parse("255.0.0.0"), "x").toString());
        AddressFormatException mixed = assertThrows(AddressFormatException.class,
                () -> Cidr.ofNetmask(IpAddress.parse("10.0.0.0"), IpAddress.parse("ffff::"), "route 10.0.0.0 ffff::"));
        assertTrue(mixed.getMessage().contains("mixed families"), mixed.getMessage());
        AddressFormatException holes = assertThrows(AddressFormatException.class,
                () -> Cidr.ofNetmask(IpAddress.parse("10.0.0.0"), IpAddress.parse("255.0.255.0"), "x"));
        assertTrue(holes.getMessage().contains("not contiguous"), holes.getMessage());
        assertThrows(AddressFormatException.class, () -> Cidr.parse("10.0.0.0/8").requireSameFamily(Cidr.parse("::/0"), "x"));
    }
}
