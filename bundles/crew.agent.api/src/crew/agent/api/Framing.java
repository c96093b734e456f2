package crew.agent.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Length: N\r\n\r\n} + N bytes of UTF-8 JSON. The length is checked against
 * {@link AgentProtocol#MAX_MESSAGE_BYTES} before a byte of the body is read or a buffer allocated, so a peer cannot
 * make either side allocate more than that; headers are capped at {@link AgentProtocol#MAX_HEADER_BYTES}.
 */
public final class Framing {

    private Framing() {
    }

    /** Reads one message, or returns null at a clean end of stream (between messages). */
    public static String read(InputStream in) throws IOException {
        return read(in, () -> {
        });
    }

    /**
     * Reads one message; {@code started} runs when its first byte arrives (the server's deadline for a half-sent
     * message starts there).
     */
    public static String read(InputStream in, Runnable started) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        started.run();
        byte[] header = new byte[AgentProtocol.MAX_HEADER_BYTES];
        int n = 0;
        int b = first;
        while (true) {
            if (b < 0) {
                throw new FramingException("the stream ended inside a header", false);
            }
            if (n == header.length) {
                throw new FramingException("header over " + AgentProtocol.MAX_HEADER_BYTES + " bytes", true);
            }
            header[n++] = (byte) b;
            if (n >= 4 && header[n - 4] == '\r' && header[n - 3] == '\n' && header[n - 2] == '\r' && header[n - 1] == '\n') {
                break;
            }
            b = in.read();
        }
        long length = contentLength(new String(header, 0, n - 4, StandardCharsets.US_ASCII));
        byte[] body = new byte[(int) length];
        int read = 0;
        while (read < body.length) {
            int r = in.read(body, read, body.length - read);
            if (r < 0) {
                throw new FramingException("the stream ended after " + read + " of " + length + " body bytes", false);
            }
            read += r;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The Content-Length of a header block; every header line must be well formed, other headers are ignored. */
    static long contentLength(String headers) throws FramingException {
        long length = -1;
        for (String line : headers.split("\r\n", -1)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new FramingException("malformed header line '" + printable(line) + "' (expected 'Name: value')", false);
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                if (length >= 0) {
                    throw new FramingException("two Content-Length headers", false);
                }
                if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new FramingException("Content-Length '" + printable(value) + "' is not a non-negative number", false);
                }
                length = Long.parseLong(value);
                if (length > AgentProtocol.MAX_MESSAGE_BYTES) {
                    throw new FramingException("a message of " + length + " bytes is over the limit of " + AgentProtocol.MAX_MESSAGE_BYTES, true);
                }
            }
        }
        if (length < 0) {
            throw new FramingException("no Content-Length header", false);
        }
        return length;
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Writes one message; one write call, so that messages of several threads never interleave under a lock. */
    public static void write(OutputStream out, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        if (body.length > AgentProtocol.MAX_MESSAGE_BYTES) {
            throw new FramingException("a message of " + body.length + " bytes is over the limit of " + AgentProtocol.MAX_MESSAGE_BYTES, true);
        }
        byte[] head = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        out.write(all);
        out.flush();
    }

    /** For a reader that must not block on a peer that stopped: an end of stream is an {@link EOFException}. */
    public static String readRequired(InputStream in) throws IOException {
        String m = read(in);
        if (m == null) {
            throw new EOFException("the agent closed the connection");
        }
        return m;
    }
}
