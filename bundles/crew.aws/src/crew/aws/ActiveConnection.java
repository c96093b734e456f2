package crew.aws;

/** One client connection of an endpoint (DescribeClientVpnConnections). */
public record ActiveConnection(String connectionId, String commonName, String username, String clientIp, String establishedTime, String status) {
}
