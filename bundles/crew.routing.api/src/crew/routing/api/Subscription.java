package crew.routing.api;

import org.osgi.annotation.versioning.ConsumerType;

/** An event subscription; closing it stops delivery. */
@ConsumerType
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
