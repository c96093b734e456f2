package crew.routing.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A backend that can also work inside another network namespace (Linux): the lab's device namespace, or a test's.
 * The returned backend is bound to the namespace for its whole life and must be closed.
 */
@ConsumerType
public interface NamespaceCapable {

    /** A backend for the named network namespace (as {@code ip netns} names it: /var/run/netns/NAME). */
    ClosableRoutingBackend inNamespace(String netns) throws RoutingException;

    /** The namespace that carries this {@code ip netns} name now; empty when there is none. */
    java.util.Optional<NamespaceIdentity> identify(String netns) throws RoutingException;

    /** A routing backend that owns OS resources (sockets, threads). */
    interface ClosableRoutingBackend extends RoutingBackend, AutoCloseable {
        @Override
        void close();
    }
}
