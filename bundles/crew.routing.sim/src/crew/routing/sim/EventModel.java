package crew.routing.sim;

import java.time.Duration;

/**
 * How the simulated backend delivers its events, after the OS whose behaviour a test wants to reproduce.
 *
 * <ul>
 * <li>{@link #linux()}: every event, in order, at once (rtnetlink; an overflow would arrive as ENOBUFS).</li>
 * <li>{@link #macosRoutingSocket}: the PF_ROUTE socket. Its receive buffer holds {@code bufferEvents} messages, the
 * reader gets to them {@code readDelay} after the first arrives, and whatever does not fit is dropped with no notice
 * to anyone; every {@code resyncInterval} the backend re-dumps and delivers an Overrun with the full table, as the
 * macOS backend does (its only defence against the silent drops).</li>
 * <li>{@link #windowsNotifications}: NotifyRouteChange2. The callback arrives late ({@code batchDelay} after the
 * change) on a thread that is neither the caller's nor the backend's event thread, with every change since in one
 * batch; a changed route is a parameter notification, an added route without the removal of the old one.</li>
 * </ul>
 */
public record EventModel(Kind kind, int bufferEvents, Duration readDelay, Duration resyncInterval, Duration batchDelay) {

    public enum Kind {
        LINUX, MACOS, WINDOWS
    }

    public static EventModel linux() {
        return new EventModel(Kind.LINUX, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public static EventModel macosRoutingSocket(int bufferEvents, Duration readDelay, Duration resyncInterval) {
        if (bufferEvents < 1 || resyncInterval.isZero() || resyncInterval.isNegative()) {
            throw new IllegalArgumentException("a macOS model needs a buffer of at least one event and a positive resync interval");
        }
        return new EventModel(Kind.MACOS, bufferEvents, readDelay, resyncInterval, Duration.ZERO);
    }

    public static EventModel windowsNotifications(Duration batchDelay) {
        return new EventModel(Kind.WINDOWS, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, batchDelay);
    }
}
