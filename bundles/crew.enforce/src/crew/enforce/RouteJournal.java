package crew.enforce;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.NamespaceIdentity;
import crew.routing.api.PolicyRule;

/**
 * The write-ahead journal of one session: JSON lines, each forced to disk before the change it announces. Records:
 * {@code begin} (where the session runs: platform, network namespace, owner process; and the pre-session table:
 * routes, and policy rules in the modes that touch them), {@code install} / {@code install-rule} /
 * {@code install-filter} (what CREW is about to add), {@code remove} / {@code remove-rule} (a pre-existing route or
 * rule CREW is about to remove) and {@code end}. After a crash, {@link #read} gives what a restore needs; attackers'
 * routes and rules removed during the session are not journalled because they are not the user's. The file is
 * readable by its owner only (0600): it describes the device's routing.
 */
public final class RouteJournal implements AutoCloseable {
    private static final Gson GSON = new Gson();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final FileChannel channel;

    private RouteJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Creates the journal (0600; a new folder 0700); fails if one exists (an unrecovered session: recover it first).
     * Until {@link #begin} the records go to a file beside it ({@code NAME.journal.PID.new}) that recovery does not
     * look at; begin puts it in place atomically, so no journal is ever seen without its begin record (another
     * process's recovery would take an empty one for a session that changed nothing, and delete it).
     */
    public static RouteJournal create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            setPermissions(dir, OWNER_ONLY_DIRECTORY);
        }
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileAlreadyExistsException(file.toString());
        }
        Path pending = pendingFile(file);
        Files.deleteIfExists(pending); // left by a crash of this pid's earlier life: it never was a journal
        FileChannel ch = posix(dir)
                ? FileChannel.open(pending, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : FileChannel.open(pending, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // the umask may have narrowed, never widened, what was asked; set it exactly
        setPermissions(pending, OWNER_ONLY);
        return new RouteJournal(file, ch);
    }

    private static Path pendingFile(Path file) {
        return file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".new");
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    static void setPermissions(Path p, Set<PosixFilePermission> permissions) throws IOException {
        if (posix(p)) {
            Files.setPosixFilePermissions(p, permissions);
        }
    }

    /** Writes {@code text} to a new file readable by its owner only (a set-aside journal's reason). */
    static void writeOwnerOnly(Path p, String text) throws IOException {
        Files.deleteIfExists(p);
        if (posix(p.toAbsolutePath().getParent())) {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Files.writeString(p, text, StandardCharsets.UTF_8);
        setPermissions(p, OWNER_ONLY);
    }

    public Path file() {
        return file;
    }

    /**
     * The first record: where the session runs ({@code platform}, the backend's network namespace when it has one),
     * who owns it (process id and start time, so that a reused pid is not taken for the owner) and the pre-session
     * routes and policy rules.
     */
    public void begin(SessionSpec spec, String platform, Optional<NamespaceIdentity> namespace, List<DeviceRoute> snapshot,
            List<PolicyRule> ruleSnapshot) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", "begin");
        m.put("session", spec.sessionId());
        m.put("spec", specToJson(spec));
        m.put("platform", platform);
        namespace.ifPresent(ns -> m.put("netns", namespaceToJson(ns)));
        OwnerProcess self = OwnerProcess.current();
        m.put("pid", self.pid());
        m.put("pid_start_ms", self.startMillis());
        m.put("pid_start_ticks", self.startTicks());
        m.put("snapshot", snapshot.stream().map(RouteJournal::toJson).toList());
        m.put("rules", ruleSnapshot.stream().map(RouteJournal::ruleToJson).toList());
        append(m);
        // a second name for the file, which fails if a journal of that name appeared meanwhile: atomic, no replace
        Path pending = pendingFile(file);
        Files.createLink(file, pending);
        Files.delete(pending);
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

    /** A pre-session policy rule CREW is about to remove (extended and strict modes): it comes back at the end. */
    public void removeRule(PolicyRule rule) throws IOException {
        append(Map.of("op", "remove-rule", "rule", ruleToJson(rule)));
    }

    public void end() throws IOException {
        append(Map.of("op", "end"));
    }

    private synchronized void append(Map<String, ?> record) throws IOException {
        byte[] line = (seal(GSON.toJson(record)) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    /** The start of every sealed line: the record's CRC-32, then the record. */
    private static final String SEAL = "{\"crc32\":\"";
    private static final String SEAL_RECORD = "\",\"record\":";

    /**
     * A record as it is written: wrapped with the CRC-32 of its UTF-8 text, so that any byte changed on disk (even
     * inside a string, which JSON alone cannot notice) makes the record unreadable rather than different.
     */
    static String seal(String recordJson) {
        return SEAL + String.format("%08x", crc32(recordJson)) + SEAL_RECORD + recordJson + "}";
    }

    /** The record inside a sealed line, after checking its CRC; null for a line of an unsealed (earlier) journal. */
    static String unseal(String line) {
        if (!line.startsWith(SEAL)) {
            return null;
        }
        int at = SEAL.length() + 8;
        if (line.length() < at + SEAL_RECORD.length() + 1 || !line.startsWith(SEAL_RECORD, at) || !line.endsWith("}")) {
            throw new IllegalArgumentException("not a sealed journal record");
        }
        String record = line.substring(at + SEAL_RECORD.length(), line.length() - 1);
        String written = line.substring(SEAL.length(), at);
        String now = String.format("%08x", crc32(record));
        if (!now.equals(written)) {
            throw new IllegalArgumentException("checksum mismatch (written " + written + ", now " + now + "): the record was changed on disk");
        }
        return record;
    }

    private static long crc32(String text) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Closes and deletes the journal once the device is restored. */
    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(pendingFile(file));
    }

    /**
     * What a journal says, for recovery.
     *
     * @param namespace  where the session ran; empty for a backend without namespaces, or in a journal of a CREW
     *                   before 0.2 that did not record it ({@code platform} is then null too)
     * @param owner      the process that wrote it (its start is unknown, -1, in journals of an earlier CREW)
     * @param damaged    records that could not be read, as "line N: why" (the torn last line of a crash is not one)
     */
    public record Contents(String sessionId, String platform, Optional<NamespaceIdentity> namespace, OwnerProcess owner, SessionSpec spec,
            List<DeviceRoute> snapshot, List<PolicyRule> ruleSnapshot, List<DeviceRoute> installed, List<PolicyRule> installedRules,
            List<DeviceRoute> removed, List<PolicyRule> removedRules, List<String> filters, boolean ended, List<String> damaged) {
    }

    /** A journal that cannot be trusted at all: its begin record (where it ran, what the table was) is unreadable. */
    public static final class UnreadableJournalException extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean neverStarted;

        UnreadableJournalException(Path file, String why) {
            this(file, why, false);
        }

        UnreadableJournalException(Path file, String why, boolean neverStarted) {
            super(file + ": " + why);
            this.neverStarted = neverStarted;
        }

        /**
         * The journal is empty or its begin record was torn by the crash: the session changed nothing (begin is on
         * disk before the first change), so there is nothing to restore.
         */
        public boolean neverStarted() {
            return neverStarted;
        }
    }

    /**
     * Reads a journal. A torn last line (a crash mid-write: no line end) is ignored, its change never started. Any
     * other unreadable record is listed in {@link Contents#damaged()}; an unreadable or missing begin record makes
     * the whole journal untrustworthy ({@link UnreadableJournalException}, which names the line and why).
     */
    public static Contents read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            // decode leniently; the damaged line fails to parse below and is named there
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n", -1);
        // the element after the last line end is empty; anything else there is a record whose write was torn
        int complete = lines.length - 1;
        String session = null;
        String platform = null;
        Optional<NamespaceIdentity> namespace = Optional.empty();
        long pid = -1;
        long pidStart = -1;
        long pidStartTicks = -1;
        SessionSpec spec = null;
        List<DeviceRoute> snapshot = new ArrayList<>();
        List<PolicyRule> ruleSnapshot = new ArrayList<>();
        List<DeviceRoute> installed = new ArrayList<>();
        List<PolicyRule> rules = new ArrayList<>();
        List<DeviceRoute> removed = new ArrayList<>();
        List<PolicyRule> removedRules = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        boolean begun = false;
        boolean sealed = false;
        boolean ended = false;
        for (int i = 0; i < complete; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int number = i + 1;
            try {
                String record = unseal(line);
                if (record == null) {
                    if (sealed) {
                        throw new IllegalArgumentException("a record without its checksum in a checksummed journal");
                    }
                    record = line; // a journal of a CREW before checksums: plain JSON lines
                } else if (!begun) {
                    sealed = true;
                }
                JsonObject o = JsonParser.parseString(record).getAsJsonObject();
                String op = string(o, "op");
                if (!begun && !op.equals("begin")) {
                    throw new UnreadableJournalException(file, "line " + number + ": the journal does not start with its begin record (found '"
                            + op + "'): where the session ran and what the table was are unknown");
                }
                switch (op) {
                    case "begin" -> {
                        if (begun) {
                            throw new IllegalArgumentException("a second begin record");
                        }
                        session = string(o, "session");
                        platform = o.has("platform") ? o.get("platform").getAsString() : null;
                        namespace = o.has("netns") ? Optional.of(namespaceFromJson(o.getAsJsonObject("netns"))) : Optional.empty();
                        pid = o.has("pid") ? o.get("pid").getAsLong() : -1;
                        pidStart = o.has("pid_start_ms") ? o.get("pid_start_ms").getAsLong() : -1;
                        pidStartTicks = o.has("pid_start_ticks") ? o.get("pid_start_ticks").getAsLong() : -1;
                        spec = o.has("spec") ? specFromJson(o.getAsJsonObject("spec")) : null;
                        if (!o.has("snapshot")) {
                            throw new IllegalArgumentException("no snapshot of the pre-session table");
                        }
                        o.getAsJsonArray("snapshot").forEach(r -> snapshot.add(fromJson(r.getAsJsonObject())));
                        if (o.has("rules")) {
                            o.getAsJsonArray("rules").forEach(r -> ruleSnapshot.add(ruleFromJson(r.getAsJsonObject())));
                        }
                        begun = true;
                    }
                    case "install" -> installed.add(fromJson(o.getAsJsonObject("route")));
                    case "install-rule" -> rules.add(ruleFromJson(o.getAsJsonObject("rule")));
                    case "remove" -> removed.add(fromJson(o.getAsJsonObject("route")));
                    case "remove-rule" -> removedRules.add(ruleFromJson(o.getAsJsonObject("rule")));
                    case "install-filter" -> filters.add(string(o, "name"));
                    case "end" -> ended = true;
                    default -> throw new IllegalArgumentException("unknown record '" + op + "'");
                }
            } catch (UnreadableJournalException e) {
                throw e;
            } catch (RuntimeException e) {
                String why = "line " + number + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                if (!begun) {
                    throw new UnreadableJournalException(file, why + " (the begin record: where the session ran and what the table was)");
                }
                damaged.add(why);
            }
        }
        if (!begun) {
            boolean nothingWritten = text.isBlank() || complete == 0;
            throw new UnreadableJournalException(file, nothingWritten ? "the session crashed before its begin record was written: it changed nothing"
                    : "no begin record", nothingWritten);
        }
        return new Contents(session, platform, namespace, new OwnerProcess(pid, pidStartTicks, pidStart), spec, snapshot, ruleSnapshot, installed, rules, removed, removedRules,
                filters, ended, damaged);
    }

    private static String string(JsonObject o, String field) {
        if (!o.has(field) || !o.get(field).isJsonPrimitive()) {
            throw new IllegalArgumentException("no '" + field + "' field");
        }
        return o.get(field).getAsString();
    }

    static Map<String, Object> namespaceToJson(NamespaceIdentity ns) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (ns.name() != null) {
            m.put("name", ns.name());
        }
        m.put("inode", ns.inode());
        if (ns.bootId() != null) {
            m.put("boot", ns.bootId());
        }
        return m;
    }

