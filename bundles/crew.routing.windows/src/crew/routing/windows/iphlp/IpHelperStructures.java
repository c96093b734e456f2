package crew.routing.windows.iphlp;

import java.util.List;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The IP Helper structures as JNA declares them, named as in the C headers. SOCKADDR_INET is declared with
 * SOCKADDR_IN6's fields (an IPv4 address sits where sin6_flowinfo is): a {@code short} family followed by a
 * {@code byte[26]} would also make 28 bytes but 2-aligned, which moves NextHop to 42 and Metric to 80. The tests
 * assert every field offset against {@link IpHelperLayout}, not only the size.
 */
public final class IpHelperStructures {

    private IpHelperStructures() {
    }

    @Structure.FieldOrder({"si_family", "sin6_port", "sin6_flowinfo", "sin6_addr", "sin6_scope_id"})
    public static class SOCKADDR_INET extends LaidOut {
        public short si_family;
        public short sin6_port;
        /** SOCKADDR_IN's sin_addr when si_family is AF_INET. */
        public int sin6_flowinfo;
        public byte[] sin6_addr = new byte[16];
        public int sin6_scope_id;
    }

    @Structure.FieldOrder({"Prefix", "PrefixLength"})
    public static class IP_ADDRESS_PREFIX extends LaidOut {
        public SOCKADDR_INET Prefix;
        public byte PrefixLength;
    }

    @Structure.FieldOrder({"InterfaceLuid", "InterfaceIndex", "DestinationPrefix", "NextHop", "SitePrefixLength", "ValidLifetime",
        "PreferredLifetime", "Metric", "Protocol", "Loopback", "AutoconfigureAddress", "Publish", "Immortal", "Age", "Origin"})
    public static class MIB_IPFORWARD_ROW2 extends LaidOut {
        public long InterfaceLuid;
        public int InterfaceIndex;
        public IP_ADDRESS_PREFIX DestinationPrefix;
        public SOCKADDR_INET NextHop;
        public byte SitePrefixLength;
        public int ValidLifetime;
        public int PreferredLifetime;
        public int Metric;
        public int Protocol;
        /** BOOLEAN is a byte (JNA would map a Java boolean to a 4-byte int). */
        public byte Loopback;
        public byte AutoconfigureAddress;
        public byte Publish;
        public byte Immortal;
        public int Age;
        public int Origin;

        public MIB_IPFORWARD_ROW2() {
        }

        public MIB_IPFORWARD_ROW2(Pointer p) {
            super(p);
        }
    }

    @Structure.FieldOrder({"Family", "InterfaceLuid", "InterfaceIndex", "MaxReassemblySize", "InterfaceIdentifier",
        "MinRouterAdvertisementInterval", "MaxRouterAdvertisementInterval", "AdvertisingEnabled", "ForwardingEnabled", "WeakHostSend",
        "WeakHostReceive", "UseAutomaticMetric", "UseNeighborUnreachabilityDetection", "ManagedAddressConfigurationSupported",
        "OtherStatefulConfigurationSupported", "AdvertiseDefaultRoute", "RouterDiscoveryBehavior", "DadTransmits", "BaseReachableTime",
        "RetransmitTime", "PathMtuDiscoveryTimeout", "LinkLocalAddressBehavior", "LinkLocalAddressTimeout", "ZoneIndices",
        "SitePrefixLength", "Metric", "NlMtu", "Connected", "SupportsWakeUpPatterns", "SupportsNeighborDiscovery",
        "SupportsRouterDiscovery", "ReachableTime", "TransmitOffload", "ReceiveOffload", "DisableDefaultRoutes"})
    public static class MIB_IPINTERFACE_ROW extends LaidOut {
        public short Family;
        public long InterfaceLuid;
        public int InterfaceIndex;
        public int MaxReassemblySize;
        public long InterfaceIdentifier;
        public int MinRouterAdvertisementInterval;
        public int MaxRouterAdvertisementInterval;
        public byte AdvertisingEnabled;
        public byte ForwardingEnabled;
        public byte WeakHostSend;
        public byte WeakHostReceive;
        public byte UseAutomaticMetric;
        public byte UseNeighborUnreachabilityDetection;
        public byte ManagedAddressConfigurationSupported;
        public byte OtherStatefulConfigurationSupported;
        public byte AdvertiseDefaultRoute;
        public int RouterDiscoveryBehavior;
        public int DadTransmits;
        public int BaseReachableTime;
        public int RetransmitTime;
        public int PathMtuDiscoveryTimeout;
        public int LinkLocalAddressBehavior;
        public int LinkLocalAddressTimeout;
        public int[] ZoneIndices = new int[16];
        public int SitePrefixLength;
        public int Metric;
        public int NlMtu;
        public byte Connected;
        public byte SupportsWakeUpPatterns;
        public byte SupportsNeighborDiscovery;
        public byte SupportsRouterDiscovery;
        public int ReachableTime;
        /** NL_INTERFACE_OFFLOAD_ROD: a byte of bit fields. */
        public byte TransmitOffload;
        public byte ReceiveOffload;
        public byte DisableDefaultRoutes;
    }

    /** A structure that tells its fields' offsets as JNA lays them out on this machine (for the layout tests). */
    public abstract static class LaidOut extends Structure {
        protected LaidOut() {
        }

        protected LaidOut(Pointer p) {
            super(p);
        }

        public int offsetOf(String field) {
            return fieldOffset(field);
        }

        /** The fields in order, as {@link Structure.FieldOrder} declares them. */
        public List<String> fieldNames() {
            return List.of(getClass().getAnnotation(Structure.FieldOrder.class).value());
        }
    }
}
