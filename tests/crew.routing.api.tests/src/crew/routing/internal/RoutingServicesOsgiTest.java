package crew.routing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.RouteLookup;
import crew.routing.api.RoutingBackends;
import crew.routing.inspect.RouteClass;
import crew.routing.inspect.RouteClassifier;
import crew.routing.inspect.RouteInspector;

/** Inside Equinox: DS selects backends by ranking, the inspect command runs on the simulated backend. */
class RoutingServicesOsgiTest {

    private static <T> T service(Class<T> type) throws InterruptedException {
        BundleContext ctx = FrameworkUtil.getBundle(RoutingServicesOsgiTest.class).getBundleContext();
        ServiceTracker<T, T> t = new ServiceTracker<>(ctx, type, null);
        t.open();
        T s = t.waitForService(10_000);
        assertNotNull(s, type.getSimpleName() + " not registered");
        return s;
    }

    @Test
    void givenTheSimulatedBackend_whenSelecting_thenItIsFoundByPlatformAndRankedLowest() throws Exception {
        RoutingBackends backends = service(RoutingBackends.class);
        assertTrue(backends.forPlatform("sim").isPresent());
        assertEquals("sim", backends.all().get(backends.all().size() - 1).platform(), "sim has the lowest ranking");
        assertTrue(backends.best().isPresent());
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

    @Test
    void givenRoutesOfEveryKind_whenClassified_thenBuiltInClassesAndClassifiersApply() {
        DeviceRoute lan = DeviceRoute.of(Cidr.parse("192.168.1.0/24"), null, "wlan0", 0);
        DeviceRoute tunnel = DeviceRoute.of(Cidr.parse("10.0.0.0/8"), IpAddress.parse("10.200.0.1"), "tun0", 0);
        DeviceRoute linkLocal = DeviceRoute.of(Cidr.parse("169.254.0.0/16"), null, "wlan0", 0);
        DeviceRoute local = DeviceRoute.of(Cidr.parse("192.168.1.5/32"), null, "wlan0", 0).withTable(DeviceRoute.LOCAL_TABLE);
        assertEquals(RouteClass.OTHER, RouteInspector.builtIn(lan).routeClass());
        assertEquals(RouteClass.TUNNEL, RouteInspector.builtIn(tunnel).routeClass());
        assertEquals(RouteClass.IGNORED_RANGE, RouteInspector.builtIn(linkLocal).routeClass());
        assertEquals(RouteClass.LOCAL, RouteInspector.builtIn(local).routeClass());
        RouteClassifier session = (route, table) -> route.interfaceName() != null && route.interfaceName().equals("tun0")
                ? Optional.of(new RouteClassifier.Classification(RouteClass.PROTECTED, "protected by session test"))
                : Optional.empty();
        RouteInspector inspector = new RouteInspector(List.of(session));
        assertEquals(RouteClass.PROTECTED, inspector.classify(tunnel, List.of()).routeClass());
        assertEquals(RouteClass.OTHER, inspector.classify(lan, List.of()).routeClass());
        assertEquals(tunnel, RouteLookup.lookupMain(List.of(lan, tunnel), IpAddress.parse("10.1.2.3")).orElseThrow());
    }
}
