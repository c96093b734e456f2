package crew.routing.linux;

import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingException;
import crew.routing.linux.internal.LinuxRoutingBackend;

/**
 * Linux backends outside DS: bound to a named network namespace (the lab, tests), or to a fresh private one
 * (benchmarks). Close them when done. Consumers of the device's own table use the RoutingBackend service instead.
 */
public final class LinuxRouting {

    private LinuxRouting() {
    }

    /** A backend for the namespace {@code ip netns} calls {@code name}. */
    public static ClosableRoutingBackend namespace(String name) throws RoutingException {
        return new LinuxRoutingBackend().inNamespace(name);
    }

    /** A backend in a new, empty network namespace private to this process (root). */
    public static LinuxRoutingBackend privateNamespace() throws RoutingException {
        return LinuxRoutingBackend.inPrivateNamespace();
    }
}
