package crew.ui.designer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;

import org.junit.jupiter.api.Test;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/** The map's range to pixel geometry, without a display. */
class AddressScaleTest {

    private static int[] px(AddressScale s, String cidr) {
        return s.span(Cidr.parse(cidr));
    }

    @Test
    void givenTheWholeIpv4Space_thenRangesMapProportionally() {
        AddressScale s = AddressScale.whole(IpFamily.IPV4, 1024);
        assertArrayEquals(new int[] {0, 512}, px(s, "0.0.0.0/1"));
        assertArrayEquals(new int[] {512, 1024}, px(s, "128.0.0.0/1"));
        assertArrayEquals(new int[] {40, 44}, px(s, "10.0.0.0/8"));
        assertArrayEquals(new int[] {0, 1024}, px(s, "0.0.0.0/0"));
        // a single address is still one pixel wide, at its place
        assertArrayEquals(new int[] {688, 689}, px(s, "172.31.1.1/32"));
        assertArrayEquals(new int[] {1023, 1024}, px(s, "255.255.255.255/32"));
        assertEquals("IPv4 0.0.0.0 \u2013 255.255.255.255 (2^32 addresses, the whole space)", s.label());
        assertEquals(List.of("0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"), s.ticks(4).stream().map(Cidr::toString).toList());
        assertEquals(IpAddress.parse("128.0.0.0"), AddressScale.address(IpFamily.IPV4, s.at(512)));
        assertNull(px(s, "2001:db8::/32"), "another family is not on an IPv4 map");
    }

    @Test
    void givenAZoomIntoARange_thenItFillsTheWidthAndOutsideRangesAreClippedOrHidden() {
        AddressScale s = AddressScale.whole(IpFamily.IPV4, 1000).zoomTo(Cidr.parse("10.0.0.0/8"));
        assertEquals(BigInteger.ONE.shiftLeft(24), s.span());
        assertArrayEquals(new int[] {0, 1000}, px(s, "10.0.0.0/8"));
        assertArrayEquals(new int[] {500, 1000}, px(s, "10.128.0.0/9"));
        assertArrayEquals(new int[] {0, 1000}, px(s, "0.0.0.0/1"), "a wider range is clipped to the window");
        assertNull(px(s, "11.0.0.0/8"));
        assertNull(px(s, "9.255.255.255/32"));
        assertEquals("IPv4 10.0.0.0 \u2013 10.255.255.255 (16,777,216 addresses)", s.label());
        assertEquals("10.0.0.0/10", s.ticks(4).get(0).toString());
    }

    @Test
    void givenZoomAroundAnAnchor_thenTheAddressUnderItStaysAndZoomIsBounded() {
        AddressScale s = AddressScale.whole(IpFamily.IPV4, 800);
        BigInteger before = s.at(300);
        AddressScale in = s.zoom(2, 300);
        assertEquals(s.span().shiftRight(1), in.span());
        BigInteger after = in.at(300);
        assertTrue(after.subtract(before).abs().compareTo(in.span().divide(BigInteger.valueOf(800)).add(BigInteger.ONE)) <= 0,
                before + " vs " + after);
        // zooming out past the whole space stops there
        assertTrue(in.zoom(0.5, 10).zoom(0.5, 10).isWhole());
        // zooming in stops at MIN_SPAN addresses and stays inside the space
        AddressScale deep = s;
        for (int i = 0; i < 40; i++) {
            deep = deep.zoom(2, 799);
        }
        assertEquals(AddressScale.MIN_SPAN, deep.span());
        assertTrue(deep.end().compareTo(AddressScale.size(IpFamily.IPV4)) <= 0, deep.toString());
        assertTrue(deep.start().compareTo(BigInteger.valueOf(4_250_000_000L)) > 0, "near the top, where the pointer was: " + deep);
        // panning past the end stops at the end; past the start at zero
        AddressScale edge = s.zoomTo(Cidr.parse("255.0.0.0/8")).pan(3);
        assertEquals(AddressScale.size(IpFamily.IPV4), edge.end());
        assertEquals(BigInteger.ZERO, s.zoomTo(Cidr.parse("0.0.0.0/8")).pan(-2).start());
        assertEquals(BigInteger.ONE.shiftLeft(24), s.zoomTo(Cidr.parse("10.0.0.0/8")).pan(1).start().subtract(BigInteger.valueOf(10L << 24)));
        // a host route is shown with MIN_SPAN addresses around it
        AddressScale host = s.zoomTo(Cidr.parse("10.0.0.5/32"));
        assertEquals(AddressScale.MIN_SPAN, host.span());
        assertTrue(host.span(Cidr.parse("10.0.0.5/32")) != null);
    }

    @Test
    void givenIpv6_thenTheSameGeometryOver128Bits() {
        AddressScale s = AddressScale.whole(IpFamily.IPV6, 1024);
        assertArrayEquals(new int[] {0, 512}, px(s, "::/1"));
        assertArrayEquals(new int[] {512, 1024}, px(s, "8000::/1"));
        assertArrayEquals(new int[] {128, 129}, px(s, "2001:db8::/32"), "2000::/3 starts at 1/8 of the space");
        assertArrayEquals(new int[] {1020, 1024}, px(s, "ff00::/8"));
        assertEquals("IPv6 :: \u2013 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff (2^128 addresses, the whole space)", s.label());
        AddressScale z = s.zoomTo(Cidr.parse("2600:1f14:abc:de00::/56"));
        assertEquals(BigInteger.ONE.shiftLeft(72), z.span());
        assertArrayEquals(new int[] {0, 1024}, px(z, "2600:1f14:abc:de00::/56"));
        assertArrayEquals(new int[] {0, 4}, px(z, "2600:1f14:abc:de00::/64"));
        assertNull(px(z, "10.0.0.0/8"));
        assertEquals(IpAddress.parse("2600:1f14:abc:de80::"), AddressScale.address(IpFamily.IPV6, z.at(512)));
        assertEquals(new BigInteger("ffffffffffffffffffffffffffffffff", 16), AddressScale.value(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
        assertTrue(z.zoom(0.5).span().equals(BigInteger.ONE.shiftLeft(73)));
    }
}
