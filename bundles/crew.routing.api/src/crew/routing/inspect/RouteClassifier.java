package crew.routing.inspect;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

import crew.model.device.DeviceRoute;

/**
 * Adds knowledge to the inspector's classification. The enforcement engine registers one that says which routes an
 * active session protects and which conflict; plugins may add their own (OSGi service). The first classifier (by
 * service ranking) with an answer wins over the built-in classification.
 * <p>
 * Called on the caller's thread (a command's, the workbench's refresh), once per route, possibly from several threads
 * at once: keep it quick and free of I/O. A classifier that throws (or returns null) is passed over for that route,
 * the others and the built-in rules classify it, and the inspector reports the classifier, its bundle and the cause
 * ({@link RouteInspector#failures()}).
 */
@ConsumerType
public interface RouteClassifier {

    /** A class for {@code route}, seen with the whole table, or empty when this classifier has nothing to say. */
    Optional<Classification> classify(DeviceRoute route, List<DeviceRoute> table);

    /** A class and the reason, e.g. "protected by session lab-split (tun0)". */
    record Classification(RouteClass routeClass, String reason) {
    }
}
