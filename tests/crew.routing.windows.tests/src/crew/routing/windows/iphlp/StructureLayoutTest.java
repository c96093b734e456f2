package crew.routing.windows.iphlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.sun.jna.Structure;

import crew.routing.windows.iphlp.IpHelperStructures.IP_ADDRESS_PREFIX;
import crew.routing.windows.iphlp.IpHelperStructures.LaidOut;
import crew.routing.windows.iphlp.IpHelperStructures.MIB_IPFORWARD_ROW2;
import crew.routing.windows.iphlp.IpHelperStructures.MIB_IPINTERFACE_ROW;
import crew.routing.windows.iphlp.IpHelperStructures.SOCKADDR_INET;

/**
 * Every field offset of the JNA structures, not only their sizes, against the x64 layout of netioapi.h (the numbers
 * below; {@link MingwOffsetsTest} checks the same numbers with the C compiler and the real headers), and the codec's
 * offsets against JNA's.
 */
class StructureLayoutTest {

    /** The documented offsets, field by field, of each structure (x64). */
    static final Map<String, Map<String, Integer>> DOCUMENTED = new LinkedHashMap<>();

    static {
        DOCUMENTED.put("SOCKADDR_INET", ordered("si_family", 0, "sin6_port", 2, "sin6_flowinfo", 4, "sin6_addr", 8, "sin6_scope_id", 24));
        DOCUMENTED.put("IP_ADDRESS_PREFIX", ordered("Prefix", 0, "PrefixLength", 28));
        DOCUMENTED.put("MIB_IPFORWARD_ROW2", ordered("InterfaceLuid", 0, "InterfaceIndex", 8, "DestinationPrefix", 12, "NextHop", 44,
                "SitePrefixLength", 72, "ValidLifetime", 76, "PreferredLifetime", 80, "Metric", 84, "Protocol", 88, "Loopback", 92,
                "AutoconfigureAddress", 93, "Publish", 94, "Immortal", 95, "Age", 96, "Origin", 100));
        DOCUMENTED.put("MIB_IPINTERFACE_ROW", ordered("Family", 0, "InterfaceLuid", 8, "InterfaceIndex", 16, "MaxReassemblySize", 20,
                "InterfaceIdentifier", 24, "MinRouterAdvertisementInterval", 32, "MaxRouterAdvertisementInterval", 36, "AdvertisingEnabled", 40,
                "ForwardingEnabled", 41, "WeakHostSend", 42, "WeakHostReceive", 43, "UseAutomaticMetric", 44,
                "UseNeighborUnreachabilityDetection", 45, "ManagedAddressConfigurationSupported", 46, "OtherStatefulConfigurationSupported", 47,
                "AdvertiseDefaultRoute", 48, "RouterDiscoveryBehavior", 52, "DadTransmits", 56, "BaseReachableTime", 60, "RetransmitTime", 64,
                "PathMtuDiscoveryTimeout", 68, "LinkLocalAddressBehavior", 72, "LinkLocalAddressTimeout", 76, "ZoneIndices", 80,
                "SitePrefixLength", 144, "Metric", 148, "NlMtu", 152, "Connected", 156, "SupportsWakeUpPatterns", 157,
                "SupportsNeighborDiscovery", 158, "SupportsRouterDiscovery", 159, "ReachableTime", 160, "TransmitOffload", 164,
                "ReceiveOffload", 165, "DisableDefaultRoutes", 166));
    }

    static final Map<String, Integer> SIZES = Map.of("SOCKADDR_INET", 28, "IP_ADDRESS_PREFIX", 32, "MIB_IPFORWARD_ROW2", 104,
            "MIB_IPINTERFACE_ROW", 168);

    static Map<String, LaidOut> structures() {
        Map<String, LaidOut> m = new LinkedHashMap<>();
        m.put("SOCKADDR_INET", new SOCKADDR_INET());
        m.put("IP_ADDRESS_PREFIX", new IP_ADDRESS_PREFIX());
        m.put("MIB_IPFORWARD_ROW2", new MIB_IPFORWARD_ROW2());
        m.put("MIB_IPINTERFACE_ROW", new MIB_IPINTERFACE_ROW());
        return m;
    }

    private static Map<String, Integer> ordered(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return m;
    }

    @Test
    void givenEachJnaStructure_whenLaidOut_thenEveryFieldSitsAtItsDocumentedOffsetAndTheSizeMatches() {
        for (Map.Entry<String, LaidOut> e : structures().entrySet()) {
            LaidOut s = e.getValue();
            Map<String, Integer> doc = DOCUMENTED.get(e.getKey());
            assertEquals(java.util.List.copyOf(doc.keySet()), s.fieldNames(), e.getKey() + ": every field is documented, in order");
            for (Map.Entry<String, Integer> f : doc.entrySet()) {
                assertEquals(f.getValue(), s.offsetOf(f.getKey()), e.getKey() + "." + f.getKey());
            }
            assertEquals(SIZES.get(e.getKey()), s.size(), e.getKey() + " size");
        }
    }

