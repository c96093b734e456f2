package crew.model.io;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

/**
 * A parsed JSON document that remembers the line of every value by its JSON path, so that a semantic error (a bad
 * CIDR in {@code $.Routes[3].DestinationCidr}) can name its line, not only its path.
 */
final class LocatedJson {
    final String source;
    final JsonElement root;
    private final Map<String, Integer> lines;

    private LocatedJson(String source, JsonElement root, Map<String, Integer> lines) {
        this.source = source;
        this.root = root;
        this.lines = lines;
    }

    static LocatedJson parse(String source, String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(com.google.gson.Strictness.STRICT);
            walk(reader, lines);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new SourceFormatException(source, lineOf(reader), "unexpected content after the JSON document");
            }
        } catch (MalformedJsonException | IllegalStateException | NumberFormatException e) {
            throw new SourceFormatException(source, lineFromMessage(e.getMessage()), "malformed JSON: " + firstSentence(e.getMessage()), e);
        } catch (java.io.EOFException e) {
            throw new SourceFormatException(source, countLines(text), "the JSON document ends too early");
        } catch (IOException e) {
            throw new SourceFormatException(source, 0, "cannot read JSON: " + e.getMessage(), e);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new SourceFormatException(source, lineFromMessage(e.getMessage()), "malformed JSON: " + firstSentence(e.getMessage()), e);
        }
        return new LocatedJson(source, root, lines);
    }

    private static void walk(JsonReader reader, Map<String, Integer> lines) throws IOException {
        JsonToken token = reader.peek();
        lines.putIfAbsent(reader.getPath(), lineOf(reader));
        switch (token) {
            case BEGIN_ARRAY -> {
                reader.beginArray();
                while (reader.hasNext()) {
                    lines.putIfAbsent(reader.getPath(), lineOf(reader));
                    walk(reader, lines);
                }
                reader.endArray();
            }
            case BEGIN_OBJECT -> {
                reader.beginObject();
                while (reader.hasNext()) {
                    reader.nextName();
                    walk(reader, lines);
                }
                reader.endObject();
            }
            default -> reader.skipValue();
        }
    }

    /** Gson exposes the position only through toString ("JsonReader at line 3 column 5 path $.x"). */
    private static int lineOf(JsonReader reader) {
        return lineFromMessage(reader.toString());
    }

    static int lineFromMessage(String message) {
        if (message == null) {
            return 0;
        }
        int i = message.indexOf("line ");
        if (i < 0) {
            return 0;
        }
        int j = i + 5;
        int v = 0;
        while (j < message.length() && Character.isDigit(message.charAt(j))) {
            v = v * 10 + (message.charAt(j++) - '0');
        }
        return v;
    }

    private static String firstSentence(String message) {
        if (message == null) {
            return "syntax error";
        }
        int i = message.indexOf("\nSee ");
        String m = i >= 0 ? message.substring(0, i) : message;
        return m.replaceFirst("^com\\.google\\.gson\\.stream\\.MalformedJsonException: ", "");
    }

    private static int countLines(String text) {
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** The line of the value at {@code path} ({@code $.Routes[3].DestinationCidr}), or of its nearest parent. */
    int line(String path) {
        String p = path;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return 0;
            }
            p = p.substring(0, cut);
        }
    }

    SourceFormatException error(String path, String reason) {
        return new SourceFormatException(source, line(path), path + ": " + reason);
    }
}
