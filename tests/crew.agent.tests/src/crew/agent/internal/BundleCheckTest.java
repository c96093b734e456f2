package crew.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.eclipse.osgi.launch.EquinoxFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;

/**
 * The agent's bundle check against a real Equinox framework of its own (not the test runtime's): bundles made here
 * as jars, installed as the product's simpleconfigurator installs them (reference:file: locations), in a product
 * folder with its agent-bundles.list.
 */
class BundleCheckTest {
    Path dir;
    Path product;
    Framework framework;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("crew-bundle-check");
        product = dir.resolve("product");
        Files.createDirectories(product.resolve("plugins"));
        Map<String, String> config = new HashMap<>();
        config.put("org.osgi.framework.storage", dir.resolve("storage").toString());
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        config.put("osgi.framework.useSystemProperties", "false");
        framework = new EquinoxFactory().newFramework(config);
        framework.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void givenOnlyTheShippedBundles_whenChecked_thenThereIsNoRefusalAndTheCountIsSaid() throws Exception {
        install(bundle(product.resolve("plugins"), "crew.sample", "1.2.3"));
        install(bundle(product.resolve("plugins"), "crew.other", "0.1.0.v1"));
        list("crew.sample,1.2.3", "crew.other,0.1.0.v1");
        List<String> notes = new ArrayList<>();
        Optional<String> refusal = BundleCheck.refusal(framework.getBundleContext(), product, notes::add);
        assertTrue(refusal.isEmpty(), refusal.orElse(""));
        assertEquals(List.of("2 bundles, all of them CREW's own (" + product.resolve(BundleCheck.LIST) + ")"), notes);
    }

    @Test
    void givenAForeignBundleInstalled_whenChecked_thenItIsRefusedNamingItsSymbolicNameAndLocation() throws Exception {
        install(bundle(product.resolve("plugins"), "crew.sample", "1.2.3"));
        Bundle foreign = install(bundle(product.resolve("plugins"), "acme.crew.fixture", "1.0.0"));
        foreign.start();
        list("crew.sample,1.2.3");
        Optional<String> refusal = BundleCheck.refusal(framework.getBundleContext(), product, n -> { });
        assertTrue(refusal.isPresent());
        assertTrue(refusal.get().contains("acme.crew.fixture 1.0.0 (location " + foreign.getLocation() + "): not one of CREW's own bundles"), refusal.get());
        assertTrue(!refusal.get().contains("crew.sample"), refusal.get());
    }

    @Test
    void givenAShippedNameAndVersionFromOutsideThePluginsFolder_whenChecked_thenItIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Bundle impostor = install(bundle(elsewhere, "crew.sample", "1.2.3"));
        list("crew.sample,1.2.3");
        List<BundleCheck.Foreign> foreign = BundleCheck.foreign(framework.getBundleContext(), BundleCheck.read(product.resolve(BundleCheck.LIST)), product);
        assertEquals(1, foreign.size(), foreign.toString());
        assertEquals("crew.sample", foreign.get(0).symbolicName());
        assertEquals(impostor.getLocation(), foreign.get(0).location());
        assertTrue(foreign.get(0).why().startsWith("not from " + product.resolve("plugins")), foreign.get(0).why());
    }

    @Test
    void givenAVersionNotShipped_whenChecked_thenItIsRefused() throws Exception {
        install(bundle(product.resolve("plugins"), "crew.sample", "1.2.4"));
        list("crew.sample,1.2.3");
        assertEquals(1, BundleCheck.foreign(framework.getBundleContext(), BundleCheck.read(product.resolve(BundleCheck.LIST)), product).size());
    }

    @Test
    void givenNoList_whenChecked_thenNothingIsRefusedAndTheNoteSaysItWasNotChecked() throws Exception {
        install(bundle(product.resolve("plugins"), "acme.crew.fixture", "1.0.0"));
        List<String> notes = new ArrayList<>();
        assertTrue(BundleCheck.refusal(framework.getBundleContext(), product, notes::add).isEmpty());
        assertTrue(notes.get(0).contains("not checked"), notes.toString());
    }

    @Test
    void givenAMalformedList_whenRead_thenTheErrorNamesTheLine() throws Exception {
        list("crew.sample,1.2.3", "crew.other");
        IOException e = assertThrows(IOException.class, () -> BundleCheck.read(product.resolve(BundleCheck.LIST)));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("crew.other"), e.getMessage());
    }

    private Bundle install(Path jar) throws Exception {
        return framework.getBundleContext().installBundle("reference:" + jar.toUri());
    }

    private void list(String... lines) throws IOException {
        List<String> all = new ArrayList<>(List.of("# made by the test"));
        all.addAll(List.of(lines));
        Files.write(product.resolve(BundleCheck.LIST), all);
    }

    /** A bundle jar with just a manifest. */
    static Path bundle(Path folder, String name, String version) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", name);
        a.putValue("Bundle-Version", version);
        Path jar = folder.resolve(name + "_" + version + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }
}
