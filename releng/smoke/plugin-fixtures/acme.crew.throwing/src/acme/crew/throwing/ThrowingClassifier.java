package acme.crew.throwing;

import java.util.List;
import java.util.Optional;

import crew.model.device.DeviceRoute;
import crew.routing.inspect.RouteClassifier;

/** A route classifier with a bug: it throws for every route. crew inspect must pass over it and say so. */
public class ThrowingClassifier implements RouteClassifier {
    @Override
    public Optional<Classification> classify(DeviceRoute route, List<DeviceRoute> table) {
        throw new IllegalStateException("ACME classifier bug on " + route.destination());
    }
}
