package crew.routing.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Chooses a routing backend: the highest-ranked one that reports itself usable here. The simulated backend has the
 * lowest ranking, so it is chosen only where no live backend works.
 */
@ProviderType
public interface RoutingBackends {

    /** All registered backends, best first. */
    List<RoutingBackend> all();

    /** The best usable backend. */
    Optional<RoutingBackend> best();

    /** The backend for {@code platform} (linux, sim, ...), if registered. */
    Optional<RoutingBackend> forPlatform(String platform);
}
