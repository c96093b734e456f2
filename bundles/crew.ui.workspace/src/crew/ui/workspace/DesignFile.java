package crew.ui.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import crew.model.endpoint.EndpointDesign;
import crew.model.io.WorkspaceFile;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * Reads and writes an endpoint design file of the workspace.
 *
 * <p><b>Writes</b> crew.model's workspace format ({@link WorkspaceFile}, {@code "Format": "crew-design/1"}, AWS CLI
 * field names): the format of the examples, read by {@code crew lint}, {@code crew predict} and the other headless
 * commands. <b>Reads</b> that format and the interim form earlier versions of the workbench wrote (the
 * {@code EndpointDesign} record fields as JSON); saving such a file rewrites it in the workspace format.
 *
 * <p>Saving over a workspace file keeps what the user had in it that the model does not hold (fields the reader
 * accepts but CREW does not model, such as {@code DeletionTime}, {@code SelfServicePortalUrl}, a status
 * {@code Message}) and the file's order of fields; fields the model holds are written from the design. Writes are
 * atomic (a temporary file moved over the old one), so a failed save never loses the user's previous file.
 */
public final class DesignFile {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .registerTypeAdapter(Cidr.class, new TextAdapter<>(Cidr::parse))
            .registerTypeAdapter(IpAddress.class, new TextAdapter<>(IpAddress::parse)).create();
    private static final Gson TREE = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();
    /**
     * Old names the workspace reader accepts for what the writer writes under another name: never carried over,
     * since the written name holds the value now (and the reader would prefer a stale TransitGatewayConfiguration).
     */
    private static final Set<String> ALIASES = Set.of("ClientRootCertificateChainArn", "TransitGatewayConfiguration");

    private DesignFile() {
    }

    /** Whether {@code text} is in the workspace format (else the interim form). */
    public static boolean isWorkspaceFormat(String text) {
        return text.contains("\"Format\"");
    }

    /** Reads {@code file}; a malformed file fails with its name and the JSON location of the problem. */
    public static EndpointDesign read(Path file) throws IOException {
        String text;
        try {
            text = crew.model.io.TextFiles.read(file); // UTF-8 only: a UTF-16 or binary file is named with its byte offset
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (isWorkspaceFormat(text)) {
            try {
                return WorkspaceFile.read(file.toString(), text);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        try {
            EndpointDesign design = GSON.fromJson(text, EndpointDesign.class);
            if (design == null || design.endpoint() == null) {
                throw new IOException(file + ": not an endpoint design (no \"endpoint\" object)");
            }
            return design;
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code design} to {@code file} atomically in the workspace format, keeping the fields of the file
     * already there that the model does not hold.
     */
    public static void write(Path file, EndpointDesign design) throws IOException {
        String text = toJson(design);
        if (Files.isRegularFile(file)) {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            if (isWorkspaceFormat(old)) {
                text = keepUnmodelled(file.toString(), old, text);
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code design} in the workspace format ({@link WorkspaceFile#write(EndpointDesign)}). */
    public static String toJson(EndpointDesign design) {
        return WorkspaceFile.write(design);
    }

    /**
     * {@code written} (the design in the workspace format) with what {@code old} (the file's text) holds that the
     * model does not: a field of {@code old} is unmodelled when writing what the reader made of {@code old} does not
     * produce it. Array elements are matched to the old file's elements that the model wrote identically. The result
     * must read as the same design as {@code written}; if it does not (or the old file does not read), {@code written}
     * is returned unchanged.
     */
    static String keepUnmodelled(String source, String old, String written) {
        try {
            JsonElement oldTree = JsonParser.parseString(old);
            JsonElement oldModel = JsonParser.parseString(WorkspaceFile.write(WorkspaceFile.read(source, old)));
            JsonElement merged = merge(oldTree, oldModel, JsonParser.parseString(written));
            String text = TREE.toJson(merged) + "\n";
            if (WorkspaceFile.read(source, text).equals(WorkspaceFile.read(source, written))) {
                return text;
            }
        } catch (RuntimeException e) {
            // the old file is not a readable design: nothing of it to keep
        }
        return written;
    }

    private static JsonElement merge(JsonElement old, JsonElement oldModel, JsonElement written) {
        if (written.isJsonObject() && old != null && old.isJsonObject()) {
            JsonObject o = old.getAsJsonObject();
            JsonObject m = oldModel != null && oldModel.isJsonObject() ? oldModel.getAsJsonObject() : new JsonObject();
            JsonObject w = written.getAsJsonObject();
            JsonObject out = new JsonObject();
            for (String key : o.keySet()) {
                if (w.has(key)) {
                    out.add(key, merge(o.get(key), m.get(key), w.get(key)));
                } else if (!m.has(key) && !ALIASES.contains(key)) {
                    out.add(key, o.get(key)); // the model does not hold it: keep the user's value
                }
                // else: the model held it and the design no longer has it (cleared): dropped
            }
            for (String key : w.keySet()) {
                if (!out.has(key)) {
                    out.add(key, w.get(key));
                }
            }
            return out;
        }
        if (written.isJsonArray() && old != null && old.isJsonArray() && oldModel != null && oldModel.isJsonArray()
                && old.getAsJsonArray().size() == oldModel.getAsJsonArray().size()) {
            JsonArray o = old.getAsJsonArray();
            JsonArray m = oldModel.getAsJsonArray();
            boolean[] used = new boolean[m.size()];
            JsonArray out = new JsonArray();
            for (int i = 0; i < written.getAsJsonArray().size(); i++) {
                JsonElement w = written.getAsJsonArray().get(i);
                int match = i < m.size() && !used[i] && m.get(i).equals(w) ? i : -1;
                for (int j = 0; match < 0 && j < m.size(); j++) {
                    if (!used[j] && m.get(j).equals(w)) {
                        match = j;
                    }
                }
                if (match >= 0) {
                    used[match] = true;
                    out.add(merge(o.get(match), m.get(match), w));
                } else {
                    out.add(w);
                }
            }
            return out;
        }
        return written;
    }

    /** Address types as their text form. */
    private static final class TextAdapter<T> extends TypeAdapter<T> {
        private final java.util.function.Function<String, T> parse;

        TextAdapter(java.util.function.Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.toString());
            }
        }

        @Override
        public T read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            String where = in.getPath();
            String text = in.nextString();
            try {
                return parse.apply(text);
            } catch (RuntimeException e) {
                throw new JsonParseException("at " + where + ": " + e.getMessage(), e);
            }
        }
    }
}
