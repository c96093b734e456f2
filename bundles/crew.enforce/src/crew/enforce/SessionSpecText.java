package crew.enforce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import crew.model.device.DeviceRoute;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * A session's specification from the words a user typed ({@code crew enforce}'s options), for the command and for
 * the agent that receives them from a client. Bad input is an IllegalArgumentException naming the option.
 */
public final class SessionSpecText {

    private SessionSpecText() {
    }

    /**
     * @param bypass "CIDR,VIA,DEV" each, VIA '-' for on-link
     */
    public static SessionSpec parse(String session, String device, String gateway, List<String> protect, List<String> exempt, List<String> bypass,
            String mode, int reconcileMillis) {
        if (device == null || device.isEmpty()) {
            throw new IllegalArgumentException("missing --interface DEV (the tunnel device)");
        }
        List<Cidr> protectedDestinations = cidrs(protect, "protect");
        if (protectedDestinations.isEmpty()) {
            throw new IllegalArgumentException("missing --protect CIDR (at least one destination)");
        }
        IpAddress via;
        try {
            via = gateway == null ? null : IpAddress.parse(gateway);
        } catch (AddressFormatException e) {
            throw new IllegalArgumentException("--gateway " + e.getMessage());
        }
        List<DeviceRoute> bypassRoutes = new ArrayList<>();
        for (String b : bypass) {
            String[] parts = b.split(",");
            if (parts.length != 3) {
                throw new IllegalArgumentException("--bypass '" + b + "': write CIDR,VIA,DEV (VIA may be '-' for on-link)");
            }
            try {
                bypassRoutes.add(DeviceRoute.of(Cidr.parse(parts[0]), parts[1].equals("-") ? null : IpAddress.parse(parts[1]), parts[2], 0)
                        .withMetric(0));
            } catch (AddressFormatException e) {
                throw new IllegalArgumentException("--bypass " + e.getMessage());
            }
        }
        if (reconcileMillis < 1) {
            throw new IllegalArgumentException("--reconcile must be at least 1 ms");
        }
        return new SessionSpec(session, device, via, protectedDestinations, cidrs(exempt, "exempt"), bypassRoutes, EnforcementMode.parse(mode), null,
                Duration.ofMillis(reconcileMillis));
    }

    private static List<Cidr> cidrs(List<String> values, String option) {
        List<Cidr> list = new ArrayList<>();
        for (String v : values) {
            try {
                list.add(Cidr.parse(v));
            } catch (AddressFormatException e) {
                throw new IllegalArgumentException("--" + option + " " + e.getMessage());
            }
        }
        return list;
    }
}
