package crew.tunnel.internal;

import java.io.IOException;
import java.nio.file.Path;

import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.SourceFormatException;
import crew.model.io.WorkspaceFile;
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

    /** The design file named by the first positional argument; a bad one is bad input naming the file and line. */
    static EndpointDesign design(CommandContext context, Arguments arguments) throws CommandException {
        Path file = context.resolve(arguments.positional(0, "DESIGN.crew.json"));
        try {
            return WorkspaceFile.read(file);
        } catch (SourceFormatException e) {
            throw CommandException.badInput(e.getMessage());
        } catch (IOException e) {
            throw CommandException.badInput("cannot read " + file + ": " + e.getMessage());
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
