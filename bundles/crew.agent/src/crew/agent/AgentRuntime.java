package crew.agent;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import crew.agent.internal.Authorization;
import crew.agent.internal.SystemdSupport;
import crew.enforce.EnforcementPolicy;

/**
 * A running agent: the socket (passed by systemd, or bound here with a stale one removed), the recovery of every
 * device a killed agent left, then the server. Work is accepted only after the recovery: under systemd the
 * connections wait in the socket's queue meanwhile.
 *
 * @param socket  where to listen when systemd passes no socket
 * @param mode    the socket's permissions ("rw-rw----": root and the control group)
 * @param group   the control group
 */
public final class AgentRuntime implements AutoCloseable {

    /** How to run an agent. */
    public record Settings(Path socket, String mode, String group, Path openvpn, AgentServer.Limits limits) {
    }

    private final AgentServer server;
    private final AgentEngine engine;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final boolean activated;
    private final long recoveredAtNanos;

    private AgentRuntime(AgentServer server, AgentEngine engine, boolean activated, long recoveredAtNanos) {
        this.server = server;
        this.engine = engine;
        this.activated = activated;
        this.recoveredAtNanos = recoveredAtNanos;
    }

    /** Starts an agent: socket, recovery, server, readiness. */
    public static AgentRuntime start(Settings settings, AgentEngine.Backends backends, EnforcementPolicy policy, Consumer<String> log)
            throws IOException {
        return start(settings, backends, policy, List.of(), log);
    }

    /** Starts an agent whose sessions' enforcement events also go to {@code sinks}. */
    public static AgentRuntime start(Settings settings, AgentEngine.Backends backends, EnforcementPolicy policy,
            List<crew.enforce.EnforcementEventSink> sinks, Consumer<String> log) throws IOException {
        Optional<ServerSocketChannel> passed = SystemdSupport.activatedSocket();
        ServerSocketChannel listener = passed.isPresent() ? passed.get()
                : AgentServer.bind(settings.socket(), settings.mode(), settings.group(), log);
        AgentEngine engine = new AgentEngine(backends, settings.openvpn(), policy, log);
        sinks.forEach(engine::addSink);
        boolean restored = engine.recover();
        long recovered = System.nanoTime();
        AgentServer server = new AgentServer(listener, passed.isPresent() ? null : settings.socket(), new Authorization(settings.group()), engine,
                settings.limits(), log);
        engine.onEvent(server::broadcast);
        server.start();
        String where = passed.isPresent() ? "the socket systemd passed" : settings.socket().toString();
        log.accept("listening on " + where + " (pid " + ProcessHandle.current().pid() + ", control: root and group " + settings.group() + ")"
                + (restored ? "" : "; RECOVERY FAILED, taking no new work: see status"));
        SystemdSupport.notifyReady(restored ? "ready" : "recovery failed");
        return new AgentRuntime(server, engine, passed.isPresent(), recovered);
    }

    public AgentServer server() {
        return server;
    }

    public AgentEngine engine() {
        return engine;
    }

    /** Whether systemd passed the socket. */
    public boolean activated() {
        return activated;
    }

    /** System.nanoTime() when the recovery was done (the bench's kill-to-restored). */
    public long recoveredAtNanos() {
        return recoveredAtNanos;
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Ends every session (tables restored) and lab, then closes the socket. */
    @Override
    public void close() {
        engine.shutdown();
        server.close();
        stopped.countDown();
    }
}
