package crew.enforce;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.Gson;

/** The audit log: one JSON line per enforcement event, appended to a file (searchable by its tags). */
public final class AuditLog implements EnforcementEventSink, AutoCloseable {
    private static final Gson GSON = new Gson();
    private final Writer writer;
    private final Path file;

    public AuditLog(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.file = file;
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void accept(EnforcementEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("session", e.sessionId());
        m.put("event", e.kind().name().toLowerCase());
        if (e.route() != null) {
            m.put("route", e.route());
        }
        m.put("detail", e.detail());
        m.put("tags", e.tags());
        try {
            writer.write(GSON.toJson(m));
            writer.write('\n');
            writer.flush();
        } catch (IOException ex) {
            // the audit log must not stop enforcement; the console sink still reports
        }
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }
}
