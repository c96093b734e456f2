package crew.ui.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * Reads and writes an endpoint design file of the workspace.
 *
 * <p>Interim: the record fields as JSON, until crew.model's workspace codec (AWS CLI field names) is on main; then
 * this class delegates to it and the editors need no change. Writes are atomic (a temporary file moved over the
 * old one), so a failed save never loses the user's previous file.
 */
public final class DesignFile {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .registerTypeAdapter(Cidr.class, new TextAdapter<>(Cidr::parse))
            .registerTypeAdapter(IpAddress.class, new TextAdapter<>(IpAddress::parse)).create();

    private DesignFile() {
    }

    /** Reads {@code file}; a malformed file fails with its name and the JSON location of the problem. */
    public static EndpointDesign read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.contains("\"Format\"")) {
            // the workspace format of crew.model (AWS CLI field names), what the examples and `crew lint` use
            try {
                return crew.model.io.WorkspaceFile.read(file.toString(), text);
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

    /** Writes {@code design} to {@code file} atomically. */
    public static void write(Path file, EndpointDesign design) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, toJson(design) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static String toJson(EndpointDesign design) {
        return GSON.toJson(design);
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
