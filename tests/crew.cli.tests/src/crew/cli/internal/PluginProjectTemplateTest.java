package crew.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PluginProjectTemplateTest {

    @ParameterizedTest
    @ValueSource(strings = {"com.example.crew.hello", "acme.corprange", "org.example2.crew_syslog"})
    void givenAValidPluginName_whenChecked_thenThereIsNoProblem(String id) {
        assertNull(PluginProjectTemplate.problemWithId(id));
    }

    @Test
    void givenBadPluginNames_whenChecked_thenTheProblemNamesTheCharacter() {
        assertEquals("'Acme.hello', character 1 'A': segments are lower-case letters, digits and _, starting with a letter"
                + " (names look like com.example.crew.hello)", PluginProjectTemplate.problemWithId("Acme.hello"));
        assertTrue(PluginProjectTemplate.problemWithId("acme..hello").contains("character 6: empty segment"));
        assertTrue(PluginProjectTemplate.problemWithId("acme.hel-lo").contains("character 9 '-'"));
        assertTrue(PluginProjectTemplate.problemWithId("hello").contains("at least two segments"));
        assertTrue(PluginProjectTemplate.problemWithId("acme.new.x").contains("'new' is a Java keyword"));
        assertTrue(PluginProjectTemplate.problemWithId("crew.hello").contains("CREW's own bundles"));
        assertTrue(PluginProjectTemplate.problemWithCommand("Hello").contains("character 1 'H'"));
        assertNull(PluginProjectTemplate.problemWithCommand("corp-range"));
    }

    @Test
    void givenCommandNames_whenMadeClassNames_thenTheyAreCamelCase() {
        assertEquals("HelloCommand", PluginProjectTemplate.className("hello"));
        assertEquals("CorpRangeCommand", PluginProjectTemplate.className("corp-range"));
    }

    @Test
    void givenSdkLocations_whenMadeUrls_thenZipsAreJarUrlsAndDirectoriesFileUrls(@TempDir Path dir) throws Exception {
        Path zip = Files.writeString(dir.resolve("crew-sdk-1.zip"), "");
        assertEquals("jar:" + zip.toUri() + "!/", PluginProjectTemplate.sdkUrl("crew-sdk-1.zip", dir));
        Files.createDirectory(dir.resolve("sdk"));
        assertEquals(dir.resolve("sdk").toUri().toString(), PluginProjectTemplate.sdkUrl("sdk", dir));
        assertEquals("file:/opt/sdk/", PluginProjectTemplate.sdkUrl("file:/opt/sdk/", dir));
    }

    @Test
    void givenANameAndAnSdk_whenWritten_thenEveryFileIsThereWithNoPlaceholderLeft(@TempDir Path dir) throws Exception {
        var files = PluginProjectTemplate.write(dir, "com.example.crew.corp_range", "corp-range", "jar:file:/sdk.zip!/");
        assertEquals(18, files.size());
        for (Path f : files) {
            String text = Files.readString(f);
            assertTrue(!text.contains("@@") && !f.toString().contains("__"), f + " keeps a placeholder");
        }
        Path bundle = dir.resolve("com.example.crew.corp_range");
        String manifest = Files.readString(bundle.resolve("META-INF/MANIFEST.MF"));
        assertTrue(manifest.contains("Bundle-SymbolicName: com.example.crew.corp_range\n"), manifest);
        assertTrue(manifest.contains("Bundle-ActivationPolicy: lazy"), "without it SCR never starts the component");
        assertTrue(manifest.contains("crew.cli;version=\"[1.0.0,2.0.0)\""), manifest);
        String command = Files.readString(bundle.resolve("src/com/example/crew/corp_range/CorpRangeCommand.java"));
        assertTrue(command.contains("return \"corp-range\";"), command);
        assertNotNull(Files.readString(dir.resolve("com.example.crew.corp_range.tests/src/com/example/crew/corp_range/CorpRangeCommandTest.java")));
        assertEquals("-Dcrew.sdk=jar:file:/sdk.zip!/\n", Files.readString(dir.resolve(".mvn/maven.config")));
        assertTrue(Files.readString(dir.resolve("crew-sdk.target")).contains("${system_property:crew.sdk}"));
        assertTrue(Files.exists(dir.resolve(".gitignore")));
        assertTrue(Files.readString(dir.resolve("pom.xml")).contains("<module>com.example.crew.corp_range.site</module>"));
    }
}
