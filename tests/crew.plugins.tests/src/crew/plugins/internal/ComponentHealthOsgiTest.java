package crew.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;

/**
 * A real broken plugin bundle, built and installed into this framework at test time: an immediate component that
 * throws when the bundle starts, a delayed command component that throws when first used, and a component waiting
 * for a service nobody provides. The start report names each (bundle, component, deepest cause), the delayed one
 * when it is used, and the command exits 3 with a message, no stack trace.
 */
class ComponentHealthOsgiTest {
    private static final String BSN = "acme.test.broken";
    private final BundleContext context = FrameworkUtil.getBundle(ComponentHealthOsgiTest.class).getBundleContext();
    private Bundle broken;
    private StartupReport report;
    private LogReaderService logReader;

    @AfterEach
    void uninstall() throws Exception {
        if (report != null && logReader != null) {
            report.removeLogReader(logReader);
        }
        if (broken != null) {
            broken.uninstall();
        }
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(context, type, null);
        t.open();
        T s = t.waitForService(10_000);
        assertNotNull(s, type.getName() + " is not registered");
        return s;
    }

    @Test
    void givenAPluginWhoseComponentsThrowOrWait_whenTheFrameworkHasStartedAndTheCommandIsUsed_thenEachIsReportedAndTheCommandExits3(@TempDir Path dir)
            throws Exception {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        report = new StartupReport(err, context);
        report.bindScr(service(ServiceComponentRuntime.class));
        logReader = service(LogReaderService.class);
        report.addLogReader(logReader);

        Path jar = brokenPlugin(dir);
        broken = context.installBundle(jar.toUri().toString(), Files.newInputStream(jar));
        broken.start(Bundle.START_ACTIVATION_POLICY);
        CommandRegistry registry = service(CommandRegistry.class);
        long until = System.currentTimeMillis() + 10_000;
        while (registry.find(List.of("acme", "later")).isEmpty() && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertTrue(registry.find(List.of("acme", "later")).isPresent(), "the delayed command is registered (by its @Command properties)");

        // what SCR knows once the framework has started: the immediate component's failure and the waiting one
        report.reportComponents();
        String start = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(start.contains("crew: component acme.test.immediate of bundle acme.test.broken 1.0.0 failed to activate: "
                + "java.lang.UnsupportedOperationException: ACME later: broken on purpose (crew plugin list; crew plugin remove ID)"), start);
        assertTrue(start.contains("crew: component acme.test.waiting of bundle acme.test.broken 1.0.0 does not run: it waits for a service "
                + "nobody provides: missing (crew.cli.CliCommand) (acme.nobody=true)"), start);
        assertFalse(start.contains("acme.test.later"), "the delayed component has not been used yet: " + start);
        assertFalse(start.contains("of bundle crew."), "CREW's own components are not reported as waiting: " + start);
        report.reportComponents();
        assertEquals(start, errBytes.toString(StandardCharsets.UTF_8), "each problem is reported once");

        // the delayed command, when used: exit 3, a message naming bundle, component and cause, no stack trace
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream commandErr = new ByteArrayOutputStream();
        CommandContext c = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(commandErr, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), dir, false);
        int rc = new CommandLine(registry).run(List.of("acme", "later"), c);
        String message = commandErr.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.UNAVAILABLE, rc, message);
        assertEquals("crew acme later: cannot run: its component acme.test.later of bundle acme.test.broken 1.0.0 failed to activate: "
                + "java.lang.UnsupportedOperationException: ACME later: broken on purpose (crew plugin list; crew plugin remove ID)\n", message);
        String used = errBytes.toString(StandardCharsets.UTF_8).substring(start.length());
        assertTrue(used.contains("crew: component acme.test.later of bundle acme.test.broken 1.0.0 failed when first used: "
                + "java.lang.UnsupportedOperationException: ACME later: broken on purpose"), "reported when used: " + used);

        // the rest of CREW still works
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        CommandContext h = new CommandContext(new PrintStream(help, true, StandardCharsets.UTF_8), new PrintStream(OutputStream.nullOutputStream()),
                new ByteArrayInputStream(new byte[0]), dir, false);
        assertEquals(ExitCode.OK, new CommandLine(registry).run(List.of("help"), h));
        assertTrue(help.toString(StandardCharsets.UTF_8).contains("plugin list"), help.toString(StandardCharsets.UTF_8));
    }

    /** The plugin jar: this fragment's ThrowingCommand class and three component descriptions. */
    private static Path brokenPlugin(Path dir) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", BSN);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Vendor", "ACME");
        a.putValue("Bundle-ActivationPolicy", "lazy");
        a.putValue("Import-Package", "crew.cli");
        a.putValue("Service-Component", "OSGI-INF/immediate.xml,OSGI-INF/later.xml,OSGI-INF/waiting.xml");
        Path jar = dir.resolve(BSN + "_1.0.0.jar");
        String cls = "acme/test/broken/ThrowingCommand.class";
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar), m);
                InputStream in = ComponentHealthOsgiTest.class.getClassLoader().getResourceAsStream(cls)) {
            assertNotNull(in, cls);
            j.putNextEntry(new JarEntry(cls));
            in.transferTo(j);
            entry(j, "OSGI-INF/immediate.xml", component("acme.test.immediate", "immediate=\"true\"", ""));
            entry(j, "OSGI-INF/later.xml", component("acme.test.later", "", """
                       <property name="crew.command.name" value="acme later"/>
                       <property name="crew.command.summary" value="a command whose component throws"/>
                    """));
            entry(j, "OSGI-INF/waiting.xml", component("acme.test.waiting", "", """
                       <reference name="missing" interface="crew.cli.CliCommand" target="(acme.nobody=true)"/>
                    """));
        }
        return jar;
    }

    private static String component(String name, String attributes, String body) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s" %s>
                   <implementation class="acme.test.broken.ThrowingCommand"/>
                   <service><provide interface="crew.cli.CliCommand"/></service>
                %s</scr:component>
                """.formatted(name, attributes, body);
    }

    private static void entry(JarOutputStream j, String name, String text) throws Exception {
        j.putNextEntry(new JarEntry(name));
        j.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
