package crew.routing.api;

import java.util.List;
import java.util.Optional;

/**
 * Chooses a routing backend: the highest-ranked one that reports itself usable here. The simulated backend has the
 * lowest ranking, so it is chosen only where no live backend works.
 */
public interface RoutingBackends {

    /** All registered backends, best first. */
    List<RoutingBackend> all();

    /** The best usable backend. */
    Optional<RoutingBackend> best();

    /** The backend for {@code platform} (linux, sim, ...), if registered. */
    Optional<RoutingBackend> forPlatform(String platform);
}
