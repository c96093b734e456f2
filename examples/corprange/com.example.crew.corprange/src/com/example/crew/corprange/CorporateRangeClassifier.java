package com.example.crew.corprange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.routing.inspect.RouteClass;
import crew.routing.inspect.RouteClassifier;
import crew.routing.inspect.RouteInspector;

/**
 * Tags the routes to the company's own address ranges, so that {@code crew inspect} and the live inspector show
 * which routes carry corporate traffic and whether they go through the tunnel. The ranges come from the system
 * property {@code crew.corprange.ranges} or the environment variable {@code CREW_CORPRANGE_RANGES} (CIDRs separated
 * by commas), by default 10.20.0.0/16. A lower ranking than CREW's session classifier: a route an active session
 * protects or removes keeps that class.
 */
@Component(service = RouteClassifier.class, property = "service.ranking:Integer=-10")
public class CorporateRangeClassifier implements RouteClassifier {

    static final String PROPERTY = "crew.corprange.ranges";
    static final String VARIABLE = "CREW_CORPRANGE_RANGES";
    static final String DEFAULT = "10.20.0.0/16";

    private final List<Cidr> ranges;

    public CorporateRangeClassifier() {
        this(configured());
    }

    CorporateRangeClassifier(List<Cidr> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** The configured ranges; a bad entry is an error naming it, so that a typo does not silently tag nothing. */
    static List<Cidr> configured() {
        String text = System.getProperty(PROPERTY);
        String source = PROPERTY;
        if (text == null) {
            text = System.getenv(VARIABLE);
            source = VARIABLE;
        }
        if (text == null || text.isBlank()) {
            text = DEFAULT;
            source = "the default";
        }
        return parse(text, source);
    }

    static List<Cidr> parse(String text, String source) {
        List<Cidr> result = new ArrayList<>();
        String[] parts = text.split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            try {
                result.add(Cidr.parse(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ", entry " + (i + 1) + " '" + part + "': " + e.getMessage(), e);
            }
        }
        return result;
    }

    public List<Cidr> ranges() {
        return ranges;
    }

    @Override
    public Optional<Classification> classify(DeviceRoute route, List<DeviceRoute> table) {
        for (Cidr range : ranges) {
            if (range.family() == route.destination().family() && range.overlaps(route.destination())) {
                RouteClass builtIn = RouteInspector.builtIn(route).routeClass();
                String via = route.interfaceName() == null ? "" : route.interfaceName();
                String reason = builtIn == RouteClass.TUNNEL
                        ? "corporate range " + range + " through the tunnel (" + via + ")"
                        : "corporate range " + range + " outside the tunnel (" + via + ")";
                return Optional.of(new Classification(builtIn, reason));
            }
        }
        return Optional.empty();
    }
}
