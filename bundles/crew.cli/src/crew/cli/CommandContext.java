package crew.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import crew.cli.internal.ControlEscapingOutputStream;

/** What a running command may use: its output streams, stdin, the working directory, and the JSON choice. */
public final class CommandContext {
    /** Gson is created for the first JSON output only: its classes are a tenth of what a plain command loads. */
    private static final class Json {
        static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();
    }

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Path workingDirectory;
    private final boolean json;
    private final boolean escaping;

    public CommandContext(PrintStream out, PrintStream err, InputStream in, Path workingDirectory, boolean json) {
        this(out, err, in, workingDirectory, json, false);
    }

    private CommandContext(PrintStream out, PrintStream err, InputStream in, Path workingDirectory, boolean json, boolean escaping) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.workingDirectory = workingDirectory;
        this.json = json;
        this.escaping = escaping;
    }

    /**
     * This context with output that shows control and bidirectional characters as escapes (ESC as backslash-u001b)
     * instead of sending them to the terminal ({@link ControlEscapingOutputStream}); the streams must take UTF-8.
     */
    public CommandContext escapingControls() {
        if (escaping) {
            return this;
        }
        return new CommandContext(escaping(out), escaping(err), in, workingDirectory, json, true);
    }

    private static PrintStream escaping(PrintStream stream) {
        return new PrintStream(new ControlEscapingOutputStream(stream), true, StandardCharsets.UTF_8);
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public InputStream in() {
        return in;
    }

    /** Whether the user asked for {@code --json}. */
    public boolean json() {
        return json;
    }

    /** Resolves a path the user typed against the directory crew was started in. */
    public Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }

    /** Prints {@code value} (records, maps, lists) as JSON on stdout. */
    public void printJson(Object value) {
        out.println(Json.GSON.toJson(value));
    }

    /** A context for the same streams with another JSON choice. */
    public CommandContext withJson(boolean newJson) {
        return new CommandContext(out, err, in, workingDirectory, newJson, escaping);
    }
}
