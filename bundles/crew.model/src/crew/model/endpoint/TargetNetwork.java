package crew.model.endpoint;

import crew.model.net.Cidr;

/**
 * A subnet associated with the endpoint (AssociateClientVpnTargetNetwork). {@code subnetCidr} and
 * {@code availabilityZone} are not part of AWS's association object but are needed to check a design (one subnet
 * per AZ, size, overlap with the client CIDR); a design file records them.
 */
public record TargetNetwork(String associationId, String subnetId, String vpcId, String availabilityZone, Cidr subnetCidr,
        String status, int availableIpAddressCount) {
}
