package crew.enforce;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;

/** A device route that would take traffic for a protected destination away from the tunnel, and why. */
public record Conflict(DeviceRoute route, Cidr protectedDestination, String reason) {
}
