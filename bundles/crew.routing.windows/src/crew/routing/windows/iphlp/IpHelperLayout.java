package crew.routing.windows.iphlp;

/**
 * The x64 layouts of the IP Helper structures CREW reads and writes (netioapi.h, ws2ipdef.h, ifdef.h), as byte
 * offsets. {@link ForwardRowCodec} reads rows with them; the JNA structures in {@link IpHelperStructures} declare the
 * same layout, and the tests assert that both agree with each other and, through mingw-w64's headers, with the C
 * compiler.
 */
public final class IpHelperLayout {

    private IpHelperLayout() {
    }

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 23;

    // SOCKADDR_INET (union of SOCKADDR_IN and SOCKADDR_IN6): 28 bytes, 4-aligned
    public static final int SOCKADDR_INET_SIZE = 28;
    public static final int SA_FAMILY = 0;
    public static final int SA_PORT = 2;
    public static final int SIN_ADDR = 4;
    public static final int SIN6_FLOWINFO = 4;
    public static final int SIN6_ADDR = 8;
    public static final int SIN6_SCOPE_ID = 24;

    // IP_ADDRESS_PREFIX: 32 bytes
    public static final int IP_ADDRESS_PREFIX_SIZE = 32;
    public static final int PREFIX_PREFIX = 0;
    public static final int PREFIX_LENGTH = 28;

    // MIB_IPFORWARD_ROW2: 104 bytes, 8-aligned
    public static final int ROW2_SIZE = 104;
    public static final int ROW2_INTERFACE_LUID = 0;
    public static final int ROW2_INTERFACE_INDEX = 8;
    public static final int ROW2_DESTINATION_PREFIX = 12;
    public static final int ROW2_DESTINATION_PREFIX_LENGTH = 12 + PREFIX_LENGTH;
    public static final int ROW2_NEXT_HOP = 44;
    public static final int ROW2_SITE_PREFIX_LENGTH = 72;
    public static final int ROW2_VALID_LIFETIME = 76;
    public static final int ROW2_PREFERRED_LIFETIME = 80;
    public static final int ROW2_METRIC = 84;
    public static final int ROW2_PROTOCOL = 88;
    public static final int ROW2_LOOPBACK = 92;
    public static final int ROW2_AUTOCONFIGURE_ADDRESS = 93;
    public static final int ROW2_PUBLISH = 94;
    public static final int ROW2_IMMORTAL = 95;
    public static final int ROW2_AGE = 96;
    public static final int ROW2_ORIGIN = 100;

    // MIB_IPFORWARD_TABLE2: NumEntries, then rows at 8 (the row's 8-byte alignment)
    public static final int TABLE2_NUM_ENTRIES = 0;
    public static final int TABLE2_TABLE = 8;

    // MIB_IPINTERFACE_ROW: 168 bytes
    public static final int IFROW_SIZE = 168;
    public static final int IFROW_FAMILY = 0;
    public static final int IFROW_INTERFACE_LUID = 8;
    public static final int IFROW_INTERFACE_INDEX = 16;
    public static final int IFROW_USE_AUTOMATIC_METRIC = 44;
    public static final int IFROW_METRIC = 148;
    public static final int IFROW_CONNECTED = 156;

    // MIB_NOTIFICATION_TYPE
    public static final int MIB_PARAMETER_NOTIFICATION = 0;
    public static final int MIB_ADD_INSTANCE = 1;
    public static final int MIB_DELETE_INSTANCE = 2;
    public static final int MIB_INITIAL_NOTIFICATION = 3;

    // NL_ROUTE_PROTOCOL (MIB_IPPROTO_*) and NL_ROUTE_ORIGIN
    public static final int MIB_IPPROTO_OTHER = 1;
    public static final int MIB_IPPROTO_LOCAL = 2;
    public static final int MIB_IPPROTO_NETMGMT = 3;
    public static final int MIB_IPPROTO_ICMP = 4;
    public static final int MIB_IPPROTO_RIP = 8;
    public static final int MIB_IPPROTO_OSPF = 13;
    public static final int MIB_IPPROTO_BGP = 14;
    public static final int MIB_IPPROTO_NT_AUTOSTATIC = 10002;
    public static final int MIB_IPPROTO_NT_STATIC = 10006;
    public static final int MIB_IPPROTO_NT_STATIC_NON_DOD = 10007;
    public static final int NLRO_MANUAL = 0;
    public static final int NLRO_WELL_KNOWN = 1;
    public static final int NLRO_DHCP = 2;
    public static final int NLRO_ROUTER_ADVERTISEMENT = 3;
    public static final int NLRO_6TO4 = 4;

    // Win32 errors
    public static final int NO_ERROR = 0;
    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_INVALID_PARAMETER = 87;
    public static final int ERROR_NOT_FOUND = 1168;
    public static final int ERROR_OBJECT_ALREADY_EXISTS = 5010;
}
