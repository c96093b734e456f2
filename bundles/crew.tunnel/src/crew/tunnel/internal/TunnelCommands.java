package crew.tunnel.internal;

import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.routing.api.NamespaceCapable;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;
import crew.routing.api.RoutingException;
import crew.tunnel.TunnelException;

/** What the tunnel and lab commands share. */
final class TunnelCommands {
    private TunnelCommands() {
    }

    /** The best routing backend, bound to {@code netns} when one is given. */
    static RoutingBackend backend(RoutingBackends backends, String netns) throws CommandException {
        RoutingBackend b = backends.best().orElseThrow(() -> new CommandException(ExitCode.UNAVAILABLE, "no usable routing backend"));
        if (netns == null) {
            return b;
        }
        if (!(b instanceof NamespaceCapable n)) {
            throw new CommandException(ExitCode.UNAVAILABLE, "the " + b.platform() + " routing backend cannot enter a network namespace");
        }
        try {
            return n.inNamespace(netns);
        } catch (RoutingException e) {
            throw new CommandException(ExitCode.UNAVAILABLE, e.getMessage(), e);
        }
    }

    static void close(RoutingBackend backend, String netns) {
        if (netns != null && backend instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a namespace socket
            }
        }
    }

    static int exitCode(TunnelException e) {
        return switch (e.reason()) {
            case BAD_PROFILE -> ExitCode.BAD_INPUT;
            case OPENVPN_MISSING -> ExitCode.UNAVAILABLE;
            default -> ExitCode.FAILED;
        };
    }
}
