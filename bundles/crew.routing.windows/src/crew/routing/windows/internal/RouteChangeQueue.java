package crew.routing.windows.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * NotifyRouteChange2's callback side, OS-neutral: the callback only copies the row (the pointer is valid during the
 * call only) and queues it; a delivery thread of CREW's drains the queue and hands batches on. The callback thread is
 * the OS's, so nothing slow and no CancelMibChangeNotify2 may run on it (that deadlocks).
 */
public final class RouteChangeQueue {

    /** A copied notification: the row's bytes (null when the OS passed no row) and MIB_NOTIFICATION_TYPE. */
    public record Notification(byte[] row, int type) {
    }

    private final BlockingQueue<Notification> queue = new LinkedBlockingQueue<>();
    private volatile Thread callbackThread;

    /** Called on the OS's callback thread with a copy of the row. */
    public void offer(byte[] rowCopy, int type) {
        callbackThread = Thread.currentThread();
        queue.add(new Notification(rowCopy, type));
    }

    /** Whether the current thread is one the OS has called back on (where cancelling would deadlock). */
    public boolean onCallbackThread() {
        return Thread.currentThread() == callbackThread;
    }

    /** Waits up to {@code timeoutMs} for one notification, then takes whatever else is queued. */
    public List<Notification> drain(long timeoutMs) throws InterruptedException {
        List<Notification> out = new ArrayList<>();
        Notification first = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (first == null) {
            return out;
        }
        out.add(first);
        queue.drainTo(out);
        return out;
    }
}
