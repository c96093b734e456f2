package crew.model.net;

/** The two IP address families, with their address width in bits. */
public enum IpFamily {
    IPV4(32, "IPv4"),
    IPV6(128, "IPv6");

    private final int bits;
    private final String label;

    IpFamily(int bits, String label) {
        this.bits = bits;
        this.label = label;
    }

    /** Address width in bits: 32 or 128. */
    public int bits() {
        return bits;
    }

    @Override
    public String toString() {
        return label;
    }
}
