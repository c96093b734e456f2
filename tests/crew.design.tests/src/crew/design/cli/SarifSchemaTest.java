package crew.design.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;
import crew.design.Designs;
import crew.testing.Prerequisites;

/**
 * {@code crew lint --format sarif} checked against the SARIF 2.1.0 JSON schema (OASIS's, as the npm package
 * {@code @microsoft/jest-sarif} ships it; .ci/run fetches it and names it in {@value #ENV}), with a real JSON Schema
 * validator: relative and absolute inputs whose names need percent-encoding, regions at the findings' places.
 */
class SarifSchemaTest {
    /** The environment variable .ci/run sets to the schema file. */
    static final String ENV = "CREW_SARIF_SCHEMA";

    private static Schema schema;
    private ServiceTracker<CommandRegistry, CommandRegistry> tracker;

    @BeforeAll
    static void loadSchema() throws Exception {
        String file = System.getenv(ENV);
        Prerequisites.require(file != null && Files.isRegularFile(Path.of(file)),
                ENV + " does not name the SARIF 2.1.0 schema file (.ci/run fetches it: npm pack @microsoft/jest-sarif, lib/schemas/sarif-2.1.0-rtm.5.json)");
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(Files.readString(Path.of(file)), InputFormat.JSON);
    }

    @BeforeEach
    void open() {
        tracker = new ServiceTracker<>(FrameworkUtil.getBundle(SarifSchemaTest.class).getBundleContext(), CommandRegistry.class, null);
        tracker.open();
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    /** {@code crew lint --format sarif ARG} run in {@code cwd}, through the dispatcher; the output checked against the schema. */
    private JsonObject sarif(Path cwd, String... args) throws Exception {
        CommandRegistry registry = tracker.waitForService(10_000);
        assertNotNull(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), cwd, false);
        List<String> words = new java.util.ArrayList<>(List.of("lint", "--format", "sarif"));
        words.addAll(List.of(args));
        int code = new CommandLine(registry).run(words, ctx);
        assertEquals(ExitCode.FINDINGS, code, err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        List<Error> errors = schema.validate(text, InputFormat.JSON);
        assertTrue(errors.isEmpty(), "not valid SARIF 2.1.0: " + errors + "\n" + text);
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static JsonObject run(JsonObject log) {
        return log.getAsJsonArray("runs").get(0).getAsJsonObject();
    }

    private static JsonObject physical(JsonElement result) {
        return result.getAsJsonObject().getAsJsonArray("locations").get(0).getAsJsonObject().getAsJsonObject("physicalLocation");
    }

    /** The full-tunnel example (it has findings) in a directory whose name needs every kind of escaping. */
    private static Path awkward(Path dir) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("dir #1 %x \u00e9"));
        Path design = sub.resolve("full tunnel.crew.json");
        Files.copy(Designs.root().resolve("designs/full-tunnel.crew.json"), design);
        return design;
    }

    @Test
    void givenARelativeInput_whenLintedAsSarif_thenValidWithARelativeUriAgainstSrcroot(@TempDir Path dir) throws Exception {
        Path design = awkward(dir);
        JsonObject run = run(sarif(dir, dir.relativize(design).toString()));
        JsonObject artifact = physical(run.getAsJsonArray("results").get(0)).getAsJsonObject("artifactLocation");
        assertEquals("dir%20%231%20%25x%20%C3%A9/full%20tunnel.crew.json", artifact.get("uri").getAsString());
        assertEquals("%SRCROOT%", artifact.get("uriBaseId").getAsString());
        String base = run.getAsJsonObject("originalUriBaseIds").getAsJsonObject("%SRCROOT%").get("uri").getAsString();
        assertTrue(base.startsWith("file:/") && base.endsWith("/"), base);
        // the reference resolves against the base to the very file
        assertEquals(design, Path.of(URI.create(base).resolve(artifact.get("uri").getAsString())));
    }

    @Test
    void givenAnAbsoluteInput_whenLintedAsSarif_thenValidWithItsFileUri(@TempDir Path dir) throws Exception {
        Path design = awkward(dir);
        JsonObject run = run(sarif(Path.of("/"), design.toString()));
        JsonObject artifact = physical(run.getAsJsonArray("results").get(0)).getAsJsonObject("artifactLocation");
        String uri = artifact.get("uri").getAsString();
        assertTrue(uri.startsWith("file:///") && uri.contains("dir%20%231%20%25x%20%C3%A9/full%20tunnel.crew.json"), uri);
        assertEquals(design, Path.of(URI.create(uri)));
        assertNull(artifact.get("uriBaseId"));
        assertNull(run.get("originalUriBaseIds"));
        JsonObject example = run(sarif(dir, "--example", "full-tunnel"));
        assertTrue(physical(example.getAsJsonArray("results").get(0)).getAsJsonObject("artifactLocation").get("uri").getAsString().startsWith("file:///"));
    }

    @Test
    void givenFindingsOnRoutesAndSettings_whenLintedAsSarif_thenRegionsAtTheirPlacesInTheFile(@TempDir Path dir) throws Exception {
        Path design = awkward(dir);
        List<String> lines = Files.readAllLines(design, StandardCharsets.UTF_8);
        JsonObject run = run(sarif(dir, design.toString()));
        assertEquals("utf16CodeUnits", run.get("columnKind").getAsString());
        int withRegion = 0;
        for (JsonElement r : run.getAsJsonArray("results")) {
            String element = r.getAsJsonObject().getAsJsonArray("locations").get(0).getAsJsonObject().getAsJsonArray("logicalLocations").get(0)
                    .getAsJsonObject().get("name").getAsString();
            JsonObject region = physical(r).getAsJsonObject("region");
            assertNotNull(region, element + " has no region");
            String line = lines.get(region.get("startLine").getAsInt() - 1);
            String from = line.substring(region.get("startColumn").getAsInt() - 1);
            if (element.startsWith("routes[")) {
                // the route's object, whose DestinationCidr is on one of the next lines
                assertTrue(from.startsWith("{"), element + " at " + region + ": " + line);
            } else if (element.equals("endpoint.ClientRouteEnforcementOptions.Enforced")) {
                assertTrue(line.contains("\"Enforced\"") && from.startsWith("true"), element + " at " + region + ": " + line);
            }
            withRegion++;
        }
        assertTrue(withRegion >= 2, "findings with regions: " + withRegion);
        assertTrue(run.getAsJsonArray("results").toString().contains("routes["), "a route finding is among them");
    }

    @Test
    void givenLogsThatBreakTheSchema_whenValidated_thenTheValidatorRefusesThem() throws Exception {
        // the check above is only worth something if the validator refuses what is not SARIF
        JsonObject ok = sarif(Designs.root(), "--example", "full-tunnel");
        JsonObject badRegion = ok.deepCopy();
        physical(run(badRegion).getAsJsonArray("results").get(0)).add("region", JsonParser.parseString("{\"startLine\": 0}"));
        assertFalse(schema.validate(badRegion.toString(), InputFormat.JSON).isEmpty(), "startLine 0 accepted");
        JsonObject badUri = ok.deepCopy();
        physical(run(badUri).getAsJsonArray("results").get(0)).add("artifactLocation", JsonParser.parseString("{\"uri\": 7}"));
        assertFalse(schema.validate(badUri.toString(), InputFormat.JSON).isEmpty(), "a number as uri accepted");
        JsonObject badVersion = ok.deepCopy();
        badVersion.addProperty("version", "2.0.0");
        assertFalse(schema.validate(badVersion.toString(), InputFormat.JSON).isEmpty(), "version 2.0.0 accepted");
    }
}
