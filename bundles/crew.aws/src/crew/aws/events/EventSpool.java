package crew.aws.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The durable local spool between the enforcement engine and CloudWatch Logs: a folder (0700) with, per log stream,
 * {@code HASH.spool} (0600; a header line naming the stream, then one JSON line per event: sequence number,
 * timestamp, message; fsync'd before the events count as spooled) and {@code HASH.acked} (the highest sequence
 * number CloudWatch Logs accepted, replaced atomically after each accepted batch). Events the service will not take
 * (older than 14 days, more than 2 hours ahead, refused as invalid) go to {@code rejected.jsonl} with the reason:
 * reported, never dropped without a trace. A restart reloads every stream's events after its acked number; a
 * stream left with nothing to send is removed then.
 */
public final class EventSpool implements AutoCloseable {
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final String REJECTED = "rejected.jsonl";

    /** One spooled event. */
    public record Entry(long seq, long timestamp, String message) {
    }

    /** One stream's spool. */
    public static final class Stream {
        final String name;
        final Path file;
        final Path acked;
        final Deque<Entry> pending = new ArrayDeque<>();
        long nextSeq;
        FileChannel out;
        boolean known; // CreateLogStream answered (or the stream existed)

        Stream(String name, Path file, Path acked) {
            this.name = name;
            this.file = file;
            this.acked = acked;
        }

        public String name() {
            return name;
        }
    }

    private final Path dir;
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private long rejected;

    public EventSpool(Path dir) throws IOException {
        this.dir = dir;
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Files.setPosixFilePermissions(dir, DIRECTORY);
        load();
    }

    public Path directory() {
        return dir;
    }

    private void load() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.spool")) {
            for (Path f : files) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.isEmpty()) {
                    Files.delete(f);
                    continue;
                }
                String name = JsonParser.parseString(lines.get(0)).getAsJsonObject().get("stream").getAsString();
                Path ackedFile = f.resolveSibling(f.getFileName().toString().replace(".spool", ".acked"));
                long acked = Files.exists(ackedFile) ? Long.parseLong(Files.readString(ackedFile, StandardCharsets.UTF_8).trim()) : -1;
                Stream s = new Stream(name, f, ackedFile);
                s.nextSeq = acked + 1;
                for (String line : lines.subList(1, lines.size())) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonObject o;
                    try {
                        o = JsonParser.parseString(line).getAsJsonObject();
                    } catch (RuntimeException e) {
                        continue; // a torn last line: its events were never reported as spooled
                    }
                    Entry e = new Entry(o.get("seq").getAsLong(), o.get("ts").getAsLong(), o.get("msg").getAsString());
                    s.nextSeq = Math.max(s.nextSeq, e.seq() + 1);
                    if (e.seq() > acked) {
                        s.pending.add(e);
                    }
                }
                if (s.pending.isEmpty()) {
                    Files.delete(f);
                    Files.deleteIfExists(ackedFile);
                } else {
                    streams.put(name, s);
                }
            }
        }
        Path r = dir.resolve(REJECTED);
        if (Files.exists(r)) {
            rejected = Files.readAllLines(r, StandardCharsets.UTF_8).size();
        }
    }

    private Stream stream(String name) throws IOException {
        Stream s = streams.get(name);
        if (s == null) {
            String hash = hash(name);
            s = new Stream(name, dir.resolve(hash + ".spool"), dir.resolve(hash + ".acked"));
            streams.put(name, s);
        }
        if (s.out == null) {
            boolean fresh = !Files.exists(s.file);
            s.out = FileChannel.open(s.file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                    PosixFilePermissions.asFileAttribute(FILE));
            Files.setPosixFilePermissions(s.file, FILE);
            if (fresh) {
                JsonObject h = new JsonObject();
                h.addProperty("stream", name);
                write(s.out, h + "\n");
            }
        }
        return s;
    }

    /**
     * Appends events to a stream's spool and forces them to disk: each event's timestamp and its message, made from
     * the sequence number it gets (the number goes into the message, so that a reader can drop a batch the service
     * stored twice: one whose answer was lost and that was sent again).
     */
    public synchronized void append(String stream, List<Long> times, List<java.util.function.LongFunction<String>> messages) throws IOException {
        Stream s = stream(stream);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            long seq = s.nextSeq++;
            Entry e = new Entry(seq, times.get(i), messages.get(i).apply(seq));
            JsonObject o = new JsonObject();
            o.addProperty("seq", e.seq());
            o.addProperty("ts", e.timestamp());
            o.addProperty("msg", e.message());
            b.append(o).append('\n');
            s.pending.add(e);
        }
        write(s.out, b.toString());
        s.out.force(false);
    }

    private static void write(FileChannel ch, String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** The streams with events to send. */
    public synchronized List<Stream> pendingStreams() {
        return streams.values().stream().filter(s -> !s.pending.isEmpty()).toList();
    }

    /** The first events of a stream, in spool order (at most {@code max}). */
    public synchronized List<Entry> head(Stream s, int max) {
        List<Entry> list = new ArrayList<>(Math.min(max, s.pending.size()));
        for (Entry e : s.pending) {
            if (list.size() == max) {
                break;
            }
            list.add(e);
        }
        return list;
    }

    /** CloudWatch Logs took the stream's events up to {@code seq}: recorded atomically, then dropped from memory. */
    public synchronized void ack(Stream s, long seq) throws IOException {
        Path tmp = s.acked.resolveSibling(s.acked.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            write(ch, seq + "\n");
            ch.force(false);
        }
        Files.move(tmp, s.acked, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        while (!s.pending.isEmpty() && s.pending.peekFirst().seq() <= seq) {
            s.pending.removeFirst();
        }
        if (s.pending.isEmpty() && Files.size(s.file) > 1 << 20) {
            compact(s);
        }
    }

    /** A fully sent stream's spool is cut back to its header; the acked file keeps the numbering going. */
    private void compact(Stream s) throws IOException {
        s.out.close();
        s.out = null;
        Files.delete(s.file);
        stream(s.name);
    }

    /** Events the service will not take: kept with the reason in rejected.jsonl, counted, and taken off the stream. */
    public synchronized void reject(Stream s, Collection<Entry> entries, String reason) throws IOException {
        Path r = dir.resolve(REJECTED);
        try (FileChannel ch = FileChannel.open(r, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                PosixFilePermissions.asFileAttribute(FILE))) {
            StringBuilder b = new StringBuilder();
            for (Entry e : entries) {
                JsonObject o = new JsonObject();
                o.addProperty("stream", s.name);
                o.addProperty("seq", e.seq());
                o.addProperty("ts", e.timestamp());
                o.addProperty("reason", reason);
                o.addProperty("msg", e.message());
                b.append(o).append('\n');
            }
            write(ch, b.toString());
            ch.force(false);
        }
        Files.setPosixFilePermissions(r, FILE);
        rejected += entries.size();
    }

    /** Events waiting to be sent, over every stream. */
    public synchronized long pending() {
        return streams.values().stream().mapToLong(s -> s.pending.size()).sum();
    }

    /** Events set aside in rejected.jsonl since the spool was created. */
    public synchronized long rejected() {
        return rejected;
    }

    private static String hash(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (Stream s : streams.values()) {
            if (s.out != null) {
                s.out.close();
                s.out = null;
            }
        }
    }
}
