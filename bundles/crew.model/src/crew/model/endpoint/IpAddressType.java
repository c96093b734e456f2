package crew.model.endpoint;

/** Endpoint and traffic IP address types (create-only). AWS values: ipv4, ipv6, dual-stack. */
public enum IpAddressType {
    IPV4("ipv4"), IPV6("ipv6"), DUAL_STACK("dual-stack");

    private final String awsValue;

    IpAddressType(String awsValue) {
        this.awsValue = awsValue;
    }

    public String awsValue() {
        return awsValue;
    }

    public boolean carriesIpv6() {
        return this != IPV4;
    }

    public boolean carriesIpv4() {
        return this != IPV6;
    }

    public static IpAddressType fromAws(String value) {
        for (IpAddressType t : values()) {
            if (t.awsValue.equalsIgnoreCase(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("IP address type must be ipv4, ipv6 or dual-stack, not '" + value + "'");
    }
}