    @Test
    void givenTheCodecsOffsets_whenComparedWithJnas_thenTheyAreTheSame() {
        MIB_IPFORWARD_ROW2 row = new MIB_IPFORWARD_ROW2();
        assertEquals(IpHelperLayout.ROW2_SIZE, row.size());
        assertEquals(IpHelperLayout.ROW2_INTERFACE_LUID, row.offsetOf("InterfaceLuid"));
        assertEquals(IpHelperLayout.ROW2_INTERFACE_INDEX, row.offsetOf("InterfaceIndex"));
        assertEquals(IpHelperLayout.ROW2_DESTINATION_PREFIX, row.offsetOf("DestinationPrefix"));
        assertEquals(IpHelperLayout.ROW2_DESTINATION_PREFIX_LENGTH, row.offsetOf("DestinationPrefix") + new IP_ADDRESS_PREFIX().offsetOf("PrefixLength"));
        assertEquals(IpHelperLayout.ROW2_NEXT_HOP, row.offsetOf("NextHop"));
        assertEquals(IpHelperLayout.ROW2_SITE_PREFIX_LENGTH, row.offsetOf("SitePrefixLength"));
        assertEquals(IpHelperLayout.ROW2_VALID_LIFETIME, row.offsetOf("ValidLifetime"));
        assertEquals(IpHelperLayout.ROW2_PREFERRED_LIFETIME, row.offsetOf("PreferredLifetime"));
        assertEquals(IpHelperLayout.ROW2_METRIC, row.offsetOf("Metric"));
        assertEquals(IpHelperLayout.ROW2_PROTOCOL, row.offsetOf("Protocol"));
        assertEquals(IpHelperLayout.ROW2_LOOPBACK, row.offsetOf("Loopback"));
        assertEquals(IpHelperLayout.ROW2_AUTOCONFIGURE_ADDRESS, row.offsetOf("AutoconfigureAddress"));
        assertEquals(IpHelperLayout.ROW2_PUBLISH, row.offsetOf("Publish"));
        assertEquals(IpHelperLayout.ROW2_IMMORTAL, row.offsetOf("Immortal"));
        assertEquals(IpHelperLayout.ROW2_AGE, row.offsetOf("Age"));
        assertEquals(IpHelperLayout.ROW2_ORIGIN, row.offsetOf("Origin"));
        SOCKADDR_INET sa = new SOCKADDR_INET();
        assertEquals(IpHelperLayout.SOCKADDR_INET_SIZE, sa.size());
        assertEquals(IpHelperLayout.SA_FAMILY, sa.offsetOf("si_family"));
        assertEquals(IpHelperLayout.SA_PORT, sa.offsetOf("sin6_port"));
        assertEquals(IpHelperLayout.SIN_ADDR, sa.offsetOf("sin6_flowinfo"));
        assertEquals(IpHelperLayout.SIN6_ADDR, sa.offsetOf("sin6_addr"));
        assertEquals(IpHelperLayout.SIN6_SCOPE_ID, sa.offsetOf("sin6_scope_id"));
        MIB_IPINTERFACE_ROW ifr = new MIB_IPINTERFACE_ROW();
        assertEquals(IpHelperLayout.IFROW_SIZE, ifr.size());
        assertEquals(IpHelperLayout.IFROW_INTERFACE_LUID, ifr.offsetOf("InterfaceLuid"));
        assertEquals(IpHelperLayout.IFROW_INTERFACE_INDEX, ifr.offsetOf("InterfaceIndex"));
        assertEquals(IpHelperLayout.IFROW_USE_AUTOMATIC_METRIC, ifr.offsetOf("UseAutomaticMetric"));
        assertEquals(IpHelperLayout.IFROW_METRIC, ifr.offsetOf("Metric"));
        assertEquals(IpHelperLayout.IFROW_CONNECTED, ifr.offsetOf("Connected"));
    }

    /** The trap platforms.md found: SOCKADDR_INET as short + byte[26] has SOCKADDR_INET's size but is 2-aligned. */
    @Structure.FieldOrder({"si_family", "rest"})
    public static class WrongSockaddr extends LaidOut {
        public short si_family;
        public byte[] rest = new byte[26];
    }

    @Structure.FieldOrder({"Prefix", "PrefixLength"})
    public static class WrongPrefix extends LaidOut {
        public WrongSockaddr Prefix;
        public byte PrefixLength;
    }

    @Structure.FieldOrder({"InterfaceLuid", "InterfaceIndex", "DestinationPrefix", "NextHop", "SitePrefixLength", "ValidLifetime",
        "PreferredLifetime", "Metric", "Protocol", "Loopback", "AutoconfigureAddress", "Publish", "Immortal", "Age", "Origin"})
    public static class WrongRow extends LaidOut {
        public long InterfaceLuid;
        public int InterfaceIndex;
        public WrongPrefix DestinationPrefix;
        public WrongSockaddr NextHop;
        public byte SitePrefixLength;
        public int ValidLifetime;
        public int PreferredLifetime;
        public int Metric;
        public int Protocol;
        public byte Loopback;
        public byte AutoconfigureAddress;
        public byte Publish;
        public byte Immortal;
        public int Age;
        public int Origin;
    }

    @Test
    void givenTheShortPlusBytesModel_whenLaidOut_thenTheSizeIsRightAndTheOffsetsWrong_soSizeAloneProvesNothing() {
        WrongRow w = new WrongRow();
        assertEquals(104, w.size());
        assertEquals(42, w.offsetOf("NextHop"));
        assertEquals(80, w.offsetOf("Metric"));
        assertNotEquals(IpHelperLayout.ROW2_METRIC, w.offsetOf("Metric"));
    }
}
