package crew.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The plugin project that {@code crew plugin new} writes: a bundle, its test fragment, a feature, an update site and
 * the target definition pointing at the CREW SDK, in a Tycho build of its own. The files are resources of this
 * bundle ({@code templates/plugin/}, listed in {@code files.txt}); placeholders are {@code @@NAME@@}, path segments
 * {@code __NAME__}.
 */
public final class PluginProjectTemplate {

    private static final String ROOT = "templates/plugin/";

    // Java keywords cannot be package segments
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface",
            "long", "native", "new", "package", "private", "protected", "public", "return", "short", "static",
            "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits");

    private PluginProjectTemplate() {
    }

    /**
     * Why {@code id} cannot name a plugin (a bundle symbolic name that is also its Java package: lower-case segments
     * separated by dots, at least two, outside CREW's own {@code crew.} namespace), or {@code null} if it can.
     */
    public static String problemWithId(String id) {
        if (id.isEmpty()) {
            return "the plugin name is empty";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean segmentStart = i == 0 || id.charAt(i - 1) == '.';
            if (c == '.') {
                if (segmentStart || i == id.length() - 1) {
                    return "'" + id + "', character " + (i + 1) + ": empty segment (names look like com.example.crew.hello)";
                }
            } else if (segmentStart ? !(c >= 'a' && c <= 'z') : !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return "'" + id + "', character " + (i + 1) + " '" + c + "': segments are lower-case letters, digits and _,"
                        + " starting with a letter (names look like com.example.crew.hello)";
            }
        }
        String[] segments = id.split("\\.");
        if (segments.length < 2) {
            return "'" + id + "': use at least two segments, your organisation's first (com.example.crew.hello)";
        }
        for (String s : segments) {
            if (KEYWORDS.contains(s)) {
                return "'" + id + "': segment '" + s + "' is a Java keyword";
            }
        }
        if (segments[0].equals("crew")) {
            return "'" + id + "': names starting with crew. are CREW's own bundles; start with your organisation's name";
        }
        return null;
    }

    /** Why {@code command} cannot name the command ({@code [a-z][a-z0-9-]*}), or {@code null} if it can. */
    public static String problemWithCommand(String command) {
        if (command.isEmpty()) {
            return "the command name is empty";
        }
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '-');
            if (!ok) {
                return "command '" + command + "', character " + (i + 1) + " '" + c
                        + "': lower-case letters, digits and -, starting with a letter";
            }
        }
        return null;
    }

    /** The command class for a command name: {@code corp-range} becomes {@code CorpRangeCommand}. */
    public static String className(String command) {
        StringBuilder sb = new StringBuilder();
        for (String part : command.split("-")) {
            if (!part.isEmpty()) {
                sb.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return sb.append("Command").toString();
    }

    /**
     * The SDK location as the target definition wants it: a zip becomes {@code jar:file:/…/x.zip!/}, a directory
     * {@code file:/…/dir/}; a URL is kept.
     */
    public static String sdkUrl(String sdk, Path workingDirectory) {
        if (sdk.startsWith("file:") || sdk.startsWith("jar:") || sdk.startsWith("http:") || sdk.startsWith("https:")) {
            return sdk;
        }
        Path path = workingDirectory.resolve(sdk).toAbsolutePath().normalize();
        URI uri = path.toUri();
        return Files.isRegularFile(path) || sdk.endsWith(".zip") ? "jar:" + uri + "!/" : uri.toString();
    }

    /** Writes the project into {@code dir} (which must not exist or be empty) and returns the files written. */
    public static List<Path> write(Path dir, String id, String command, String sdkUrl) throws IOException {
        Map<String, String> values = Map.of(
                "@@ID@@", id,
                "@@COMMAND@@", command,
                "@@CLASS@@", className(command),
                "@@SDK@@", sdkUrl == null ? "" : sdkUrl);
        Map<String, String> pathValues = Map.of(
                "__ID__", id,
                "__PATH__", id.replace('.', '/'),
                "__CLASS__", className(command));
        List<Path> written = new ArrayList<>();
        for (String file : resource("files.txt").lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String content = resource(file);
            for (Map.Entry<String, String> v : values.entrySet()) {
                content = content.replace(v.getKey(), v.getValue());
            }
            if (file.equals("_mvn/maven.config") && sdkUrl == null) {
                content = "";
            }
            String target = file.replace("_gitignore", ".gitignore").replace("_mvn/", ".mvn/");
            for (Map.Entry<String, String> v : pathValues.entrySet()) {
                target = target.replace(v.getKey(), v.getValue());
            }
            Path out = dir.resolve(target);
            Files.createDirectories(out.getParent());
            Files.writeString(out, content, StandardCharsets.UTF_8);
            written.add(out);
        }
        return written;
    }

    private static String resource(String name) {
        try (InputStream in = PluginProjectTemplate.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the plugin template lacks " + ROOT + name + ": crew.cli is incomplete");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
