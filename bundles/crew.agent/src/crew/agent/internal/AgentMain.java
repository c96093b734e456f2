package crew.agent.internal;

import java.nio.file.Path;
import java.time.Duration;

import crew.agent.AgentEngine;
import crew.agent.AgentRuntime;
import crew.agent.AgentServer;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingException;
import crew.tunnel.TunnelOptions;

/**
 * The agent outside OSGi, for the tests that kill it with SIGKILL (and for the bench): the same runtime as
 * {@code crew agent}, with backends for network namespaces only. Arguments: SOCKET MODE GROUP.
 */
public final class AgentMain {

    private AgentMain() {
    }

    /** Backends for network namespaces only (the tests' devices are lab namespaces). */
    public static AgentEngine.Backends namespaceBackends() {
        return new AgentEngine.Backends() {
            @Override
            public RoutingBackend open(String namespace) throws RoutingException {
                if (namespace == null) {
                    throw new RoutingException("AgentMain serves network namespaces only", RoutingException.EINVAL, "no host backend");
                }
                return crew.routing.api.netns.NetworkNamespaces.require("AgentMain").backend(namespace);
            }

            @Override
            public void release(RoutingBackend backend, String namespace) {
                if (backend instanceof ClosableRoutingBackend c) {
                    c.close();
                }
            }
        };
    }

    public static void main(String[] args) throws Exception {
        AgentEngine.Backends backends = namespaceBackends();
        AgentServer.Limits limits = AgentServer.Limits.defaults().withDeadlines(Duration.ofMillis(Long.getLong("crew.agent.handshakeMs", 10_000)),
                Duration.ofMillis(Long.getLong("crew.agent.messageMs", 10_000)));
        AgentRuntime agent = AgentRuntime.start(new AgentRuntime.Settings(Path.of(args[0]), args[1], args[2], TunnelOptions.findOpenvpn(), limits),
                backends, null, line -> {
                    System.out.println("agent: " + line);
                    System.out.flush();
                });
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
        System.out.println("READY " + agent.recoveredAtNanos());
        System.out.flush();
        agent.awaitStop();
    }
}
