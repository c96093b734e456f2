package crew.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0.0.0.0",
        "10.0.0.1, 10.0.0.1",
        "255.255.255.255, 255.255.255.255",
        "::, ::",
        "::1, ::1",
        "2001:DB8::1, 2001:db8::1",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "fe80::, fe80::",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
    })
    void givenValidText_whenParsed_thenCanonicalTextIsRfc5952(String text, String canonical) {
        IpAddress a = IpAddress.parse(text);
        assertEquals(canonical, a.toString());
        assertEquals(a, IpAddress.parse(a.toString()), "canonical text parses back to the same address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.256|7|more than 255",
        "10.0.0|6|needs 4",
        "10.0.0.1.5|8|after the fourth",
        "10.00.0.1|3|leading zero",
        "10.a.0.1|3|unexpected 'a'",
        "1.2.3.4x|7|after the fourth",
        "2001:db8::1::2|11|only once",
        "2001:db8:1|10|needs 8",
        "12345::|0|more than four hex",
        "fe80::1%eth0|7|zone identifier",
        ":1::|0|single ':'",
        "1:2:3:4:5:6:7:8:9|16|more than 8 groups",
        "1::g|3|unexpected 'g'",
        "' 10.0.0.1'|0|unexpected U+0020 SPACE in IPv4",
        "' ::1'|0|unexpected U+0020 SPACE in IPv6",
        "10.0.0.1\u200b|8|U+200B ZERO WIDTH SPACE",
        // digits of other scripts are digits to Character.isDigit, not in an address
        "\u0661\u0660.0.0.1|0|unexpected U+0661 ARABIC-INDIC DIGIT ONE",
        "::\uff11|2|unexpected U+FF11 FULLWIDTH DIGIT ONE",
    })
    void givenInvalidText_whenParsed_thenErrorNamesPositionAndReason(String text, int index, String reason) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> IpAddress.parse(text));
        assertEquals(text, e.input());
        assertEquals(index, e.index(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + text + "\""), "message quotes the bad text: " + e.getMessage());
    }

    @Test
    void givenEmptyText_whenParsed_thenClearError() {
        assertThrows(AddressFormatException.class, () -> IpAddress.parse(""));
    }

    @Test
    void givenRandomAddresses_whenRoundTrippedThroughInetAddress_thenEqual() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[i % 2 == 0 ? 4 : 16];
            random.nextBytes(bytes);
            if (bytes.length == 16 && i % 7 == 1) {
                for (int z = 2; z < 10; z++) {
                    bytes[z] = 0; // long zero runs exercise '::'
                }
            }
            IpAddress a = IpAddress.ofBytes(bytes);
            InetAddress java = InetAddress.getByAddress(bytes);
            assertEquals(a, IpAddress.of(java));
            assertEquals(a, IpAddress.parse(a.toString()), a.toString());
            assertEquals(a, IpAddress.parse(java.getHostAddress()), java.getHostAddress());
        }
    }

    @Test
    void givenAddresses_whenMaskedFilledAndCompared_thenBitsAgree() {
        IpAddress a = IpAddress.parse("192.168.1.77");
        assertEquals("192.168.1.0", a.mask(24).toString());
        assertEquals("192.168.1.255", a.fill(24).toString());
        assertEquals("0.0.0.0", a.mask(0).toString());
        assertTrue(a.bit(0));
        assertFalse(a.bit(2));
        IpAddress b = IpAddress.parse("2001:db8::ff");
        assertEquals("2001:db8::", b.mask(64).toString());
        assertEquals("2001:db8::ffff:ffff:ffff:ffff", b.fill(64).toString());
        assertTrue(IpAddress.parse("10.0.0.1").compareTo(IpAddress.parse("10.0.0.2")) < 0);
        assertTrue(IpAddress.parse("200.0.0.1").compareTo(IpAddress.parse("10.0.0.2")) > 0, "unsigned order");
        assertTrue(IpAddress.parse("10.0.0.1").compareTo(IpAddress.parse("::1")) < 0, "IPv4 sorts before IPv6");
        assertNull(IpAddress.parse("255.255.255.255").next());
        assertEquals("0:0:0:1::", IpAddress.parse("::ffff:ffff:ffff:ffff").next().toString());
    }
}
