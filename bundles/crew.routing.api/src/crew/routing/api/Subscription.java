package crew.routing.api;

/** An event subscription; closing it stops delivery. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
