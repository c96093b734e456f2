package crew.routing.macos.pfroute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.io.NetstatRouteText;
import crew.model.net.IpFamily;

/**
 * The example workspace's {@code netstat -rn} table (macOS) as a NET_RT_DUMP2 would carry it: each line's route built
 * as RTM_GET2 bytes field by field (flags from netstat's letters, XNU's short masks, link#N gateways as sockaddr_dl,
 * link-local scopes embedded in address bytes 2-3), decoded by the codec, and compared with what the text reader makes
 * of the same lines. ARP/ND and cloned entries (flags L, W) are in netstat's output but are not routes for the codec.
 */
class NetstatAgreementTest {

    private static final Map<String, Integer> INDEX = Map.of("lo0", 1, "en0", 6, "bridge100", 21);

    @Test
    void givenTheExampleNetstatTable_whenTheSameTableIsDecodedFromDumpBytes_thenBothReadersAgree() throws Exception {
        Path file = Path.of(System.getProperty("crew.repo.dir", "../.."), "bundles/crew.examples/workspace/devices/macos-netstat-rn.txt");
        List<DeviceRoute> text = NetstatRouteText.parse(file.toString(), Files.readString(file));
        Bytes dump = new Bytes();
        List<String> expected = new ArrayList<>();
        for (DeviceRoute r : text) {
            dump.raw(dumpRecord(r));
            if (!r.flags().contains("L") && !r.flags().contains("W")) {
                expected.add(describe(r));
            }
        }
        byte[] b = dump.bytes();
        List<String> decoded = new ArrayList<>();
        Map<Integer, String> names = Map.of(1, "lo0", 6, "en0", 21, "bridge100");
        for (RouteMessage m : PfRouteCodec.decodeAll(b, b.length)) {
            DeviceRoute r = PfRouteCodec.toRoute(m, names::get);
            if (r != null) {
                decoded.add(describe(r));
            }
        }
        assertEquals(expected, decoded);
        assertEquals(text.size() - 2, decoded.size(), "two host entries (::1 UHL, fe80::1%lo0 UHLI) are left out; the ARP entry 192.168.1.1 UHLWIir the netstat reader itself already leaves out");
    }

    private static String describe(DeviceRoute r) {
        return r.destination() + " gw " + r.gateway() + " dev " + r.interfaceName() + " flags " + new java.util.TreeSet<>(r.flags()) + " " + r.type();
    }

    /** One RTM_GET2 record of a NET_RT_DUMP2 for a route netstat printed. */
    private static byte[] dumpRecord(DeviceRoute r) {
        int flags = 0;
        for (String f : r.flags()) {
            int i = new String(PfRoute.FLAG_LETTERS).indexOf(f.charAt(0));
            if (i < 0) {
                throw new AssertionError("netstat flag " + f + " has no RTF_ bit in the table");
            }
            flags |= PfRoute.FLAG_BITS[i];
        }
        boolean v6 = r.destination().family() == IpFamily.IPV6;
        int ifIndex = INDEX.get(r.interfaceName());
        int addrs = PfRoute.RTA_DST | PfRoute.RTA_GATEWAY;
        Bytes sa = new Bytes().raw(inet(r.destination().network().toBytes(), ifIndex));
        if (r.gateway() != null) {
            sa.raw(inet(r.gateway().toBytes(), ifIndex));
        } else {
            sa.raw(Bytes.link(r.interfaceIndex() != 0 ? r.interfaceIndex() : ifIndex, 6, ""));
        }
        if ((flags & PfRoute.RTF_HOST) == 0) {
            addrs |= PfRoute.RTA_NETMASK;
            sa.raw(Bytes.kernelMask(v6, r.destination().prefixLength()));
        }
        Bytes h = new Bytes().u16(92 + sa.size()).u8(5).u8(PfRoute.RTM_GET2).u16(ifIndex).zeros(2).i32(flags).i32(addrs).i32(1).i32(0).i32(0)
                .i32(3).i32(0).zeros(56);
        return h.raw(sa.bytes()).bytes();
    }

    /** sockaddr_in or sockaddr_in6; an IPv6 link-local address carries its scope in bytes 2-3 as the kernel writes it. */
    private static byte[] inet(byte[] a, int scope) {
        if (a.length == 4) {
            return Bytes.in4(a[0] & 0xFF, a[1] & 0xFF, a[2] & 0xFF, a[3] & 0xFF);
        }
        byte[] k = a.clone();
        if ((k[0] & 0xFF) == 0xfe && (k[1] & 0xC0) == 0x80) {
            k[2] = (byte) (scope >> 8);
            k[3] = (byte) scope;
        }
        return Bytes.in6(k, 0);
    }
}
