package com.example.crew.syslog;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEventSink;

/**
 * Sends every enforcement event to a syslog collector as RFC 5424 (target: {@link SyslogTarget#configured()}).
 * {@link #accept} runs on the enforcement hot path and must not block: it only offers the event to a bounded queue;
 * a sender thread does the network I/O. When the collector is too slow or away and the queue is full, events are
 * dropped and counted ({@link #dropped()}), never waited for. TCP reconnects on the next event after a failure.
 * {@link #stop()} (the component's deactivation, e.g. when the crew command ends) flushes: the sender sends what is
 * queued, for up to {@link #FLUSH_MILLIS}, then closes its socket; what is left after that is counted as dropped.
 */
@Component(service = EnforcementEventSink.class)
public class SyslogEventSink implements EnforcementEventSink {

    static final int QUEUE = 10_000;
    /** How long {@link #stop()} waits for the queue to drain before it counts the rest as dropped. */
    static final long FLUSH_MILLIS = 3_000;
    /** Wakes the sender when stopping (never sent). */
    private static final EnforcementEvent STOP = EnforcementEvent.of("-", EnforcementEvent.Kind.SESSION_STOPPED, null, "stop");

    private final SyslogTarget target;
    private final BlockingQueue<EnforcementEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final String hostname = hostname();
    private final long pid = ProcessHandle.current().pid();
    private volatile Thread sender;
    private volatile boolean running;
    /** Set by {@link #stop()}: from then on an event is dropped and counted, not queued for a sender that is gone. */
    private volatile boolean stopped;
    private DatagramSocket udp;
    private Socket tcp;

    public SyslogEventSink() {
        this(SyslogTarget.configured(), QUEUE);
    }

    SyslogEventSink(SyslogTarget target, int capacity) {
        this.target = target;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Activate
    public void start() {
        stopped = false;
        running = true;
        Thread t = new Thread(this::sendLoop, "crew-syslog " + target);
        t.setDaemon(true);
        sender = t;
        t.start();
    }

    @Deactivate
    public void stop() throws InterruptedException {
        stopped = true;
        running = false;
        Thread t = sender;
        if (t == null) {
            return;
        }
        queue.offer(STOP); // wakes a sender waiting for an event; a full queue keeps it busy anyway
        t.join(FLUSH_MILLIS + 1_000);
        if (t.isAlive()) {
            // a collector that does not take the messages (a TCP send blocked): give up on what is left
            t.interrupt();
            t.join(1_000);
        }
        sender = null;
    }

    @Override
    public void accept(EnforcementEvent event) {
        if (stopped || !queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    public SyslogTarget target() {
        return target;
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events handed to the network. */
    public long sent() {
        return sent.get();
    }

    private void sendLoop() {
        try {
            while (running) {
                EnforcementEvent event;
                try {
                    event = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (event != null && event != STOP) {
                    sendOne(event);
                }
            }
            // stopping: flush what was queued before stop(), within the deadline
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
            EnforcementEvent event;
            while ((event = queue.poll()) != null) {
                if (event == STOP) {
                    continue;
                }
                if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                    dropped.incrementAndGet();
                    continue;
                }
                sendOne(event);
            }
        } finally {
            closeConnections();
        }
    }

    private void sendOne(EnforcementEvent event) {
        try {
            send(Rfc5424.format(event, hostname, pid));
            sent.incrementAndGet();
        } catch (IOException e) {
            // the collector is away: count the event as dropped and reconnect for the next one
            dropped.incrementAndGet();
            closeConnections();
        }
    }

    private void send(byte[] message) throws IOException {
        if (target.transport().equals("udp")) {
            if (udp == null) {
                udp = new DatagramSocket();
            }
            udp.send(new DatagramPacket(message, message.length, InetAddress.getByName(target.host()), target.port()));
        } else {
            if (tcp == null) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(target.host(), target.port()), 5_000);
                tcp = s;
            }
            OutputStream out = tcp.getOutputStream();
            // RFC 6587 octet counting: MSG-LEN SP SYSLOG-MSG
            out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(message);
            out.flush();
        }
    }

    private void closeConnections() {
        if (udp != null) {
            udp.close();
            udp = null;
        }
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException e) {
                // closing a broken connection: nothing more to do
            }
            tcp = null;
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }
}
