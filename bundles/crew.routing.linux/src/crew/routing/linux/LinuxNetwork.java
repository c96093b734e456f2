package crew.routing.linux;

import java.util.List;
import java.util.concurrent.Callable;

import crew.routing.api.RoutingException;
import crew.routing.linux.internal.NamedNamespaces;

/**
 * Network namespaces and what lives in them, for the local endpoint lab and tests (root): named namespaces the way
 * {@code ip netns} keeps them (/var/run/netns/NAME), work on a thread inside one, sysctls and nftables rules there,
 * and the argv that starts an external process there. Interfaces and addresses inside a namespace go through
 * {@code LinuxRouting.namespace(name)}, which implements {@link crew.routing.api.InterfaceControl}. Nothing here
 * runs {@code ip}.
 */
public final class LinuxNetwork {

    private LinuxNetwork() {
    }

    /**
     * Creates the network namespace {@code name} like {@code ip netns add}: /var/run/netns is made a shared mount
     * point if it is not one, the file /var/run/netns/NAME is created, a throw-away thread unshares a new network
     * namespace and bind-mounts it there; {@code lo} is brought up inside. EEXIST when the namespace exists.
     */
    public static void createNamespace(String name) throws RoutingException {
        NamedNamespaces.create(name);
    }

    /** Deletes the namespace like {@code ip netns del} (lazy unmount, then unlink); a missing one is not an error. */
    public static void deleteNamespace(String name) throws RoutingException {
        NamedNamespaces.delete(name);
    }

    public static boolean namespaceExists(String name) {
        return NamedNamespaces.exists(name);
    }

    /** The named namespaces (/var/run/netns), sorted. */
    public static List<String> namespaces() throws RoutingException {
        return NamedNamespaces.list();
    }

    /**
     * Runs {@code work} on a fresh thread that entered the namespace with setns(2), waits for it and returns its
     * result. Sockets created there stay in that namespace after the thread ends: create a ServerSocket inside,
     * return it, and accept on any thread. Exceptions from {@code work} arrive as a RoutingException whose cause is
     * the original exception (a RoutingException is passed on as it is).
     */
    public static <T> T inNamespace(String name, Callable<T> work) throws RoutingException {
        return NamedNamespaces.call(NamedNamespaces.checkName(name), work);
    }

    /**
     * Writes {@code value} to /proc/sys/KEY (dots as slashes; a key with slashes is taken as it is, as sysctl does)
     * from a thread inside {@code namespace}, so that the namespace's own value changes, not the host's. Only
     * {@code net.*} keys are per network namespace, so only those are accepted. {@code namespace} null: this
     * process's namespace.
     */
    public static void sysctl(String namespace, String key, String value) throws RoutingException {
        NamedNamespaces.sysctl(namespace, key, value);
    }

    /** Reads a {@code net.*} sysctl inside {@code namespace} (null: this process's namespace). */
    public static String sysctl(String namespace, String key) throws RoutingException {
        return NamedNamespaces.sysctl(namespace, key);
    }

    /**
     * Runs an nftables script (nft syntax, several commands, applied atomically) through libnftables from a thread
     * inside {@code namespace} (null: this process's namespace), and returns nft's output (e.g. of a {@code list}
     * command). Errors carry libnftables' message.
     */
    public static String nft(String namespace, String script) throws RoutingException {
        return NamedNamespaces.nft(namespace, script);
    }

    /**
     * The full argv that runs {@code command} inside the namespace: {@code nsenter --net=/var/run/netns/NAME --
     * command...} (util-linux). Java has no way to have a child process call setns(2) between fork and exec (there is
     * no pre-exec hook), so the child must enter the namespace itself. A process started from a thread that entered
     * the namespace happens to inherit it with the JDK's current spawn mechanism, but that is an implementation
     * detail nothing promises; nsenter makes it explicit.
     */
    public static String[] commandInNamespace(String namespace, String... command) {
        return NamedNamespaces.command(namespace, command);
    }
}
