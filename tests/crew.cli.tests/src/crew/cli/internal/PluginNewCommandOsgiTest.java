package crew.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;

/**
 * {@code crew plugin new} inside Equinox, reading the template from the crew.cli bundle. That the project it writes
 * builds and passes its tests against the SDK is checked by the product build (releng/sdk/sdk-check.sh).
 */
class PluginNewCommandOsgiTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int crew(Path cwd, String... args) throws Exception {
        BundleContext ctx = FrameworkUtil.getBundle(PluginNewCommandOsgiTest.class).getBundleContext();
        ServiceTracker<CommandRegistry, CommandRegistry> t = new ServiceTracker<>(ctx, CommandRegistry.class, null);
        t.open();
        CommandRegistry registry = t.waitForService(10_000);
        assertNotNull(registry);
        out.reset();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new CommandLine(registry).run(List.of(args),
                new CommandContext(ps, ps, new ByteArrayInputStream(new byte[0]), cwd, false));
    }

    @Test
    void givenANewName_whenCrewPluginNew_thenTheProjectIsWrittenWithTheSdkUrl(@TempDir Path cwd) throws Exception {
        Files.writeString(cwd.resolve("crew-sdk-1.0.zip"), "");
        assertEquals(ExitCode.OK, crew(cwd, "plugin", "new", "com.example.crew.hello", "--sdk", "crew-sdk-1.0.zip", "--json"),
                out.toString(StandardCharsets.UTF_8));
        JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("hello", json.get("command").getAsString());
        assertEquals("jar:" + cwd.resolve("crew-sdk-1.0.zip").toUri() + "!/", json.get("sdk").getAsString());
        List<String> files = new ArrayList<>();
        json.getAsJsonArray("files").forEach(f -> files.add(f.getAsString()));
        assertTrue(files.contains("com.example.crew.hello/src/com/example/crew/hello/HelloCommand.java"), files.toString());
        assertTrue(files.contains("com.example.crew.hello.site/category.xml"), files.toString());
        assertTrue(Files.readString(cwd.resolve("com.example.crew.hello/.mvn/maven.config")).contains("crew-sdk-1.0.zip!/"));
    }

    @Test
    void givenBadInput_whenCrewPluginNew_thenExitTwoNamingTheProblem(@TempDir Path cwd) throws Exception {
        assertEquals(ExitCode.BAD_INPUT, crew(cwd, "plugin", "new", "Com.example"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("character 1 'C'"), out.toString(StandardCharsets.UTF_8));
        Files.createDirectories(cwd.resolve("taken"));
        Files.writeString(cwd.resolve("taken/file"), "x");
        assertEquals(ExitCode.BAD_INPUT, crew(cwd, "plugin", "new", "com.example.x", "--dir", "taken"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("is not an empty directory"), out.toString(StandardCharsets.UTF_8));
        assertEquals(ExitCode.BAD_INPUT, crew(cwd, "plugin", "new"));
    }
}
