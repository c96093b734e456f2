package com.example.crew.syslog;

import java.net.URI;
import java.net.URISyntaxException;

/** Where the collector listens: {@code udp://HOST:PORT} (RFC 5426) or {@code tcp://HOST:PORT} (RFC 6587 octet counting). */
public record SyslogTarget(String transport, String host, int port) {

    static final String PROPERTY = "crew.syslog.target";
    static final String VARIABLE = "CREW_SYSLOG_TARGET";
    static final String DEFAULT = "udp://127.0.0.1:514";

    /** From the system property, else the environment variable, else the local collector's standard port. */
    public static SyslogTarget configured() {
        String text = System.getProperty(PROPERTY);
        String source = PROPERTY;
        if (text == null) {
            text = System.getenv(VARIABLE);
            source = VARIABLE;
        }
        if (text == null || text.isBlank()) {
            return parse(DEFAULT, "the default");
        }
        return parse(text.strip(), source);
    }

    public static SyslogTarget parse(String text, String source) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " '" + text + "': not a URI (" + e.getReason() + " at character "
                    + (e.getIndex() + 1) + "); write udp://HOST:PORT or tcp://HOST:PORT");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("udp") || scheme.equals("tcp"))) {
            throw new IllegalArgumentException(source + " '" + text + "': the transport must be udp or tcp");
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException(source + " '" + text + "': name the host and port, e.g. " + scheme
                    + "://127.0.0.1:514");
        }
        return new SyslogTarget(scheme, uri.getHost(), uri.getPort());
    }

    @Override
    public String toString() {
        return transport + "://" + host + ":" + port;
    }
}
