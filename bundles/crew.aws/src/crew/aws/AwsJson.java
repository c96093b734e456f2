package crew.aws;

import java.io.IOException;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * Gson for crew.aws's own records: the apply state file and the --json output of plan and apply (records as
 * objects, CIDRs and addresses as strings). Designs are not written with it: they are workspace files
 * ({@code crew.model.io.WorkspaceFile}).
 */
public final class AwsJson {
    public static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .registerTypeAdapter(Cidr.class, new StringAdapter<>(Cidr::parse).nullSafe())
            .registerTypeAdapter(IpAddress.class, new StringAdapter<>(IpAddress::parse).nullSafe()).create();

    private AwsJson() {
    }

    private static final class StringAdapter<T> extends TypeAdapter<T> {
        private final java.util.function.Function<String, T> parse;

        StringAdapter(java.util.function.Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            out.value(value.toString());
        }

        @Override
        public T read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            String path = in.getPath();
            String text = in.nextString();
            try {
                return parse.apply(text);
            } catch (RuntimeException e) {
                throw new com.google.gson.JsonParseException(path + ": " + e.getMessage(), e);
            }
        }
    }
}
