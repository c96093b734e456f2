package crew.routing.api.netns;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingException;

/**
 * Network namespaces and what lives in them, for the local endpoint lab, the tunnel into a lab device, the agent and
 * tests: the OS-neutral face of what only Linux has. The Linux routing bundle implements it (named namespaces the way
 * {@code ip netns} keeps them); on macOS and Windows there is no implementation and {@link #find()} is empty, so the
 * lab says it is Linux-only instead of failing somewhere inside.
 *
 * <p>Registered as an OSGi service by the implementing bundle, and listed in its {@code META-INF/services} for
 * plain class-path processes (the agent the tests start and kill); {@link #find()} looks in both.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface NetworkNamespaces {

    /** Creates the namespace {@code name} with {@code lo} up; EEXIST when it exists. */
    void create(String name) throws RoutingException;

    /** Deletes the namespace; a missing one is not an error. */
    void delete(String name) throws RoutingException;

    boolean exists(String name);

    /** The named namespaces, sorted. */
    List<String> list() throws RoutingException;

    /**
     * Runs {@code work} on a thread inside the namespace and returns its result; sockets created there stay in the
     * namespace. Exceptions from {@code work} arrive as a RoutingException whose cause is the original.
     */
    <T> T call(String name, Callable<T> work) throws RoutingException;

    /** Writes a {@code net.*} sysctl inside {@code namespace} (null: this process's namespace). */
    void sysctl(String namespace, String key, String value) throws RoutingException;

    /** Reads a {@code net.*} sysctl inside {@code namespace} (null: this process's namespace). */
    String sysctl(String namespace, String key) throws RoutingException;

    /** Runs a packet filter script (nftables syntax, applied atomically) inside {@code namespace}; returns its output. */
    String nft(String namespace, String script) throws RoutingException;

    /** The full argv that runs {@code command} inside the namespace (the child enters it itself). */
    String[] command(String namespace, String... command);

    /** A routing backend bound to the namespace for its whole life (interfaces, veth pairs, addresses, routes); close it. */
    ClosableRoutingBackend backend(String name) throws RoutingException;

    /**
     * The implementation for this system: the OSGi service when running in a framework, else the first one
     * {@link ServiceLoader} finds on the class path; empty where the OS has no network namespaces.
     */
    static Optional<NetworkNamespaces> find() {
        Optional<NetworkNamespaces> fromFramework = OsgiLookup.find();
        if (fromFramework.isPresent()) {
            return fromFramework;
        }
        return ServiceLoader.load(NetworkNamespaces.class, NetworkNamespaces.class.getClassLoader()).findFirst();
    }

    /**
     * The implementation, or a RoutingException (EOPNOTSUPP) saying that {@code what} needs Linux network namespaces
     * and this system is not Linux (or the Linux routing bundle is missing).
     */
    static NetworkNamespaces require(String what) throws RoutingException {
        return find().orElseThrow(() -> new RoutingException(what, 95, unavailableReason()));
    }

    /** Why {@link #find()} is empty here, in words. */
    static String unavailableReason() {
        String os = System.getProperty("os.name", "?");
        return os.toLowerCase(java.util.Locale.ROOT).contains("linux")
                ? "network namespaces need the Linux routing bundle (crew.routing.linux), which is not installed"
                : "network namespaces are Linux-only (the endpoint lab and namespaced devices run on Linux), and this is " + os;
    }
}
