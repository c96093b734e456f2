package crew.aws.events;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;

import crew.model.io.CrewHome;

/**
 * Where a device ships its enforcement events: a CloudWatch Logs group, the device's name (the first part of each
 * stream's name), credentials (a named profile, else the default chain), a region, an endpoint override (the
 * embedded local API, or a VPC endpoint), the spool folder and how often the shipper sends. Stored as
 * {@code $CREW_HOME/events.json} (0600) by {@code crew fleet configure}; {@code crew enforce}, {@code crew tunnel}
 * and the agent read the file of their own CREW home.
 */
public record EventsSettings(String logGroup, String device, String profile, String region, URI endpoint, Path spool, Duration flushInterval,
        boolean createGroup) {
    public static final String FILE = "events.json";
    private static final Pattern GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");

    public EventsSettings {
        if (logGroup == null || !GROUP_NAME.matcher(logGroup).matches()) {
            throw new IllegalArgumentException("log group '" + logGroup + "': 1-512 characters of letters, digits and . - _ / #");
        }
        device = device == null || device.isBlank() ? localDevice() : streamPart(device);
        if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
            flushInterval = Duration.ofSeconds(1);
        }
        if (spool == null) {
            spool = CrewHome.directory().resolve("events-spool");
        }
    }

    public static EventsSettings of(String logGroup) {
        return new EventsSettings(logGroup, null, null, null, null, null, null, true);
    }

    public EventsSettings withEndpoint(URI uri, String newRegion) {
        return new EventsSettings(logGroup, device, profile, newRegion, uri, spool, flushInterval, createGroup);
    }

    public EventsSettings withDevice(String name) {
        return new EventsSettings(logGroup, name, profile, region, endpoint, spool, flushInterval, createGroup);
    }

    public EventsSettings withSpool(Path dir) {
        return new EventsSettings(logGroup, device, profile, region, endpoint, dir, flushInterval, createGroup);
    }

    /** This device's name: the host name, made fit for a stream name. */
    public static String localDevice() {
        String name = null;
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isReadable(etc)) {
                name = Files.readString(etc, StandardCharsets.UTF_8).trim();
            }
        } catch (IOException e) {
            // the resolver's name below
        }
        if (name == null || name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "device";
            }
        }
        return streamPart(name);
    }

    /** A part of a stream name: no ':' or '*' (refused by CloudWatch Logs) and no '/' (CREW's separator). */
    static String streamPart(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c == ':' || c == '*' || c == '/' || Character.isISOControl(c) ? '_' : c);
        }
        return b.length() > 160 ? b.substring(0, 160) : b.toString();
    }

    /** $CREW_HOME/events.json. */
    public static Path defaultFile() {
        return CrewHome.directory().resolve(FILE);
    }

    /** The settings in {@code file}; null when it does not exist. Errors name the file and the field. */
    public static EventsSettings read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IOException(file + ": not a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonSyntaxException e) {
            throw new IOException(file + ": not JSON (" + e.getMessage() + ")");
        }
        try {
            return new EventsSettings(text(o, "logGroup"), text(o, "device"), text(o, "profile"), text(o, "region"),
                    text(o, "endpoint") == null ? null : URI.create(text(o, "endpoint")), text(o, "spool") == null ? null : Path.of(text(o, "spool")),
                    o.has("flushMillis") ? Duration.ofMillis(o.get("flushMillis").getAsLong()) : null, !o.has("createGroup") || o.get("createGroup").getAsBoolean());
        } catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    private static String text(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : null;
    }

    /** Writes the settings (0600: the profile name and endpoint are not secrets, but the file is the device's own). */
    public void write(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("logGroup", logGroup);
        m.put("device", device);
        if (profile != null) {
            m.put("profile", profile);
        }
        if (region != null) {
            m.put("region", region);
        }
        if (endpoint != null) {
            m.put("endpoint", endpoint.toString());
        }
        m.put("spool", spool.toString());
        m.put("flushMillis", flushInterval.toMillis());
        m.put("createGroup", createGroup);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().create().toJson(m) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
