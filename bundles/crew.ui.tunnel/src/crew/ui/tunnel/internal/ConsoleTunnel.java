package crew.ui.tunnel.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import crew.routing.api.RoutingException;
import crew.tunnel.RouteAttack;
import crew.tunnel.TunnelStatus;

/**
 * The console's tunnel session, whoever runs it: this workbench process as root ({@link ConsoleSession}) or the
 * privileged agent for an ordinary user ({@link AgentConsoleSession}). No UI here.
 */
interface ConsoleTunnel {

    ProfileEntry entry();

    TunnelStatus status();

    /** Connects; a failure is a {@link crew.tunnel.TunnelException} saying why. */
    void connect();

    /** Ends the session (the table is restored); returns restore problems. */
    List<String> disconnect();

    /** Whether {@link #attack()} may run now (a connected lab session). */
    boolean canAttack();

    RouteAttack.Result attack() throws RoutingException, InterruptedException;

    Optional<Duration> connectTime();

    /** Who runs the session, for the Sessions tab. */
    String where();
}
