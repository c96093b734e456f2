package crew.routing.api;

/**
 * Receives routing events. Called on the backend's event thread, in the order the OS reported them: return quickly
 * (hand slow work to another thread) or later events wait.
 */
@FunctionalInterface
public interface RoutingListener {
    void onEvent(RoutingEvent event);
}
