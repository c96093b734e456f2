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
 * {@code crew tunnel connect}, the agent's sessions, the workbench's console): active when this CREW home has an
 * {@code events.json} ({@code crew fleet configure}), a no-op otherwise. The file is read at the first event, so
 * a process that never enforces never opens a client. At the process's exit the spool is flushed for up to 5 s;
 * what is left is sent by the next run.
 */
@Component(service = EnforcementEventSink.class, property = "crew.sink=cloudwatch-logs")
public final class ConfiguredEventSink implements EnforcementEventSink {
    private static final Duration EXIT_FLUSH = Duration.ofSeconds(5);
    private final Object lock = new Object();
    private volatile CloudWatchEventSink sink;
    private volatile boolean looked;
    private Thread hook;

    @Activate
    void activate() {
        // nothing until the first event
    }

    @Override
    public void accept(EnforcementEvent event) {
        CloudWatchEventSink s = sink;
        if (s == null) {
            if (looked) {
                return;
            }
            s = open();
            if (s == null) {
                return;
            }
        }
        s.accept(event);
    }

    private CloudWatchEventSink open() {
        synchronized (lock) {
            if (looked) {
                return sink;
            }
            looked = true;
            Path file = EventsSettings.defaultFile();
            try {
                EventsSettings settings = EventsSettings.read(file);
                if (settings == null) {
                    return null;
                }
                CloudWatchEventSink s = CloudWatchEventSink.open(settings, Clock.systemUTC(),
                        line -> System.err.println("crew " + line), true);
                hook = new Thread(() -> {
                    if (!s.flush(EXIT_FLUSH)) {
                        System.err.println("crew events: " + s.stats().pending() + " events left in the spool " + s.spool().directory()
                                + " (sent by the next run)");
                    }
                    s.close();
                }, "crew-events-flush");
                Runtime.getRuntime().addShutdownHook(hook);
                sink = s;
                return s;
            } catch (IOException | RuntimeException e) {
                System.err.println("crew events: not shipping enforcement events to CloudWatch Logs: " + e.getMessage());
                return null;
            }
        }
    }

    /** The running sink, once an event opened it. */
    public CloudWatchEventSink sink() {
        return sink;
    }

    @Deactivate
    void deactivate() {
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
