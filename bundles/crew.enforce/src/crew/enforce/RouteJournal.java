package crew.enforce;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.PolicyRule;

/**
 * The write-ahead journal of one session: JSON lines, each forced to disk before the change it announces. Records:
 * {@code begin} (the pre-session table), {@code install} (a route or rule CREW is about to add), {@code remove} (a
 * pre-existing route CREW is about to remove) and {@code end}. After a crash, {@link #read} gives what a restore
 * needs; attackers' routes removed during the session are not journalled because they are not the user's.
 */
public final class RouteJournal implements AutoCloseable {
    private static final Gson GSON = new Gson();

    private final Path file;
    private final FileChannel channel;

    private RouteJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Creates the journal; fails if one exists (an unrecovered session: recover it first). */
    public static RouteJournal create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new RouteJournal(file, ch);
    }

    public Path file() {
        return file;
    }

    public void begin(SessionSpec spec, List<DeviceRoute> snapshot) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", "begin");
        m.put("session", spec.sessionId());
        m.put("spec", specToJson(spec));
        m.put("pid", ProcessHandle.current().pid());
        m.put("snapshot", snapshot.stream().map(RouteJournal::toJson).toList());
        append(m);
    }

    public void install(DeviceRoute route) throws IOException {
        append(Map.of("op", "install", "route", toJson(route)));
    }

    public void installRule(PolicyRule rule) throws IOException {
        append(Map.of("op", "install-rule", "rule", ruleToJson(rule)));
    }

    public void installFilter(String name) throws IOException {
        append(Map.of("op", "install-filter", "name", name));
    }

    public void remove(DeviceRoute route) throws IOException {
        append(Map.of("op", "remove", "route", toJson(route)));
    }

    public void end() throws IOException {
        append(Map.of("op", "end"));
    }

    private synchronized void append(Map<String, ?> record) throws IOException {
        byte[] line = (GSON.toJson(record) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Closes and deletes the journal once the device is restored. */
    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    /** What a journal says, for recovery. A torn last line (crash mid-write) is ignored: its change never started. */
    public record Contents(String sessionId, long pid, SessionSpec spec, List<DeviceRoute> snapshot, List<DeviceRoute> installed, List<PolicyRule> installedRules,
            List<DeviceRoute> removed, List<String> filters, boolean ended) {
    }

    public static Contents read(Path file) throws IOException {
        String session = null;
        long pid = -1;
        SessionSpec spec = null;
        List<DeviceRoute> snapshot = new ArrayList<>();
        List<DeviceRoute> installed = new ArrayList<>();
        List<PolicyRule> rules = new ArrayList<>();
        List<DeviceRoute> removed = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        boolean ended = false;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonObject o;
            try {
                o = JsonParser.parseString(line).getAsJsonObject();
            } catch (RuntimeException e) {
                if (i == lines.size() - 1) {
                    break; // torn write at the crash
                }
                throw new IOException(file + " line " + (i + 1) + ": not a journal record: " + e.getMessage());
            }
            switch (o.get("op").getAsString()) {
                case "begin" -> {
                    session = o.get("session").getAsString();
                    pid = o.has("pid") ? o.get("pid").getAsLong() : -1;
                    spec = o.has("spec") ? specFromJson(o.getAsJsonObject("spec")) : null;
                    o.getAsJsonArray("snapshot").forEach(r -> snapshot.add(fromJson(r.getAsJsonObject())));
                }
                case "install" -> installed.add(fromJson(o.getAsJsonObject("route")));
                case "install-rule" -> rules.add(ruleFromJson(o.getAsJsonObject("rule")));
                case "remove" -> removed.add(fromJson(o.getAsJsonObject("route")));
                case "install-filter" -> filters.add(o.get("name").getAsString());
                case "end" -> ended = true;
                default -> throw new IOException(file + " line " + (i + 1) + ": unknown journal record '" + o.get("op").getAsString() + "'");
            }
        }
        return new Contents(session, pid, spec, snapshot, installed, rules, removed, filters, ended);
    }

    static Map<String, Object> specToJson(SessionSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interface", s.tunnelInterface());
        if (s.tunnelGateway() != null) {
            m.put("gateway", s.tunnelGateway().toString());
        }
        m.put("protect", s.protectedDestinations().stream().map(Cidr::toString).toList());
        m.put("exempt", s.exemptDestinations().stream().map(Cidr::toString).toList());
        m.put("bypass", s.bypassRoutes().stream().map(RouteJournal::toJson).toList());
        m.put("mode", s.mode().name());
        m.put("ignored", s.ignoredRanges().stream().map(Cidr::toString).toList());
        m.put("reconcile_ms", s.reconcileInterval().toMillis());
        m.put("session", s.sessionId());
        return m;
    }

    static SessionSpec specFromJson(JsonObject o) {
        List<Cidr> protect = new ArrayList<>();
        o.getAsJsonArray("protect").forEach(e -> protect.add(Cidr.parse(e.getAsString())));
        List<Cidr> exempt = new ArrayList<>();
        o.getAsJsonArray("exempt").forEach(e -> exempt.add(Cidr.parse(e.getAsString())));
        List<Cidr> ignored = new ArrayList<>();
        o.getAsJsonArray("ignored").forEach(e -> ignored.add(Cidr.parse(e.getAsString())));
        List<DeviceRoute> bypass = new ArrayList<>();
        o.getAsJsonArray("bypass").forEach(e -> bypass.add(fromJson(e.getAsJsonObject())));
        return new SessionSpec(o.get("session").getAsString(), o.get("interface").getAsString(),
                o.has("gateway") ? IpAddress.parse(o.get("gateway").getAsString()) : null, protect, exempt, bypass,
                EnforcementMode.valueOf(o.get("mode").getAsString()), ignored, java.time.Duration.ofMillis(o.get("reconcile_ms").getAsLong()));
    }

    static Map<String, Object> toJson(DeviceRoute r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dst", r.destination().toString());
        if (r.gateway() != null) {
            m.put("via", r.gateway().toString());
        }
        if (r.interfaceName() != null) {
            m.put("dev", r.interfaceName());
        }
        m.put("metric", r.metric());
        m.put("table", r.table());
        if (r.protocol() != null) {
            m.put("proto", r.protocol());
        }
        if (r.scope() != null) {
            m.put("scope", r.scope());
        }
        m.put("type", r.type().name());
        if (r.source() != null) {
            m.put("src", r.source().toString());
        }
        return m;
    }

    static DeviceRoute fromJson(JsonObject o) {
        return new DeviceRoute(Cidr.parse(o.get("dst").getAsString()), o.has("via") ? IpAddress.parse(o.get("via").getAsString()) : null,
                o.has("dev") ? o.get("dev").getAsString() : null, 0, o.get("metric").getAsInt(), o.get("table").getAsInt(),
                o.has("proto") ? o.get("proto").getAsString() : null, o.has("scope") ? o.get("scope").getAsString() : null,
                RouteType.valueOf(o.get("type").getAsString()), o.has("src") ? IpAddress.parse(o.get("src").getAsString()) : null, Set.of());
    }

    static Map<String, Object> ruleToJson(PolicyRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", r.family().name());
        m.put("priority", r.priority());
        m.put("table", r.table());
        m.put("action", r.action());
        if (r.to() != null) {
            m.put("to", r.to().toString());
        }
        if (r.from() != null) {
            m.put("from", r.from().toString());
        }
        return m;
    }

    static PolicyRule ruleFromJson(JsonObject o) {
        return new PolicyRule(crew.model.net.IpFamily.valueOf(o.get("family").getAsString()), o.get("priority").getAsInt(),
                o.get("table").getAsInt(), o.get("action").getAsString(), o.has("from") ? Cidr.parse(o.get("from").getAsString()) : null,
                o.has("to") ? Cidr.parse(o.get("to").getAsString()) : null, null, null, 0, 0, false);
    }
}
