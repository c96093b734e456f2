package crew.model.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

/**
 * A parsed JSON document that remembers where every value starts (line and column) by its JSON path, so that a
 * semantic error (a bad CIDR in {@code $.Routes[3].DestinationCidr}) can name its place, not only its path.
 * <p>
 * The tree is built here in one pass over Gson's strict reader, not by Gson's own tree parser, because that parser
 * keeps the last of two equal keys without a word, and CREW drops nothing silently: a duplicate key is an error that
 * names both places. Nesting is limited ({@link #MAX_DEPTH}), so a hostile file fails with a located error instead of
 * a stack overflow.
 */
final class LocatedJson {
    /**
     * How deep arrays and objects may nest. A design file needs 5 levels, the AWS CLI's describe outputs about as
     * many; 64 leaves room for any hand-written file while keeping the recursive walk far from the thread's stack limit.
     */
    static final int MAX_DEPTH = 64;

    final String source;
    final JsonElement root;
    private final Map<String, SourcePosition> positions;

    private LocatedJson(String source, JsonElement root, Map<String, SourcePosition> positions) {
        this.source = source;
        this.root = root;
        this.positions = positions;
    }

    static LocatedJson parse(String source, String text) {
        Walk walk = new Walk(source, text);
        try (JsonReader reader = walk.reader) {
            JsonElement root = walk.value(0, 0);
            int after = walk.skip(walk.offset());
            if (after < text.length()) {
                SourcePosition at = walk.position(after);
                throw new SourceFormatException(source, at.line(), at.column(), "unexpected content after the JSON document", null);
            }
            return new LocatedJson(source, root, walk.positions);
        } catch (MalformedJsonException | IllegalStateException e) {
            throw walk.malformed(e);
        } catch (EOFException e) {
            SourcePosition end = walk.position(text.length());
            throw new SourceFormatException(source, end.line(), end.column(), "the JSON document ends too early", e);
        } catch (IOException e) {
            throw new SourceFormatException(source, 0, "cannot read JSON: " + e.getMessage(), e);
        }
    }

    /** One pass over the text: the tree, the position of every value, the depth. */
    private static final class Walk {
        final String source;
        final String text;
        final JsonReader reader;
        final Map<String, SourcePosition> positions = new HashMap<>();
        /** Offsets where lines start, for turning offsets into lines and columns. */
        private final int[] lineStarts;

