package crew.ui.designer.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.swt.graphics.RGB;

import crew.design.device.Conflict;
import crew.design.device.ConflictDetector;
import crew.design.device.DevicePrediction;
import crew.design.device.ProtectedRoute;
import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpFamily;

/**
 * What the address-space map draws for one prediction: one lane per kind of range, each range with a note. Plain
 * data built from a {@link DevicePrediction} and the device table it was made against.
 */
record MapLayers(List<Range> ranges) {

    /** The lanes, top to bottom, with their colours. */
    enum Kind {
        PROTECTED("Protected (tunnel)", new RGB(67, 160, 71)),
        LOCAL("Local / connected", new RGB(30, 136, 229)),
        CONFLICTING("Conflicting", new RGB(229, 57, 53)),
        LEAKING("Leaking", new RGB(251, 140, 0)),
        IGNORED("Ignored / exempt", new RGB(140, 140, 140));

        final String label;
        final RGB color;

        Kind(String label, RGB color) {
            this.label = label;
            this.color = color;
        }
    }

    /** One range in one lane. */
    record Range(Kind kind, Cidr cidr, String note) {
    }

    static MapLayers of(DevicePrediction p, List<DeviceRoute> deviceTable) {
        List<Range> out = new ArrayList<>();
        Set<Cidr> seen = new LinkedHashSet<>();
        for (ProtectedRoute r : p.protectedRoutes()) {
            if (seen.add(r.destination())) {
                out.add(new Range(Kind.PROTECTED, r.destination(), "tunnel route (" + r.origin() + ")"));
            }
        }
        Set<DeviceRoute> conflicting = new java.util.HashSet<>();
        p.conflicts().forEach(c -> conflicting.add(c.route()));
        seen.clear();
        for (DeviceRoute r : deviceTable) {
            if (!r.destination().isDefault() && connected(r) && !conflicting.contains(r) && seen.add(r.destination())) {
                out.add(new Range(Kind.LOCAL, r.destination(), r.toString()));
            }
        }
        for (Conflict c : p.conflicts()) {
            out.add(new Range(Kind.CONFLICTING, c.route().destination(),
                    c.route() + ": " + c.reason() + (p.enforced() ? "; CRE removes it" : "; CRE is off, it stays")));
        }
        for (DevicePrediction.Leak l : p.leaks()) {
            out.add(new Range(Kind.LEAKING, l.range(), l + (p.enforced() ? " without CRE (CRE removes the route)" : "")));
        }
        for (Cidr c : ConflictDetector.IGNORED_RANGES) {
            out.add(new Range(Kind.IGNORED, c, "ignored by CRE"));
        }
        for (Cidr c : p.exemptRanges()) {
            out.add(new Range(Kind.IGNORED, c, "exempt from CRE"));
        }
        return new MapLayers(List.copyOf(out));
    }

    /** A device route of this host's own networks: on-link, local or broadcast, in any table. */
    static boolean connected(DeviceRoute r) {
        return r.type() == RouteType.LOCAL || r.type() == RouteType.BROADCAST
                || (r.type() == RouteType.UNICAST && r.gateway() == null) || "link".equals(r.scope()) || "host".equals(r.scope());
    }

    List<Range> of(Kind kind, IpFamily family) {
        return ranges.stream().filter(r -> r.kind() == kind && r.cidr().family() == family).toList();
    }

    boolean hasIpv6() {
        return ranges.stream().anyMatch(r -> r.kind() != Kind.IGNORED && r.cidr().family() == IpFamily.IPV6);
    }
}
