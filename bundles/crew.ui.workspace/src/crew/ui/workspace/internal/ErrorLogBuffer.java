package crew.ui.workspace.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Keeps the last {@value #CAPACITY} statuses logged through the platform log from the moment the framework starts,
 * so that the error log view shows what happened before it was opened.
 */
@Component(service = ErrorLogBuffer.class, immediate = true)
public class ErrorLogBuffer implements ILogListener {
    static final int CAPACITY = 500;

    /** One logged status and when it arrived. */
    public record Entry(Instant time, IStatus status) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final List<BiConsumer<Instant, IStatus>> listeners = new CopyOnWriteArrayList<>();

    @Activate
    void activate() {
        Platform.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        Platform.removeLogListener(this);
    }

    @Override
    public void logging(IStatus status, String plugin) {
        Instant now = Instant.now();
        synchronized (entries) {
            entries.addLast(new Entry(now, status));
            if (entries.size() > CAPACITY) {
                entries.removeFirst();
            }
        }
        for (BiConsumer<Instant, IStatus> l : listeners) {
            l.accept(now, status);
        }
    }

    /** The entries so far, oldest first, and every later one to {@code listener} (on the logging thread). */
    public List<Entry> subscribe(BiConsumer<Instant, IStatus> listener) {
        synchronized (entries) {
            listeners.add(listener);
            return new ArrayList<>(entries);
        }
    }

    public void unsubscribe(BiConsumer<Instant, IStatus> listener) {
        listeners.remove(listener);
    }
}
