package crew.aws;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * AWS's CloudFormation resource specification, as the AWS CDK publishes it on npm (package
 * {@code @aws-cdk/aws-service-spec}, file {@code db.json.gz}: every resource type with its properties, their types and
 * whether they are required), and a check of a template's resources against it: unknown resource types and
 * properties, values of the wrong type, missing required properties, Refs and DependsOn naming no resource.
 */
final class CloudFormationSpec {
    /** The environment variable .ci/run sets to the unpacked db.json.gz. */
    static final String ENV = "CREW_CFN_SPEC";

    private final Map<String, JsonObject> resources = new HashMap<>();
    private final Map<String, JsonObject> types = new HashMap<>();

    private CloudFormationSpec(JsonObject db) {
        JsonObject schema = db.getAsJsonObject("schema");
        for (JsonElement r : schema.getAsJsonObject("resource").getAsJsonArray("entities")) {
            JsonObject o = r.getAsJsonObject();
            if (o.has("cloudFormationType")) {
                resources.put(o.get("cloudFormationType").getAsString(), o);
            }
        }
        for (JsonElement t : schema.getAsJsonObject("typeDefinition").getAsJsonArray("entities")) {
            types.put(t.getAsJsonObject().get("$id").getAsString(), t.getAsJsonObject());
        }
    }

    /** The specification at {@code $CREW_CFN_SPEC}, or null when that is not set or not a file. */
    static CloudFormationSpec fromEnvironment() throws IOException {
        String file = System.getenv(ENV);
        if (file == null || file.isBlank() || !Files.isRegularFile(Path.of(file))) {
            return null;
        }
        try (Reader in = new InputStreamReader(new GZIPInputStream(Files.newInputStream(Path.of(file))), StandardCharsets.UTF_8)) {
            return new CloudFormationSpec(JsonParser.parseReader(in).getAsJsonObject());
        }
    }

    int resourceTypes() {
        return resources.size();
    }

    /** Every problem of {@code template}'s resources, each naming the resource and the property; empty when it conforms. */
    List<String> check(JsonObject template) {
        List<String> problems = new ArrayList<>();
        JsonObject all = template.getAsJsonObject("Resources");
        for (Map.Entry<String, JsonElement> r : all.entrySet()) {
            String id = r.getKey();
            JsonObject res = r.getValue().getAsJsonObject();
            String type = res.get("Type").getAsString();
            JsonObject spec = resources.get(type);
            if (spec == null) {
                problems.add(id + ": no resource type " + type);
                continue;
            }
            if (res.has("DependsOn") && !all.has(res.get("DependsOn").getAsString())) {
                problems.add(id + ".DependsOn: no resource " + res.get("DependsOn").getAsString());
            }
            JsonObject props = res.has("Properties") ? res.getAsJsonObject("Properties") : new JsonObject();
            checkObject(id + "." , props, spec.getAsJsonObject("properties"), all, problems);
        }
        return problems;
    }

    private void checkObject(String where, JsonObject value, JsonObject properties, JsonObject resources, List<String> problems) {
        for (Map.Entry<String, JsonElement> p : value.entrySet()) {
            JsonObject prop = properties.getAsJsonObject(p.getKey());
            if (prop == null) {
                problems.add(where + p.getKey() + ": no such property (there are " + properties.keySet() + ")");
                continue;
            }
            checkValue(where + p.getKey(), p.getValue(), prop.getAsJsonObject("type"), resources, problems);
        }
        for (Map.Entry<String, JsonElement> p : properties.entrySet()) {
            JsonObject prop = p.getValue().getAsJsonObject();
            if (prop.has("required") && prop.get("required").getAsBoolean() && !value.has(p.getKey())) {
                problems.add(where + p.getKey() + ": required, missing");
            }
        }
    }

    private void checkValue(String where, JsonElement v, JsonObject type, JsonObject resources, List<String> problems) {
        if (v.isJsonObject() && v.getAsJsonObject().has("Ref")) {
            String target = v.getAsJsonObject().get("Ref").getAsString();
            if (!resources.has(target)) {
                problems.add(where + ": Ref to no resource " + target);
            }
            if (!"string".equals(type.get("type").getAsString())) {
                problems.add(where + ": a Ref where a " + type + " is expected");
            }
            return;
        }
        String kind = type.get("type").getAsString();
        switch (kind) {
        case "string" -> expect(v.isJsonPrimitive() && v.getAsJsonPrimitive().isString(), where, "a string", v, problems);
        case "boolean" -> expect(v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean(), where, "a boolean", v, problems);
        case "integer" -> expect(v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()
                && v.getAsBigDecimal().stripTrailingZeros().scale() <= 0, where, "an integer", v, problems);
        case "number" -> expect(v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber(), where, "a number", v, problems);
        case "json" -> { }
        case "tag" -> {
            if (expect(v.isJsonObject(), where, "a tag {Key, Value}", v, problems)) {
                expect(v.getAsJsonObject().keySet().equals(java.util.Set.of("Key", "Value")), where, "a tag {Key, Value}", v, problems);
            }
        }
        case "array" -> {
            if (expect(v.isJsonArray(), where, "a list", v, problems)) {
                int i = 0;
                for (JsonElement e : v.getAsJsonArray()) {
                    checkValue(where + "[" + i++ + "]", e, type.getAsJsonObject("element"), resources, problems);
                }
            }
        }
        case "ref" -> {
            JsonObject def = types.get(type.getAsJsonObject("reference").get("$ref").getAsString());
            if (def == null) {
                problems.add(where + ": the specification has no type " + type);
            } else if (expect(v.isJsonObject(), where, "an object (" + def.get("name").getAsString() + ")", v, problems)) {
                checkObject(where + ".", v.getAsJsonObject(), def.getAsJsonObject("properties"), resources, problems);
            }
        }
        default -> problems.add(where + ": a type this check does not know: " + type);
        }
    }

    private static boolean expect(boolean ok, String where, String what, JsonElement v, List<String> problems) {
        if (!ok) {
            problems.add(where + ": expected " + what + ", found " + v);
        }
        return ok;
    }
}
