package crew.routing.macos.pfroute;

import crew.model.net.IpAddress;

/** One sockaddr of a routing message, as far as routing needs it. */
public sealed interface Sockaddr {

    /** sa_len as sent (0 for an empty one). */
    int length();

    /** AF_INET or AF_INET6; {@code scope} is the IPv6 interface scope (sin6_scope_id or the KAME-embedded one), else 0. */
    record Inet(int length, IpAddress address, int scope) implements Sockaddr {
    }

    /** AF_LINK (sockaddr_dl): an interface by index, type, name and link-layer address. */
    record Link(int length, int index, int type, String name, byte[] linkAddress) implements Sockaddr {
    }

    /**
     * The raw bytes of a netmask or genmask. The kernel drops trailing zero bytes and may write 0xff as the family, so
     * a mask is read by the destination's family (mask bytes from +4 for IPv4, +8 for IPv6): see {@link #prefixLength}.
     */
    record Mask(int length, byte[] raw) implements Sockaddr {

        /**
         * The prefix length for a destination of family {@code af}; -1 when the bits are not contiguous ones followed
         * by zeros.
         */
        public int prefixLength(int af) {
            int start = af == PfRoute.AF_INET6 ? 8 : 4;
            int bytes = af == PfRoute.AF_INET6 ? 16 : 4;
            int prefix = 0;
            boolean zero = false;
            for (int i = 0; i < bytes; i++) {
                int b = start + i < raw.length ? raw[start + i] & 0xFF : 0;
                for (int bit = 7; bit >= 0; bit--) {
                    boolean one = (b >> bit & 1) != 0;
                    if (one && zero) {
                        return -1;
                    }
                    if (one) {
                        prefix++;
                    } else {
                        zero = true;
                    }
                }
            }
            return prefix;
        }
    }

    /** sa_len 0: present in rtm_addrs, but empty (takes 4 bytes). */
    record Empty() implements Sockaddr {
        @Override
        public int length() {
            return 0;
        }
    }

    /** A family this codec does not read. */
    record Other(int length, int family) implements Sockaddr {
    }
}
