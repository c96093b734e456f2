package crew.ui.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.eclipse.equinox.p2.core.IProvisioningAgentProvider;
import org.eclipse.equinox.p2.publisher.eclipse.FeaturesAndBundlesPublisherApplication;
import org.eclipse.jface.preference.IPreferenceNode;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import crew.plugins.PluginManager;
import crew.testing.Prerequisites;
import crew.testing.Screenshots;
import crew.testing.UiWait;

/**
 * The Plugins preference page over a real p2 install: a plugin (a bundle whose component provides a crew command, and
 * its feature), built and published with p2's publisher here, installed with the p2 director into a scratch product
 * with its own profile, listed with the service it provides, an unsigned install refused with the unit named, and
 * removed from the page.
 */
class PluginsPreferencePageTest {
    @TempDir
    static Path dir;
    static BundleContext context;

    @BeforeAll
    static void startLazyBundles() {
        context = FrameworkUtil.getBundle(PluginsPreferencePageTest.class).getBundleContext();
        // as the product's launcher does: lazily activated bundles are started, so that SCR runs their components
        for (Bundle b : context.getBundles()) {
            if ("lazy".equals(b.getHeaders("").get("Bundle-ActivationPolicy")) && b.getHeaders("").get("Fragment-Host") == null) {
                try {
                    b.start(Bundle.START_ACTIVATION_POLICY);
                } catch (BundleException e) {
                    // a bundle that does not resolve here is not this test's business
                }
            }
        }
    }

    @Test
    void thePageIsOfferedAsAPreferenceNodeService() {
        boolean found = false;
        try {
            for (ServiceReference<IPreferenceNode> ref : context.getServiceReferences(IPreferenceNode.class, null)) {
                IPreferenceNode node = context.getService(ref);
                found |= node != null && "crew.plugins".equals(node.getId()) && "Plugins".equals(node.getLabelText());
                context.ungetService(ref);
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(found, "an IPreferenceNode service crew.plugins labelled Plugins, for crew.ui.app's dialog");
    }

    @Test
    void installedPluginsTheirServicesARefusalAndARemoval() throws Exception {
        Prerequisites.requireDisplay();
        Path repo = publish("acme.ui.test", "crew.cli.CliCommand");
        Path product = Files.createDirectories(dir.resolve("product"));
        PluginManager manager = new PluginManager(service(IProvisioningAgentProvider.class), service(ServiceComponentRuntime.class), product, "CrewUiTest");
        var installed = manager.install(repo, List.of(), true);
        assertTrue(installed.ok(), String.join("\n", installed.messages()));

        Display display = Display.getDefault();
        Shell shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setText("Preferences - Plugins");
        shell.setLayout(new FillLayout());
        try {
            PluginsPreferencePage page = new PluginsPreferencePage(manager);
            page.createControl(shell);
            shell.setSize(820, 560);
            shell.open();
            TreeItem[] plugins = page.pluginsTree().getItems();
            assertEquals(1, plugins.length, "one plugin");
            assertTrue(plugins[0].getText(0).contains("acme.ui.test.feature.feature.group"), plugins[0].getText(0));
            TreeItem bundle = plugins[0].getItems()[0];
            assertEquals("acme.ui.test", bundle.getText(0));
            assertEquals("NOT LOADED", bundle.getText(2), "installed into another product: not loaded here");
            assertEquals("crew.cli.CliCommand", bundle.getText(3), "the service its component declares");
            Screenshots.save(shell, "plugins-preference-page");

            // unsigned content without the check box: refused, and the report names the unit
            page.install(publish("acme.ui.unsigned", "crew.design.LintRule"));
            UiWait.until(display, () -> !page.busy(), 120_000, "the install to finish");
            String report = page.reportText().getText();
            assertTrue(report.contains("Refused") && report.contains("unsigned") && report.contains("acme.ui.unsigned"), report);
            assertEquals(1, page.pluginsTree().getItemCount(), "still one plugin");

            page.pluginsTree().setSelection(plugins[0]);
            page.remove("acme.ui.test.feature.feature.group");
            UiWait.until(display, () -> !page.busy(), 120_000, "the removal to finish");
            assertEquals(0, page.pluginsTree().getItemCount(), page.reportText().getText());
            assertTrue(page.reportText().getText().startsWith("Done: acme.ui.test.feature.feature.group"), page.reportText().getText());
            assertTrue(Files.notExists(product.resolve("plugins/acme.ui.test_1.0.0.jar")), "the bundle's jar is gone");
        } finally {
            shell.dispose();
        }
    }

    private static <T> T service(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        assertNotNull(ref, "no " + type.getName() + " service");
        return context.getService(ref);
    }

    /** A p2 repository with feature NAME.feature holding bundle NAME, whose component provides {@code service}. */
    private static Path publish(String name, String service) throws Exception {
        Path source = dir.resolve("src-" + name);
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", name);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-ActivationPolicy", "lazy");
        a.putValue("Service-Component", "OSGI-INF/c.xml");
        jar(source.resolve("plugins/" + name + "_1.0.0.jar"), m, "OSGI-INF/c.xml",
                "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + ".c\"><implementation class=\"" + name
                        + ".C\"/><service><provide interface=\"" + service + "\"/></service></scr:component>");
        Manifest fm = new Manifest();
        fm.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        jar(source.resolve("features/" + name + ".feature_1.0.0.jar"), fm, "feature.xml",
                "<feature id=\"" + name + ".feature\" label=\"ACME " + name + "\" version=\"1.0.0\" provider-name=\"ACME\"><plugin id=\"" + name
                        + "\" version=\"1.0.0\"/></feature>");
        Path repo = dir.resolve("repo-" + name);
        List<String> args = new ArrayList<>(List.of("-metadataRepository", repo.toUri().toString(), "-artifactRepository", repo.toUri().toString(),
                "-source", source.toString(), "-publishArtifacts"));
        Object result = new FeaturesAndBundlesPublisherApplication().run(args.toArray(String[]::new));
        assertEquals(0, result, "p2 publisher");
        return repo;
    }

    private static void jar(Path file, Manifest m, String entry, String content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream raw = Files.newOutputStream(file); JarOutputStream out = new JarOutputStream(raw, m)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
