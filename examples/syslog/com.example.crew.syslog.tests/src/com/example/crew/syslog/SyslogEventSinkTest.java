package com.example.crew.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.enforce.EnforcementEvent;
import crew.enforce.EnforcementEvent.Kind;
import crew.enforce.EnforcementEventSink;

/** Real sockets on 127.0.0.1: a UDP collector and a TCP one, as rsyslog or syslog-ng would listen. */
class SyslogEventSinkTest {

    private static final Instant TIME = Instant.parse("2026-12-07T15:04:05.123456789Z");
    private static final EnforcementEvent REMOVED = new EnforcementEvent(TIME, "lab-split", Kind.ROUTE_REMOVED,
            "10.20.0.0/16 via 192.168.1.1 dev wlan0", "conflicts with protected 10.20.0.0/16 (tun0): removed",
            List.of(EnforcementEvent.TAG, "route-removed"));

    /** RFC 5424 section 6: HEADER SP STRUCTURED-DATA SP BOM MSG. */
    private static final Pattern SYSLOG = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\[.*\\]) \uFEFF(.*)", Pattern.DOTALL);

    private static Matcher parse(byte[] bytes) {
        Matcher m = SYSLOG.matcher(new String(bytes, StandardCharsets.UTF_8));
        assertTrue(m.matches(), "not RFC 5424: " + new String(bytes, StandardCharsets.UTF_8));
        return m;
    }

    @Test
    void givenAnEvent_whenFormatted_thenEveryRfc5424FieldIsThere() {
        Matcher m = parse(Rfc5424.format(REMOVED, "laptop", 4242));
        assertEquals(String.valueOf(13 * 8 + 4), m.group(1), "facility log audit, severity warning");
        assertEquals("2026-12-07T15:04:05.123456Z", m.group(2), "at most six fraction digits");
        assertEquals("laptop", m.group(3));
        assertEquals("crew", m.group(4));
        assertEquals("4242", m.group(5));
        assertEquals("route-removed", m.group(6));
        assertEquals("[crew@32473 session=\"lab-split\" route=\"10.20.0.0/16 via 192.168.1.1 dev wlan0\""
                + " tags=\"Client Route Enforcement,route-removed\"]", m.group(7));
        assertEquals("route-removed 10.20.0.0/16 via 192.168.1.1 dev wlan0: conflicts with protected 10.20.0.0/16 (tun0): removed",
                m.group(8));
    }

    @Test
    void givenQuotesAndBracketsInValues_whenFormatted_thenTheyAreEscaped() {
        EnforcementEvent odd = new EnforcementEvent(TIME, "a\"b]c\\d", Kind.ERROR, null, "", List.of("x"));
        Matcher m = parse(Rfc5424.format(odd, "host name", 1));
        assertEquals(String.valueOf(13 * 8 + 3), m.group(1));
        assertEquals("host_name", m.group(3));
        assertEquals("[crew@32473 session=\"a\\\"b\\]c\\\\d\" tags=\"x\"]", m.group(7));
    }

    @Test
    void givenAUdpCollector_whenEventsArrive_thenEachIsOneDatagram() throws Exception {
        try (DatagramSocket collector = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            collector.setSoTimeout(10_000);
            SyslogEventSink sink = new SyslogEventSink(new SyslogTarget("udp", "127.0.0.1", collector.getLocalPort()), 100);
            sink.start();
            try {
                sink.accept(EnforcementEvent.of("s1", Kind.SESSION_STARTED, null, "tun0"));
                sink.accept(REMOVED);
                List<String> kinds = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
                    collector.receive(p);
                    byte[] data = new byte[p.getLength()];
                    System.arraycopy(p.getData(), 0, data, 0, p.getLength());
                    kinds.add(parse(data).group(6));
                }
                assertEquals(List.of("session-started", "route-removed"), kinds);
            } finally {
                sink.stop();
            }
            assertEquals(0, sink.dropped());
        }
    }

    @Test
    void givenATcpCollector_whenEventsArrive_thenTheyAreOctetCounted() throws Exception {
        try (ServerSocket collector = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            collector.setSoTimeout(10_000);
            SyslogEventSink sink = new SyslogEventSink(new SyslogTarget("tcp", "127.0.0.1", collector.getLocalPort()), 100);
            sink.start();
            try {
                sink.accept(REMOVED);
                sink.accept(EnforcementEvent.of("lab-split", Kind.SESSION_STOPPED, null, "disconnected"));
                try (Socket s = collector.accept()) {
                    s.setSoTimeout(10_000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    assertEquals("route-removed", parse(frame(in)).group(6));
                    assertEquals("session-stopped", parse(frame(in)).group(6));
                }
            } finally {
                sink.stop();
            }
        }
    }

    @Test
    void givenQueuedEvents_whenTheSinkIsStopped_thenItSendsThemAllBeforeItCloses() throws Exception {
        int events = 300;
        try (ServerSocket collector = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            collector.setSoTimeout(10_000);
            SyslogEventSink sink = new SyslogEventSink(new SyslogTarget("tcp", "127.0.0.1", collector.getLocalPort()), events);
            sink.start();
            for (int i = 0; i < events; i++) {
                sink.accept(EnforcementEvent.of("flush", Kind.ROUTE_REMOVED, "10.0." + i / 256 + "." + i % 256 + "/32", "n" + i));
            }
            List<String> details = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (Socket s = collector.accept()) {
                    s.setSoTimeout(10_000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    while (true) {
                        byte[] f;
                        try {
                            f = frame(in);
                        } catch (java.io.EOFException | AssertionError end) {
                            return; // the sink closed its connection
                        }
                        details.add(parse(f).group(8));
                    }
                } catch (Exception e) {
                    details.add("reader failed: " + e);
                }
            });
            reader.start();
            sink.stop(); // at once: most events are still queued
            reader.join(10_000);
            assertEquals(events, details.size(), "every queued event was sent before the sink closed: " + details.subList(Math.max(0, details.size() - 3), details.size()));
            assertTrue(details.get(events - 1).endsWith("n" + (events - 1)), details.get(events - 1));
            assertEquals(0, sink.dropped());
            sink.accept(REMOVED);
            assertEquals(1, sink.dropped(), "after stop an event is dropped and counted, not queued for nobody");
        }
    }

    /** RFC 6587 section 3.4.1: MSG-LEN SP SYSLOG-MSG. */
    private static byte[] frame(DataInputStream in) throws Exception {
        ByteArrayOutputStream len = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != ' ') {
            assertTrue(c >= '0' && c <= '9', "octet count expected, got " + c);
            len.write(c);
        }
        byte[] msg = new byte[Integer.parseInt(len.toString(StandardCharsets.US_ASCII))];
        in.readFully(msg);
        return msg;
    }

    @Test
    void givenAFullQueue_whenMoreEventsArrive_thenTheyAreDroppedAndCountedNotWaitedFor() {
        SyslogEventSink sink = new SyslogEventSink(new SyslogTarget("udp", "127.0.0.1", 9), 2); // not started: nobody drains
        for (int i = 0; i < 5; i++) {
            sink.accept(REMOVED);
        }
        assertEquals(3, sink.dropped());
    }

    @Test
    void givenBadTargets_whenParsed_thenTheErrorSaysWhatToWrite() {
        assertEquals(new SyslogTarget("tcp", "collector.example", 6514), SyslogTarget.parse("tcp://collector.example:6514", "t"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyslogTarget.parse("http://x:1", "crew.syslog.target"))
                .getMessage().contains("crew.syslog.target 'http://x:1': the transport must be udp or tcp"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyslogTarget.parse("udp://host", "t"))
                .getMessage().contains("name the host and port"));
    }

    @Test
    void givenTheBundleInEquinox_whenScrStarts_thenTheSinkIsAServiceWithTheDefaultTarget() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(SyslogEventSinkTest.class).getBundleContext();
        ServiceTracker<EnforcementEventSink, EnforcementEventSink> t = new ServiceTracker<>(context, EnforcementEventSink.class, null);
        t.open();
        EnforcementEventSink service = t.waitForService(10_000);
        assertNotNull(service, "no EnforcementEventSink service: is Bundle-ActivationPolicy lazy and SCR started?");
        assertEquals("udp://127.0.0.1:514", ((SyslogEventSink) service).target().toString());
        t.close();
    }
}
