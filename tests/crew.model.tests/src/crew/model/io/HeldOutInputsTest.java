package crew.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * The defects issue 17 found with held-out inputs: a binary profile, digits of other scripts, macOS ARP and cloned
 * entries. Each must be a clear, located answer.
 */
class HeldOutInputsTest {

    @Test
    void givenABinaryProfile_whenRead_thenItIsNotTextWithTheFileAndByteOffset() throws Exception {
        Path f = Files.createTempFile("crew-binary", ".ovpn");
        Files.write(f, new byte[] { 'c', 'l', 'i', 'e', 'n', 't', '\n', (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' });
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> OvpnProfileText.parse(f.toString(), TextFiles.read(f)));
        assertTrue(e.getMessage().startsWith(f + ":2:"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 7"), e.getMessage());
        assertTrue(!e.getMessage().contains("Input length"), e.getMessage());
    }

    @Test
    void givenDigitsOfOtherScripts_whenParsed_thenTheCharacterIsNamedAsNotAnAsciiDigit() {
        // U+0661 ARABIC-INDIC DIGIT ONE, U+0967 DEVANAGARI DIGIT ONE, U+FF11 FULLWIDTH DIGIT ONE
        for (String text : List.of("\u0661\u0667.0.0.0", "10.\u0967.0.0", "10.0.0.\uff11")) {
            AddressFormatException e = assertThrows(AddressFormatException.class, () -> IpAddress.parse(text));
            assertTrue(e.getMessage().contains("not an ASCII digit"), e.getMessage());
            assertTrue(!e.getMessage().contains("more than 255"), e.getMessage());
        }
        AddressFormatException prefix = assertThrows(AddressFormatException.class, () -> Cidr.parse("10.0.0.0/\u0661\u0666"));
        assertTrue(prefix.getMessage().contains("U+0661 ARABIC-INDIC DIGIT ONE (a digit, but not an ASCII digit"), prefix.getMessage());
        // numbers in route tables and profiles went through Integer.parseInt, which takes them as digits
        SourceFormatException metric = assertThrows(SourceFormatException.class,
                () -> LinuxRouteText.parse("ip-route.txt", "10.0.0.0/8 via 192.168.1.1 dev eth0 metric \u0661\u0660\n"));
        assertEquals("ip-route.txt:1: metric must be a whole number >= 0, not '\u0661\u0660': character 1 is U+0661 ARABIC-INDIC DIGIT ONE"
                + " (a digit, but not an ASCII digit 0-9: only those count), not an ASCII digit", metric.getMessage());
        SourceFormatException port = assertThrows(SourceFormatException.class,
                () -> OvpnProfileText.parse("p.ovpn", "client\ndev tun\nremote vpn.example.com \uff14\uff14\uff13\n"));
        assertTrue(port.getMessage().startsWith("p.ovpn:3: port"), port.getMessage());
        assertTrue(port.getMessage().contains("U+FF14 FULLWIDTH DIGIT FOUR"), port.getMessage());
    }

    @Test
    void givenMacosArpAndClonedEntries_whenParsed_thenTheyAreNotRoutes() throws Exception {
        List<DeviceRoute> r = RouteSnapshot.parse("macos", Examples.text("devices/macos-netstat-rn.txt"));
        // 192.168.1.1/32 link#6 UCS is a route; "192.168.1.1 a4:91:b1:2c:3d:4e UHLWIir" is the gateway's ARP entry
        assertEquals(1, r.stream().filter(x -> x.destination().equals(Cidr.parse("192.168.1.1/32"))).count(), r.toString());
        String text = "Routing tables\n\nInternet:\nDestination        Gateway            Flags        Netif Expire\n"
                + "default            192.168.1.1        UGScg          en0\n"
                + "192.168.1          link#6             UCS            en0      !\n"
                + "192.168.1.20       3c:22:fb:1:2:3     UHLWI          en0   1190\n"
                + "192.168.1.30/32    link#6             UCS            en0      !\n"
                + "192.168.1.30       link#6             UHLWIi         en0      !\n"
                + "224.0.0.251        1:0:5e:0:0:fb      UHmLWI         en0\n"
                + "\nInternet6:\nDestination        Gateway            Flags        Netif Expire\n"
                + "fe80::1%en0        a4:91:b1:2c:3d:4e  UHLWIi         en0\n";
        List<DeviceRoute> t = NetstatRouteText.parse("netstat.txt", text);
        assertEquals(List.of("0.0.0.0/0", "192.168.1.0/24", "192.168.1.30/32"), t.stream().map(x -> x.destination().toString()).toList());
        // still checked for form: a bad cache row is an error with its line
        SourceFormatException bad = assertThrows(SourceFormatException.class, () -> NetstatRouteText.parse("netstat.txt",
                text.replace("192.168.1.20 ", "192.168.1.290")));
        assertTrue(bad.getMessage().startsWith("netstat.txt:7:"), bad.getMessage());
    }
}
