package crew.aws;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;

/**
 * The AWS provider's resource schema as the CDK for Terraform publishes it on npm ({@code @cdktf/provider-aws}): the
 * package's jsii assembly ({@code package/.jsii}) describes every resource's configuration as generated from the
 * provider's own schema: each attribute's Terraform name (in its documentation link), whether it is optional, its type
 * (string, number, boolean, a list or map of them, a nested block or a list of blocks). This reads the Client VPN
 * resources from it (streaming past the rest of the 130 MB file) and checks a {@code .tf.json} configuration against
 * them: no unknown resource type or attribute, every value of its type, every required attribute and block present,
 * every reference and {@code depends_on} naming a declared resource.
 */
final class TerraformProviderSchema {
    static final String ENV = "CREW_TF_PROVIDER_SCHEMA";
    private static final String PREFIX = "@cdktf/provider-aws.ec2ClientVpn";
    private static final Pattern RESOURCE = Pattern.compile("\\{@link \\S+/docs/resources/\\S+ (aws_[a-z0-9_]+)\\}");
    private static final Pattern ATTRIBUTE = Pattern.compile("#([a-z0-9_]+) ");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(aws_[a-z0-9_]+)\\.([A-Za-z0-9_-]+)\\.([a-z0-9_]+)\\}");
    private static final Set<String> META = Set.of("depends_on", "count", "for_each", "provider", "lifecycle");

    /** An attribute's type: a primitive ("string", "number", "boolean"), a list or map of one, or a block. */
    record Type(String kind, String primitive, Block block) {
    }

    record Attribute(String name, boolean required, Type type) {
    }

    record Block(Map<String, Attribute> attributes) {
    }

    private final Map<String, Block> resources;
    private final String providerVersion;

    private TerraformProviderSchema(Map<String, Block> resources, String providerVersion) {
        this.resources = resources;
        this.providerVersion = providerVersion;
    }

    /** The schema the environment names, or null when {@link #ENV} is not set. */
    static TerraformProviderSchema fromEnvironment() throws IOException {
        String p = System.getenv(ENV);
        return p == null || p.isBlank() ? null : read(Path.of(p));
    }

    static TerraformProviderSchema read(Path jsii) throws IOException {
        Map<String, JsonObject> types = new LinkedHashMap<>();
        try (Reader r = new InputStreamReader(Files.newInputStream(jsii), StandardCharsets.UTF_8); JsonReader in = new JsonReader(r)) {
            in.beginObject();
            while (in.hasNext()) {
                if (!in.nextName().equals("types")) {
                    in.skipValue();
                    continue;
                }
                in.beginObject();
                while (in.hasNext()) {
                    String fqn = in.nextName();
                    if (fqn.startsWith(PREFIX)) {
                        types.put(fqn, JsonParser.parseReader(in).getAsJsonObject());
                    } else {
                        in.skipValue();
                    }
                }
                in.endObject();
            }
        }
        Map<String, Block> resources = new LinkedHashMap<>();
        String version = null;
        for (Map.Entry<String, JsonObject> t : types.entrySet()) {
            JsonObject type = t.getValue();
            if (!"class".equals(type.get("kind").getAsString()) || !type.has("docs")) {
                continue;
            }
            Matcher m = RESOURCE.matcher(type.getAsJsonObject("docs").toString());
            JsonObject config = types.get(t.getKey() + "Config");
            if (m.find() && config != null) {
                resources.put(m.group(1), block(config, types));
                Matcher v = Pattern.compile("hashicorp/aws/([0-9.]+)/").matcher(type.getAsJsonObject("docs").toString());
                if (v.find()) {
                    version = v.group(1);
                }
            }
        }
        return new TerraformProviderSchema(resources, version);
    }

    private static Block block(JsonObject iface, Map<String, JsonObject> types) {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        for (JsonElement e : iface.getAsJsonArray("properties")) {
            JsonObject p = e.getAsJsonObject();
            Matcher m = ATTRIBUTE.matcher(p.getAsJsonObject("docs").toString());
            if (!m.find()) {
                throw new IllegalStateException("no Terraform name in the docs of " + iface.get("fqn") + "." + p.get("name"));
            }
            boolean optional = p.has("optional") && p.get("optional").getAsBoolean();
            attributes.put(m.group(1), new Attribute(m.group(1), !optional, type(p.getAsJsonObject("type"), types)));
        }
        return new Block(attributes);
    }

    private static Type type(JsonObject t, Map<String, JsonObject> types) {
        if (t.has("primitive")) {
            return new Type("primitive", t.get("primitive").getAsString(), null);
        }
        if (t.has("union")) {
            // IResolvable | X: a value or a Terraform expression; the X says what the value is
            for (JsonElement u : t.getAsJsonObject("union").getAsJsonArray("types")) {
                JsonObject o = u.getAsJsonObject();
                if (!(o.has("fqn") && o.get("fqn").getAsString().equals("cdktf.IResolvable"))) {
                    return type(o, types);
                }
            }
        }
        if (t.has("collection")) {
            JsonObject c = t.getAsJsonObject("collection");
            Type element = type(c.getAsJsonObject("elementtype"), types);
            String kind = c.get("kind").getAsString();
            if (element.block() != null) {
                return new Type("blocks", null, element.block());
            }
            return new Type(kind.equals("map") ? "map" : "list", element.primitive(), null);
        }
        if (t.has("fqn") && types.containsKey(t.get("fqn").getAsString())) {
            return new Type("block", null, block(types.get(t.get("fqn").getAsString()), types));
        }
        throw new IllegalStateException("unknown jsii type " + t);
    }

    int resourceTypes() {
        return resources.size();
    }

    String providerVersion() {
        return providerVersion;
    }

    /** Every problem of a {@code .tf.json} configuration's resources, as "TYPE.NAME.attribute: what". */
    List<String> check(JsonObject configuration) {
        List<String> problems = new ArrayList<>();
        JsonObject declared = configuration.has("resource") ? configuration.getAsJsonObject("resource") : new JsonObject();
        for (Map.Entry<String, JsonElement> type : declared.entrySet()) {
            Block schema = resources.get(type.getKey());
            if (schema == null) {
                problems.add(type.getKey() + ": no such resource type in the provider's schema");
                continue;
            }
            for (Map.Entry<String, JsonElement> r : type.getValue().getAsJsonObject().entrySet()) {
                String where = type.getKey() + "." + r.getKey();
                JsonObject body = r.getValue().getAsJsonObject();
                checkBlock(where, schema, body, problems);
                if (body.has("depends_on")) {
                    for (JsonElement d : body.getAsJsonArray("depends_on")) {
                        String[] parts = d.getAsString().split("\\.");
                        if (parts.length != 2 || !declared.has(parts[0]) || !declared.getAsJsonObject(parts[0]).has(parts[1])) {
                            problems.add(where + ".depends_on: " + d.getAsString() + " is not declared");
                        }
                    }
                }
            }
        }
        // every reference names a declared resource and one of its type's attributes
        Matcher m = REFERENCE.matcher(configuration.toString());
        while (m.find()) {
            Block schema = resources.get(m.group(1));
            boolean declaredThere = declared.has(m.group(1)) && declared.getAsJsonObject(m.group(1)).has(m.group(2));
            if (!declaredThere) {
                problems.add(m.group() + ": refers to a resource that is not declared");
            } else if (schema != null && !schema.attributes().containsKey(m.group(3))) {
                problems.add(m.group() + ": " + m.group(1) + " has no attribute " + m.group(3));
            }
        }
        return problems;
    }

    private static void checkBlock(String where, Block schema, JsonObject body, List<String> problems) {
        for (Map.Entry<String, JsonElement> a : body.entrySet()) {
            if (META.contains(a.getKey()) && where.chars().filter(c -> c == '.').count() == 1) {
                continue; // meta-arguments of a resource
            }
            Attribute attribute = schema.attributes().get(a.getKey());
            if (attribute == null) {
                problems.add(where + "." + a.getKey() + ": no such attribute");
                continue;
            }
            value(where + "." + a.getKey(), attribute.type(), a.getValue(), problems);
        }
        for (Attribute a : schema.attributes().values()) {
            if (a.required() && !body.has(a.name())) {
                problems.add(where + "." + a.name() + ": required, missing");
            }
        }
    }

    private static void value(String where, Type type, JsonElement v, List<String> problems) {
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() && v.getAsString().contains("${")) {
            return; // an expression: Terraform checks its type when it evaluates it
        }
        switch (type.kind()) {
            case "primitive" -> primitive(where, type.primitive(), v, problems);
            case "list" -> {
                if (!v.isJsonArray()) {
                    problems.add(where + ": expected a list of " + type.primitive() + ", found " + v);
                } else {
                    JsonArray a = v.getAsJsonArray();
                    for (int i = 0; i < a.size(); i++) {
                        primitive(where + "[" + i + "]", type.primitive(), a.get(i), problems);
                    }
                }
            }
            case "map" -> {
                if (!v.isJsonObject()) {
                    problems.add(where + ": expected a map of " + type.primitive() + ", found " + v);
                } else {
                    v.getAsJsonObject().entrySet().forEach(e -> primitive(where + "." + e.getKey(), type.primitive(), e.getValue(), problems));
                }
            }
            case "block" -> {
                JsonObject o = v.isJsonObject() ? v.getAsJsonObject() : v.isJsonArray() && v.getAsJsonArray().size() == 1
                        && v.getAsJsonArray().get(0).isJsonObject() ? v.getAsJsonArray().get(0).getAsJsonObject() : null;
                if (o == null) {
                    problems.add(where + ": expected a block (an object), found " + v);
                } else {
                    checkBlock(where, type.block(), o, problems);
                }
            }
            default -> { // blocks
                JsonArray a = v.isJsonArray() ? v.getAsJsonArray() : null;
                if (a == null && v.isJsonObject()) {
                    a = new JsonArray();
                    a.add(v);
                }
                if (a == null) {
                    problems.add(where + ": expected blocks (objects), found " + v);
                } else {
                    for (int i = 0; i < a.size(); i++) {
                        if (!a.get(i).isJsonObject()) {
                            problems.add(where + "[" + i + "]: expected a block (an object), found " + a.get(i));
                        } else {
                            checkBlock(where + "[" + i + "]", type.block(), a.get(i).getAsJsonObject(), problems);
                        }
                    }
                }
            }
        }
    }

    private static void primitive(String where, String primitive, JsonElement v, List<String> problems) {
        boolean ok = v.isJsonPrimitive() && switch (primitive) {
            case "string" -> v.getAsJsonPrimitive().isString();
            case "number" -> v.getAsJsonPrimitive().isNumber();
            case "boolean" -> v.getAsJsonPrimitive().isBoolean();
            default -> false;
        };
        if (!ok) {
            problems.add(where + ": expected a " + primitive + ", found " + v);
        }
    }
}
