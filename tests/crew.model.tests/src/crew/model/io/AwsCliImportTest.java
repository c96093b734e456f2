package crew.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.model.endpoint.EndpointDesign;

/** The AWS CLI's describe-client-vpn-* outputs as designs: grouped by endpoint, no field lost, errors located. */
class AwsCliImportTest {
    private static final String[] FILES = { "describe-client-vpn-endpoints.json", "describe-client-vpn-routes.json",
            "describe-client-vpn-authorization-rules.json", "describe-client-vpn-target-networks.json" };

    @Test
    void givenTheFourExampleOutputs_whenImported_thenOneDesignAndEveryFieldSurvivesTheWorkspaceFile() throws Exception {
        AwsCliImport.Result r = AwsCliImport.read(List.of(Examples.root().resolve("aws-cli")));
        assertEquals(1, r.designs().size());
        assertEquals(4, r.files().size(), r.files().toString());
        EndpointDesign d = r.designs().get(0);
        assertEquals("corp-split", d.name());
        // through the workspace file and back, then written as the CLI prints it: every input field is there with its value
        EndpointDesign again = WorkspaceFile.read("x.crew.json", WorkspaceFile.write(d));
        String id = again.endpoint().endpointId();
        Map<String, String> written = Map.of(FILES[0], AwsCliJson.writeEndpoints(List.of(again.endpoint())), FILES[1],
                AwsCliJson.writeRoutes(id, again.routes()), FILES[2], AwsCliJson.writeAuthorizationRules(id, again.authorizationRules()), FILES[3],
                AwsCliJson.writeTargetNetworks(id, again.targetNetworks()));
        int compared = 0;
        for (String f : FILES) {
            JsonObject in = JsonParser.parseString(Examples.text("aws-cli/" + f)).getAsJsonObject();
            JsonObject out = JsonParser.parseString(written.get(f)).getAsJsonObject();
            String list = in.keySet().iterator().next();
            JsonArray a = in.getAsJsonArray(list);
            JsonArray b = out.getAsJsonArray(list);
            assertEquals(a.size(), b.size(), f);
            for (int i = 0; i < a.size(); i++) {
                compared += sameFields(f + " $." + list + "[" + i + "]", a.get(i).getAsJsonObject(), b.get(i).getAsJsonObject(), r.notes());
            }
        }
        assertTrue(compared > 60, compared + " fields compared");
        // what a design cannot carry is said, not dropped silently
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("describe-client-vpn-target-networks.json: $.ClientVpnTargetNetworks[0].SecurityGroups")),
                r.notes().toString());
    }

    /** Every field of {@code in} is in {@code out} with the same value, except those the notes name as not carried. */
    private static int sameFields(String where, JsonObject in, JsonObject out, List<String> notes) {
        int n = 0;
        for (Map.Entry<String, JsonElement> e : in.entrySet()) {
            if (AwsCliImport.READ_ONLY.containsKey(e.getKey())) {
                assertTrue(notes.stream().anyMatch(x -> x.contains("." + e.getKey() + " is not part of the design")), where + "." + e.getKey());
                continue;
            }
            assertEquals(e.getValue(), out.get(e.getKey()), where + "." + e.getKey() + " in " + out);
            n++;
        }
        return n;
    }

    @Test
    void givenTwoEndpointsInFilesAndDirectories_whenImported_thenEachElementGoesToItsEndpoint(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        for (String f : FILES) {
            Files.writeString(a.resolve(f), Examples.text("aws-cli/" + f));
        }
        String other = "cvpn-endpoint-0123456789abcdef0";
        Path b = dir.resolve("b-endpoints.json");
        Files.writeString(b, Examples.text("aws-cli/" + FILES[0]).replace("cvpn-endpoint-0a1b2c3d4e5f60718", other).replace("\"corp-split\"", "\"second\""));
        Path routes = dir.resolve("b-routes.json");
        Files.writeString(routes, Examples.text("aws-cli/" + FILES[1]).replace("cvpn-endpoint-0a1b2c3d4e5f60718", other));
        AwsCliImport.Result r = AwsCliImport.read(List.of(a, b, routes));
        assertEquals(2, r.designs().size());
        assertEquals(r.design("cvpn-endpoint-0a1b2c3d4e5f60718").routes(), r.design(other).routes());
        assertEquals(List.of(), r.design(other).authorizationRules());
        assertEquals("second.crew.json", AwsCliImport.fileName(r.design(other)));

        // routes of an endpoint nobody describes
        SourceFormatException orphan = assertThrows(SourceFormatException.class, () -> AwsCliImport.read(List.of(routes, a.resolve(FILES[0]))));
        assertTrue(orphan.getMessage().contains("endpoint " + other + " but no describe-client-vpn-endpoints output describes it"), orphan.getMessage());
        // a file that is none of the four, with file and line
        Path design = dir.resolve("not-cli.json");
        Files.writeString(design, "{\n  \"Format\": \"crew-design/1\"\n}\n");
        SourceFormatException notCli = assertThrows(SourceFormatException.class, () -> AwsCliImport.read(List.of(design)));
        assertTrue(notCli.getMessage().startsWith(design + ":1:"), notCli.getMessage());
        assertTrue(notCli.getMessage().contains("not the output of aws ec2 describe-client-vpn-endpoints"), notCli.getMessage());
        // an unknown field is still an error, located
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, Examples.text("aws-cli/" + FILES[1]).replaceFirst("\"TargetSubnet\"", "\"TargetSubnett\""));
        SourceFormatException unknown = assertThrows(SourceFormatException.class, () -> AwsCliImport.read(List.of(typo)));
        assertTrue(unknown.getMessage().contains("$.Routes[0].TargetSubnett: unknown field"), unknown.getMessage());
        Map<String, String> none = new LinkedHashMap<>();
        assertEquals(0, AwsCliImport.parse(none).designs().size());
    }
}
