package crew.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;

/** Inside Equinox: {@code crew inspect} (now in crew.cli, out of the routing SPI bundle) runs on the simulated backend. */
class InspectCommandOsgiTest {

    private static <T> T service(Class<T> type) throws InterruptedException {
        BundleContext ctx = FrameworkUtil.getBundle(InspectCommandOsgiTest.class).getBundleContext();
        ServiceTracker<T, T> t = new ServiceTracker<>(ctx, type, null);
        t.open();
        T s = t.waitForService(10_000);
        assertNotNull(s, type.getSimpleName() + " not registered");
        return s;
    }

    @Test
    void givenTheInspectCommand_whenRunOnTheSimBackendAsJson_thenEveryRouteIsClassified() throws Exception {
        CommandRegistry registry = service(CommandRegistry.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new CommandLine(registry).run(List.of("inspect", "--backend", "sim", "--json"),
                new CommandContext(ps, ps, new ByteArrayInputStream(new byte[0]), Path.of("."), false));
        assertEquals(ExitCode.OK, code, out.toString(StandardCharsets.UTF_8));
        JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("sim", json.get("backend").getAsString());
        assertTrue(json.getAsJsonArray("routes").size() >= 5);
        json.getAsJsonArray("routes").forEach(r -> assertTrue(r.getAsJsonObject().has("class")));
        assertEquals(ExitCode.BAD_INPUT, new CommandLine(registry).run(List.of("inspect", "--backend", "nope"),
                new CommandContext(ps, ps, new ByteArrayInputStream(new byte[0]), Path.of("."), false)));
    }

}
