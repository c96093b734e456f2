package crew.model.endpoint;

import crew.model.net.Cidr;

/**
 * A route of the endpoint's route table (CreateClientVpnRoute / DescribeClientVpnRoutes).
 *
 * @param destinationCidr the destination
 * @param targetSubnet    the associated subnet that carries the traffic, or {@link #LOCAL} for client-to-client
 * @param origin          "associate" (created by an association) or "add-route" (created by hand)
 * @param type            "Nat" or "Local" as AWS reports it, or null
 * @param status          "creating", "active", "failed", "deleting", or null in a design
 */
public record ClientVpnRoute(Cidr destinationCidr, String targetSubnet, String origin, String type, String description,
        String status) {

    public static final String LOCAL = "local";

    public boolean isLocal() {
        return LOCAL.equals(targetSubnet);
    }
}
