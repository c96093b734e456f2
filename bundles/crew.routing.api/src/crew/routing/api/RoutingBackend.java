package crew.routing.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import crew.model.device.DeviceRoute;

/**
 * A view of one OS routing table that can be read, changed and watched: the service the live inspector and the
 * enforcement engine stand on. Backends are DS components registered with the property {@link #PLATFORM} (linux,
 * windows, macos, sim) and a {@code service.ranking}; consumers take the best usable one through
 * {@link RoutingBackends}, never a concrete class.
 *
 * <p>Routes are {@link DeviceRoute}s. Identity follows the kernel: destination, table and metric (Windows: destination,
 * interface and next hop; macOS: destination, gateway and interface scope). {@link #delete} removes exactly the route
 * given, as the OS reported it.
 */
@ConsumerType
public interface RoutingBackend {

    /** Service property naming the platform: linux, windows, macos, sim. */
    String PLATFORM = "routing.platform";

    /** linux, windows, macos or sim. */
    String platform();

    Capabilities capabilities();

    /** Every route the backend sees: IPv4 and IPv6, and on Linux every table (main, local, and others). */
    List<DeviceRoute> routes() throws RoutingException;

    /** Policy rules, in priority order; empty where the OS has none. */
    List<PolicyRule> rules() throws RoutingException;

    /** Adds a route; fails with EEXIST when one with the same identity exists. */
    void add(DeviceRoute route) throws RoutingException;

    /** Adds or replaces the route with the same identity. */
    void replace(DeviceRoute route) throws RoutingException;

    /** Deletes exactly this route; fails with ESRCH when it does not exist. */
    void delete(DeviceRoute route) throws RoutingException;

    /**
     * Deletes many routes without waiting for each acknowledgement in turn (a flood of conflicting routes must be
     * cleaned in one go). Routes already gone count as done.
     */
    BatchResult deleteAll(List<DeviceRoute> routes);

    /** Adds a policy rule (Linux); backends without policy routing refuse with EOPNOTSUPP (95). */
    default void addRule(PolicyRule rule) throws RoutingException {
        throw new RoutingException("add rule " + rule, 95, "policy rules are not supported by the " + platform() + " backend");
    }

    /** Deletes exactly this policy rule. */
    default void deleteRule(PolicyRule rule) throws RoutingException {
        throw new RoutingException("delete rule " + rule, 95, "policy rules are not supported by the " + platform() + " backend");
    }

    /**
     * The network namespace this backend works in, for journals (crash recovery acts only in the namespace a session
     * ran in). Empty for a backend whose device has one table and no namespaces (the simulated table, macOS,
     * Windows).
     */
    default java.util.Optional<NamespaceIdentity> namespaceIdentity() throws RoutingException {
        return java.util.Optional.empty();
    }

    /** Delivers every change from now on to {@code listener} until the subscription is closed. */
    Subscription subscribe(RoutingListener listener) throws RoutingException;
}
