package crew.aws.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The local account's HTTP front: EC2 Query (form POST, XML answers), ACM JSON and CloudWatch Logs JSON
 * ({@code X-Amz-Target}; {@link LocalLogs}) on a
 * ServerSocket bound to 127.0.0.1. Signatures are not checked (there are no real credentials to check them with);
 * the request's Authorization header is never stored or logged.
 */
public final class LocalAwsServer implements AutoCloseable {
    private final LocalAccount account;
    private final Ec2QueryApi ec2;
    private final AcmJsonApi acm;
    private final LocalLogs logs = new LocalLogs();
    private final ServerSocket socket;
    private final Thread acceptor;
    private volatile boolean closed;
    private final java.util.Set<String> accessKeyIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private LocalAwsServer(LocalAccount account, ServerSocket socket) {
        this.account = account;
        this.ec2 = new Ec2QueryApi(account);
        this.acm = new AcmJsonApi(account);
        this.socket = socket;
        this.acceptor = new Thread(this::accept, "crew-aws-local-" + socket.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Starts a server for {@code account} on 127.0.0.1 and {@code port} (0: any free port). */
    public static LocalAwsServer start(LocalAccount account, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        LocalAwsServer server = new LocalAwsServer(account, s);
        server.acceptor.start();
        return server;
    }

    public LocalAccount account() {
        return account;
    }

    /** The embedded CloudWatch Logs API this server also answers (in memory, for the fleet's enforcement events). */
    public LocalLogs logs() {
        return logs;
    }

    /** The endpoint override for SDK clients: {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> serve(client), "crew-aws-local-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("crew aws local: accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        try {
            client.setTcpNoDelay(true);
        } catch (SocketException e) {
            // keep going without
        }
        try (client; InputStream in = new BufferedInputStream(client.getInputStream()); OutputStream out = client.getOutputStream()) {
            while (!closed) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    if (colon > 0) {
                        headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                    }
                }
                byte[] body = body(in, headers);
                respond(out, headers, new String(body, StandardCharsets.UTF_8));
                if ("close".equalsIgnoreCase(headers.get("connection"))) {
                    return;
                }
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            if (!closed) {
                System.err.println("crew aws local: " + e.getMessage());
            }
        }
    }

    /**
     * The access key IDs that signed requests to this server (from the SigV4 {@code Credential=} scope). Key IDs
     * identify credentials without being secret; they are kept in memory only, so tests can see which credentials
     * a client used. The Authorization header itself is never stored.
     */
    public java.util.Set<String> accessKeyIds() {
        return java.util.Set.copyOf(accessKeyIds);
    }

    private void noteAccessKeyId(String authorization) {
        if (authorization == null) {
            return;
        }
        int at = authorization.indexOf("Credential=");
        if (at >= 0) {
            int slash = authorization.indexOf('/', at);
            if (slash > at) {
                accessKeyIds.add(authorization.substring(at + "Credential=".length(), slash));
            }
        }
    }

    private void respond(OutputStream out, Map<String, String> headers, String body) throws IOException {
        noteAccessKeyId(headers.get("authorization"));
        String target = headers.get("x-amz-target");
        int status = 200;
        String contentType;
        String answer;
        if (target != null) {
            contentType = "application/x-amz-json-1.1";
            try {
                answer = target.startsWith("Logs_20140328.") ? logs.handle(target, body) : acm.handle(target, body);
            } catch (LocalApiException e) {
                status = e.httpStatus();
                answer = "{\"__type\":\"" + e.code() + "\",\"message\":" + quote(e.getMessage()) + "}";
            } catch (RuntimeException e) {
                status = 500;
                answer = "{\"__type\":\"InternalFailure\",\"message\":" + quote(String.valueOf(e)) + "}";
            }
        } else {
            contentType = "text/xml;charset=UTF-8";
            try {
                answer = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + ec2.handle(new QueryParameters(form(body)));
            } catch (LocalApiException e) {
                status = e.httpStatus();
                answer = errorXml(e.code(), e.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                answer = errorXml("InternalError", "An internal error has occurred: " + e);
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : status == 503 ? "Service Unavailable" : status >= 500 ? "Server Error" : "Bad Request") + "\r\n"
                + "Content-Type: " + contentType + "\r\n" + "Content-Length: " + bytes.length + "\r\n"
                + "x-amzn-RequestId: " + UUID.randomUUID() + "\r\n" + "Connection: keep-alive\r\n\r\n";
        // one write: a separate head and body meet Nagle and delayed ACKs (40 ms a call)
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + bytes.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(bytes, 0, all, headBytes.length, bytes.length);
        out.write(all);
        out.flush();
    }

    private static String quote(String s) {
        return new com.google.gson.JsonPrimitive(s).toString();
    }

    private static String errorXml(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + new XmlWriter().open("Response").open("Errors").open("Error").element("Code", code)
                .element("Message", message).close("Error").close("Errors").element("RequestID", UUID.randomUUID()).close("Response");
    }

    static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(k, v);
        }
        return params;
    }

    private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                if (size == null) {
                    throw new IOException("truncated chunked body");
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
                        // trailers are ignored
                    }
                    return out.toByteArray();
                }
                out.write(in.readNBytes(n));
                line(in);
            }
        }
        String length = headers.get("content-length");
        if (length == null) {
            return new byte[0];
        }
        int n = Integer.parseInt(length);
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("truncated body: " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
