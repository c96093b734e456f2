package crew.design.device;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * A route the VPN installs and CRE keeps in place: traffic to {@code destination} must go through
 * {@code gateway} (may be null for an on-link tunnel route) on {@code interfaceName} (may be null when unknown).
 */
public record ProtectedRoute(Cidr destination, IpAddress gateway, String interfaceName, String origin) {
}