    static NamespaceIdentity namespaceFromJson(JsonObject o) {
        if (!o.has("inode")) {
            throw new IllegalArgumentException("the namespace record has no inode");
        }
        return new NamespaceIdentity(o.has("name") ? o.get("name").getAsString() : null, o.get("inode").getAsLong(),
                o.has("boot") ? o.get("boot").getAsString() : null);
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
        if (r.inputInterface() != null) {
            m.put("iif", r.inputInterface());
        }
        if (r.outputInterface() != null) {
            m.put("oif", r.outputInterface());
        }
        if (r.fwmark() != 0) {
            m.put("fwmark", r.fwmark());
            m.put("fwmask", r.fwmask());
        }
        if (r.inverted()) {
            m.put("not", true);
        }
        return m;
    }

    static PolicyRule ruleFromJson(JsonObject o) {
        return new PolicyRule(crew.model.net.IpFamily.valueOf(o.get("family").getAsString()), o.get("priority").getAsInt(),
                o.get("table").getAsInt(), o.get("action").getAsString(), o.has("from") ? Cidr.parse(o.get("from").getAsString()) : null,
                o.has("to") ? Cidr.parse(o.get("to").getAsString()) : null, o.has("iif") ? o.get("iif").getAsString() : null,
                o.has("oif") ? o.get("oif").getAsString() : null, o.has("fwmark") ? o.get("fwmark").getAsLong() : 0,
                o.has("fwmask") ? o.get("fwmask").getAsLong() : 0, o.has("not") && o.get("not").getAsBoolean());
    }
}
