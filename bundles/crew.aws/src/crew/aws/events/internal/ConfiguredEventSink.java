package crew.aws.events.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import crew.aws.events.CloudWatchEventSink;
import crew.aws.events.EventsSettings;
import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEventSink;

/**
 * The CloudWatch Logs sink as the OSGi service every enforcement session gets ({@code crew enforce},
 * {@code crew tunnel connect}, the agent's sessions and so the workbench's console through the agent): active when this CREW home has an
 * {@code events.json} ({@code crew fleet configure}), a no-op otherwise. The file is read at the first event, so
 * a process that never enforces never opens a client, and opened on a thread of its own (the engine's thread only
 * queues). At the process's exit the spool is flushed for up to 5 s;
 * what is left is sent by the next run.
 */
@Component(service = EnforcementEventSink.class, property = "crew.sink=cloudwatch-logs")
public final class ConfiguredEventSink implements EnforcementEventSink {
    private static final Duration EXIT_FLUSH = Duration.ofSeconds(5);
    private final Object lock = new Object();
    private volatile CloudWatchEventSink sink;
    private volatile boolean looked;
    private volatile Thread opener;
    private volatile Thread hook;
    /** Events that came while the sink was being opened: handed to it once it is. */
    private final java.util.concurrent.ConcurrentLinkedQueue<EnforcementEvent> early = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Activate
    void activate() {
        // nothing until the first event
    }

    @Override
    public void accept(EnforcementEvent event) {
        CloudWatchEventSink s = sink;
        if (s != null) {
            s.accept(event);
            return;
        }
        if (looked && opener == null) {
            return; // not configured
        }
        early.offer(event);
        synchronized (lock) {
            if (!looked) {
                looked = true;
                // reading the file and building an SDK client take a while: not on the engine's thread
                opener = new Thread(this::open, "crew-events-open");
                opener.setDaemon(true);
                opener.start();
            }
        }
        CloudWatchEventSink opened = sink;
        if (opened != null) { // opened meanwhile, after it handed over the early events
            for (EnforcementEvent e = early.poll(); e != null; e = early.poll()) {
                opened.accept(e);
            }
        }
    }

    private void open() {
        Path file = EventsSettings.defaultFile();
        try {
            EventsSettings settings = EventsSettings.read(file);
            if (settings == null) {
                early.clear();
                return;
            }
            CloudWatchEventSink s = CloudWatchEventSink.open(settings, Clock.systemUTC(), line -> System.err.println("crew " + line), true);
            hook = new Thread(() -> {
                if (!s.flush(EXIT_FLUSH)) {
                    System.err.println("crew events: " + s.stats().pending() + " events left in the spool " + s.spool().directory()
                            + " (sent by the next run)");
                }
                s.close();
            }, "crew-events-flush");
            Runtime.getRuntime().addShutdownHook(hook);
            sink = s;
            for (EnforcementEvent e = early.poll(); e != null; e = early.poll()) {
                s.accept(e);
            }
        } catch (IOException | RuntimeException e) {
            early.clear();
            System.err.println("crew events: not shipping enforcement events to CloudWatch Logs: " + e.getMessage());
        } finally {
            opener = null;
        }
    }

    /** The running sink, once an event opened it. */
    public CloudWatchEventSink sink() {
        return sink;
    }

    @Deactivate
    void deactivate() {
        Thread t = opener;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CloudWatchEventSink s = sink;
        if (s != null) {
            s.flush(EXIT_FLUSH);
            s.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs
            }
        }
    }
}