        Walk(String source, String text) {
            this.source = source;
            this.text = text;
            this.reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            int[] starts = new int[16];
            int n = 0;
            starts[n++] = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    if (n == starts.length) {
                        starts = Arrays.copyOf(starts, n * 2);
                    }
                    starts[n++] = i + 1;
                }
            }
            lineStarts = Arrays.copyOf(starts, n);
        }

        /**
         * The value whose token starts at or after {@code from} (the reader's offset before it peeked: Gson's peek
         * consumes part of the token, so the start is found by skipping the separators from there).
         */
        JsonElement value(int depth, int from) throws IOException {
            SourcePosition at = position(skip(from));
            positions.putIfAbsent(reader.getPath(), at);
            JsonToken token = reader.peek();
            switch (token) {
                case BEGIN_ARRAY -> {
                    deeper(depth, at);
                    reader.beginArray();
                    JsonArray array = new JsonArray();
                    while (true) {
                        int next = offset();
                        if (!reader.hasNext()) {
                            break;
                        }
                        array.add(value(depth + 1, next));
                    }
                    reader.endArray();
                    return array;
                }
                case BEGIN_OBJECT -> {
                    deeper(depth, at);
                    reader.beginObject();
                    JsonObject object = new JsonObject();
                    Map<String, SourcePosition> names = new HashMap<>();
                    while (true) {
                        int next = offset();
                        if (!reader.hasNext()) {
                            break;
                        }
                        SourcePosition nameAt = position(skip(next));
                        String name = reader.nextName();
                        SourcePosition first = names.putIfAbsent(name, nameAt);
                        if (first != null) {
                            throw new SourceFormatException(source, nameAt.line(), nameAt.column(), reader.getPath() + ": duplicate key \"" + name
                                    + "\" (first at line " + first.line() + ", again at line " + nameAt.line()
                                    + "): JSON readers disagree on which one counts; keep one", null);
                        }
                        object.add(name, value(depth + 1, offset()));
                    }
                    reader.endObject();
                    return object;
                }
                case STRING -> {
                    return new JsonPrimitive(reader.nextString());
                }
                case NUMBER -> {
                    return new JsonPrimitive(new NumberText(reader.nextString()));
                }
                case BOOLEAN -> {
                    return new JsonPrimitive(reader.nextBoolean());
                }
                case NULL -> {
                    reader.nextNull();
                    return JsonNull.INSTANCE;
                }
                default -> throw new SourceFormatException(source, at.line(), at.column(), "expected a JSON value, found " + token, null);
            }
        }

        private void deeper(int depth, SourcePosition at) {
            if (depth >= MAX_DEPTH) {
                throw new SourceFormatException(source, at.line(), at.column(), "arrays and objects nested more than " + MAX_DEPTH
                        + " levels deep (a design file needs 5): is this the right file?", null);
            }
        }

        /** The reader's offset in the text, from its position report ("... at line 3 column 5 path $.x"). */
        int offset() {
            SourcePosition p = positionIn(reader.toString());
            if (p.line() < 1 || p.line() > lineStarts.length) {
                return text.length();
            }
            return Math.min(text.length(), lineStarts[p.line() - 1] + Math.max(0, p.column() - 1));
        }

        /** The first offset at or after {@code from} that is not white space, a separator or the byte order mark. */
        int skip(int from) {
            int i = from;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' && c != ':' && !(i == 0 && c == '\uFEFF')) {
                    break;
                }
                i++;
            }
            return i;
        }

        SourcePosition position(int offset) {
            int line = Arrays.binarySearch(lineStarts, offset);
            if (line < 0) {
                line = -line - 2;
            }
            return new SourcePosition(line + 1, offset - lineStarts[line] + 1);
        }

        /** A syntax error from Gson as a located error, without Gson's own position and advice text. */
        SourceFormatException malformed(Exception e) {
            String m = e.getMessage() == null ? "syntax error" : e.getMessage();
            SourcePosition p = positionIn(m);
            int cut = m.indexOf(" at line ");
            String reason = (cut > 0 ? m.substring(0, cut) : m).replaceFirst("^com\\.google\\.gson\\.stream\\.MalformedJsonException: ", "");
            int path = m.indexOf(" path ");
            String where = path > 0 ? m.substring(path + 6).split("\\s", 2)[0] + ": " : "";
            return new SourceFormatException(source, p.line(), p.column(), where + "malformed JSON: " + reason, e);
        }
    }

    /** Line and column from Gson's text "... at line L column C ...", 0 where absent. */
    static SourcePosition positionIn(String message) {
        return new SourcePosition(numberAfter(message, "line "), numberAfter(message, "column "));
    }

    private static int numberAfter(String message, String word) {
        if (message == null) {
            return 0;
        }
        int i = message.indexOf(" " + word);
        if (i < 0) {
            return 0;
        }
        int j = i + 1 + word.length();
        int v = 0;
        while (j < message.length() && message.charAt(j) >= '0' && message.charAt(j) <= '9' && v < 100_000_000) {
            v = v * 10 + (message.charAt(j++) - '0');
        }
        return v;
    }

    /**
     * A JSON number kept as written: {@code getAsString()} gives the text, not a reformatted value; conversions parse
     * on use (Gson's own lazy number is internal to Gson).
     */
    private static final class NumberText extends Number {
        private static final long serialVersionUID = 1L;
        private final String text;

        NumberText(String text) {
            this.text = text;
        }

        @Override
        public int intValue() {
            return new BigDecimal(text).intValue();
        }

        @Override
        public long longValue() {
            return new BigDecimal(text).longValue();
        }

        @Override
        public float floatValue() {
            return Float.parseFloat(text);
        }

        @Override
        public double doubleValue() {
            return Double.parseDouble(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Where the value at {@code path} ({@code $.Routes[3].DestinationCidr}) starts, or its nearest parent; null if none. */
    SourcePosition position(String path) {
        String p = path;
        while (true) {
            SourcePosition at = positions.get(p);
            if (at != null) {
                return at;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return null;
            }
            p = p.substring(0, cut);
        }
    }

    SourceFormatException error(String path, String reason) {
        SourcePosition at = position(path);
        return at == null ? new SourceFormatException(source, 0, path + ": " + reason)
                : new SourceFormatException(source, at.line(), at.column(), path + ": " + reason, null);
    }
}
