package crew.agent.internal;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import crew.agent.api.FastPath;
import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;
import crew.cli.internal.VersionCommand;
import crew.tunnel.internal.LabStatusCommand;
import crew.tunnel.internal.TunnelStatusCommand;

/**
 * The crew command's fast path (docs/startup.md): {@code crew --version}, {@code crew agent status},
 * {@code crew tunnel status} and {@code crew lab status} answered in a plain JVM, on the class path of the jars of
 * {@link #BUNDLES}, without starting the OSGi framework, Felix SCR and their 1,200 classes. The commands are the
 * framework's own classes, run by crew.cli's {@link CommandLine} as in the framework, so their output, JSON and exit
 * codes are the same. What it cannot answer ends in {@link FastPath#NOT_ANSWERED} (75) with nothing printed, and the
 * launcher runs the command in the framework: a command other than these, a product whose bundle list it cannot read,
 * a status command that finds no agent (it would then work in-process: {@link FastPath}), any internal error (a
 * class this class path lacks, or a bug, which the framework's run then reports). Its output is held until the
 * command ends, so that a command not answered leaves nothing behind.
 *
 * <pre>java -Dcrew.bundles=PRODUCT/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info -cp JARS crew.agent.internal.PlainClient WORDS...</pre>
 */
public final class PlainClient {
    /** The bundles whose jars are its class path (releng/launcher/crew takes them from the product's bundles.info). */
    public static final List<String> BUNDLES = List.of("crew.agent", "crew.agent.api", "crew.cli", "crew.tunnel", "crew.enforce", "crew.model",
            "com.google.gson");
    /** The system property naming the product's bundles.info, where the versions {@code crew --version} prints are. */
    public static final String BUNDLES_INFO = "crew.bundles";
    /** The system property of the launcher's training run (no arguments; it runs each command once, printing nothing). */
    static final String TRAINING = "crew.fastPath.training";

    private PlainClient() {
    }

    public static void main(String[] args) {
        System.setProperty(FastPath.PROPERTY, "true");
        if (Boolean.getBoolean(TRAINING)) {
            // the launcher's training run for the class data archive: what the commands load, their output nowhere
            Path info = Path.of(System.getProperty(BUNDLES_INFO, ""));
            for (String words : List.of("--version --json", "--version", "agent status --json", "tunnel status --json", "lab status")) {
                run(List.of(words.split(" ")), info, OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
            }
            System.exit(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(Arrays.asList(args), Path.of(System.getProperty(BUNDLES_INFO, "")), out, err);
        if (code != FastPath.NOT_ANSWERED) {
            try (FileOutputStream o = new FileOutputStream(FileDescriptor.out); FileOutputStream e = new FileOutputStream(FileDescriptor.err)) {
                out.writeTo(o);
                err.writeTo(e);
            } catch (IOException e) {
                // stdout closed (a pipe whose reader left): the exit code still says what happened
            }
        }
        System.exit(code);
    }

    /** Whether {@code words} are a command this client runs (it may still not answer it). */
    public static boolean runs(List<String> words) {
        if (words.isEmpty()) {
            return false;
        }
        String first = words.get(0);
        if (first.equals("--version") || first.equals("version")) {
            return true;
        }
        return words.size() >= 2 && words.get(1).equals("status") && (first.equals("agent") || first.equals("tunnel") || first.equals("lab"));
    }

    /**
     * Runs {@code words} as the crew command does, printing into {@code out} and {@code err}; returns its exit code,
     * or {@link FastPath#NOT_ANSWERED} when it is not answered here (then whatever was printed is to be dropped).
     * Only in a JVM whose {@link FastPath#PROPERTY} is set does a status command without an agent end so.
     */
    public static int run(List<String> words, Path bundlesInfo, OutputStream out, OutputStream err) {
        if (!runs(words)) {
            return FastPath.NOT_ANSWERED;
        }
        Map<String, String> versions;
        try {
            versions = versions(bundlesInfo);
        } catch (IOException | RuntimeException e) {
            return FastPath.NOT_ANSWERED;
        }
        String crew = versions.get("crew.cli");
        String framework = versions.get("org.eclipse.osgi");
        if (crew == null || framework == null) {
            return FastPath.NOT_ANSWERED;
        }
        CommandRegistry registry = new CommandRegistry();
        registry.addCommand(new VersionCommand(crew, "org.eclipse.osgi " + framework));
        registry.addCommand(new AgentStatusCommand());
        registry.addCommand(new TunnelStatusCommand());
        registry.addCommand(new LabStatusCommand());
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Path cwd = Path.of(System.getProperty("crew.cwd", System.getProperty("user.dir")));
        int code = new CommandLine(registry).run(words, new CommandContext(o, e, new FileInputStream(FileDescriptor.in), cwd, false));
        // an internal error here may be this class path's (a class it lacks): the framework's run tells
        return code == ExitCode.INTERNAL ? FastPath.NOT_ANSWERED : code;
    }

    /**
     * The version of each bundle a bundles.info lists ({@code name,version,location,level,start} per line, # for
     * comments), the first line of a name counting.
     */
    static Map<String, String> versions(Path bundlesInfo) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(bundlesInfo, StandardCharsets.UTF_8)) {
            String[] f = line.split(",");
            if (!line.startsWith("#") && f.length >= 2) {
                out.putIfAbsent(f[0].strip(), f[1].strip());
            }
        }
        return out;
    }
}
