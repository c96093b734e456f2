package crew.routing.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives routing events. Called on the backend's event thread, in the order the OS reported them: return quickly
 * (hand slow work to another thread) or later events wait.
 */
@ConsumerType
@FunctionalInterface
public interface RoutingListener {
    void onEvent(RoutingEvent event);

    /**
     * Events that arrived together (a backend drains what the OS has queued before delivering). Override to act on
     * a flood in one go, e.g. delete many routes in one batch; the default delivers them one by one.
     */
    default void onEvents(java.util.List<RoutingEvent> events) {
        for (RoutingEvent e : events) {
            onEvent(e);
        }
    }
}
