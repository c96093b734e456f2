package crew.model.endpoint;

/** Client VPN transport protocol (create-only). AWS value: "tcp" or "udp". */
public enum TransportProtocol {
    UDP("udp"), TCP("tcp");

    private final String awsValue;

    TransportProtocol(String awsValue) {
        this.awsValue = awsValue;
    }

    public String awsValue() {
        return awsValue;
    }

    public static TransportProtocol fromAws(String value) {
        for (TransportProtocol p : values()) {
            if (p.awsValue.equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("transport protocol must be tcp or udp, not '" + value + "'");
    }
}
