package crew.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headless configuration's bundle list kept current after a plugin install and removal, in a product folder laid
 * out as the build lays it out (the lists as releng/HeadlessConfiguration.java and prepare-product.sh write them), with
 * plugin jars whose manifests need the workbench or not.
 */
class HeadlessListTest {
    static final List<String> BUILT = List.of("#encoding=UTF-8", "#version=1", "crew.cli,1.0.0,plugins/crew.cli_1.0.0.jar,4,false",
            "org.eclipse.jface,3.30.0,plugins/org.eclipse.jface_3.30.0.jar,4,false", "org.eclipse.swt,3.120.0,plugins/org.eclipse.swt_3.120.0.jar,4,false");
    @TempDir
    Path product;
    Path full;
    Path headless;
    Path agent;
    byte[] builtHeadless;
    byte[] builtAgent;

    @BeforeEach
    void layout() throws IOException {
        full = product.resolve("configuration").resolve(HeadlessList.INFO);
        headless = product.resolve("configuration-headless").resolve(HeadlessList.INFO);
        agent = product.resolve("configuration-agent").resolve(HeadlessList.INFO);
        for (Path p : List.of(full, headless, agent)) {
            Files.createDirectories(p.getParent());
        }
        Files.write(full, BUILT);
        Files.write(headless, BUILT.subList(0, 3));
        Files.write(agent, BUILT.subList(0, 3));
        builtHeadless = Files.readAllBytes(headless);
        builtAgent = Files.readAllBytes(agent);
        Files.write(product.resolve("configuration-headless").resolve(HeadlessList.WORKBENCH_ONLY), List.of("# the build's",
                "bundle org.eclipse.jface", "bundle org.eclipse.swt", "package org.eclipse.jface.viewers", "package org.eclipse.swt.widgets"));
        Files.write(product.resolve("agent-bundles.list"), List.of("# the build's", "crew.cli,1.0.0"));
        Files.createDirectories(product.resolve("plugins"));
    }

    @Test
    void givenPluginsInstalled_whenUpdated_thenTheHeadlessListHasTheHeadlessPluginsAndNotTheWorkbenchOnesAndTheAgentsIsUnchanged() throws Exception {
        List<String> installed = new ArrayList<>(BUILT);
        installed.add(plugin("acme.cli", "Import-Package", "crew.cli;version=\"[1.0.0,2.0.0)\",org.eclipse.swt.widgets;resolution:=optional"));
        installed.add(plugin("acme.view", "Require-Bundle", "org.eclipse.swt;bundle-version=\"3.0.0\""));
        installed.add(plugin("acme.viewer", "Import-Package", "crew.cli,org.eclipse.jface.viewers"));
        installed.add(plugin("acme.viewuser", "Require-Bundle", "acme.view"));
        installed.add(plugin("acme.fragment", "Fragment-Host", "org.eclipse.swt"));
        Files.write(full, installed);
        Optional<String> said = HeadlessList.update(product);
        List<String> names = Files.readAllLines(headless).stream().filter(l -> !l.startsWith("#")).map(l -> l.split(",")[0]).toList();
        assertEquals(List.of("crew.cli", "acme.cli"), names, said.orElse(""));
        String s = said.orElseThrow();
        assertTrue(s.startsWith("headless configuration: 2 bundles, 1 of them a plugin's"), s);
        assertTrue(s.contains("acme.view (needs bundle org.eclipse.swt") && s.contains("acme.viewer (needs package org.eclipse.jface.viewers")
                && s.contains("acme.viewuser (needs bundle acme.view") && s.contains("acme.fragment (needs bundle org.eclipse.swt"), s);
        assertArrayEquals(builtAgent, Files.readAllBytes(agent), "the agent's list is never changed");
        assertTrue(Files.getLastModifiedTime(headless).compareTo(Files.getLastModifiedTime(full)) >= 0, "the launcher takes a list not older than the product's");
    }

    @Test
    void givenThePluginRemovedAgain_whenUpdated_thenTheHeadlessListIsByteForByteTheBuilt() throws Exception {
        List<String> installed = new ArrayList<>(BUILT);
        installed.add(2, plugin("acme.cli", "Import-Package", "crew.cli"));
        Files.write(full, installed);
        HeadlessList.update(product);
        assertTrue(Files.readString(headless).contains("acme.cli,1.0.0,plugins/acme.cli_1.0.0.jar,4,false"));
        Files.write(full, BUILT);
        HeadlessList.update(product);
        assertArrayEquals(builtHeadless, Files.readAllBytes(headless));
    }

    @Test
    void givenAProductBuiltBeforeTheWorkbenchList_whenUpdated_thenNothingIsWrittenAndItSaysSo() throws Exception {
        Files.delete(product.resolve("configuration-headless").resolve(HeadlessList.WORKBENCH_ONLY));
        Files.write(full, List.of(BUILT.get(0), BUILT.get(1), BUILT.get(2), plugin("acme.cli", "Import-Package", "crew.cli")));
        String s = HeadlessList.update(product).orElseThrow();
        assertTrue(s.contains("not updated") && s.contains(HeadlessList.WORKBENCH_ONLY), s);
        assertArrayEquals(builtHeadless, Files.readAllBytes(headless));
    }

    @Test
    void givenNoHeadlessConfiguration_whenUpdated_thenNothingHappens() throws Exception {
        Files.delete(headless);
        assertTrue(HeadlessList.update(product).isEmpty());
    }

    /** A plugin jar in plugins/ with one header, and its bundles.info line. */
    private String plugin(String name, String header, String value) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", name);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Export-Package", name + ".api");
        a.putValue(header, value);
        String file = "plugins/" + name + "_1.0.0.jar";
        try (OutputStream out = Files.newOutputStream(product.resolve(file)); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return name + ",1.0.0," + file + ",4,false";
    }
}
