package crew.model.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;

/**
 * A workspace design file ({@code NAME.crew.json}): one endpoint design with its endpoint, target networks, routes
 * and authorization rules, each in the AWS CLI's own shape, so a user can assemble one from four describe outputs:
 * <pre>{"Format": "crew-design/1", "Name": ..., "ClientVpnEndpoint": {...}, "ClientVpnTargetNetworks": [...],
 *  "Routes": [...], "AuthorizationRules": [...]}</pre>
 */
public final class WorkspaceFile {
    /** The format tag written into every file; readers reject other versions. */
    public static final String FORMAT = "crew-design/1";
    /** The file name suffix of design files. */
    public static final String SUFFIX = ".crew.json";

    private static final Set<String> FIELDS = Set.of("Format", "Name", "ClientVpnEndpoint", "ClientVpnTargetNetworks", "Routes",
            "AuthorizationRules");

    private WorkspaceFile() {
    }

    /** Reads a design file (UTF-8, {@link TextFiles#read}). */
    public static EndpointDesign read(Path file) throws IOException {
        return read(file.toString(), TextFiles.read(file));
    }

    /** Parses a design file's text; {@code source} names it in error messages. */
    public static EndpointDesign read(String source, String text) {
        return readLocated(source, text).design();
    }

    /** A design and where its values are in the file it was read from. */
    public static final class Located {
        private final EndpointDesign design;
        private final LocatedJson doc;

        private Located(EndpointDesign design, LocatedJson doc) {
            this.design = design;
            this.doc = doc;
        }

        public EndpointDesign design() {
            return design;
        }

        /**
         * Where the value at {@code jsonPath} ({@code $.Routes[2]}, {@code $.ClientVpnEndpoint.VpnPort}) starts in
         * the file, or its nearest enclosing value when the file leaves it out; null when there is none.
         */
        public SourcePosition position(String jsonPath) {
            return doc == null ? null : doc.position(jsonPath);
        }

        /** A design that comes from no single file (an AWS CLI import): it has no positions. */
        public static Located unlocated(EndpointDesign design) {
            return new Located(design, null);
        }
    }

    /** Parses a design file's text and keeps the positions of its values (for SARIF regions, editors). */
    public static Located readLocated(String source, String text) {
        LocatedJson doc = LocatedJson.parse(source, text);
        JsonFields top = new JsonFields(doc, "$", doc.root).allow(FIELDS);
        String format = top.requiredString("Format");
        if (!FORMAT.equals(format)) {
            throw doc.error("$.Format", "unsupported format '" + format + "' (this CREW reads " + FORMAT + ")");
        }
        JsonFields e = top.object("ClientVpnEndpoint");
        if (e == null) {
            throw doc.error("$", "missing field 'ClientVpnEndpoint'");
        }
        ClientVpnEndpoint endpoint = AwsCliJson.endpoint(e);
        List<TargetNetwork> targets = top.list("ClientVpnTargetNetworks", (p, x) -> AwsCliJson.target(new JsonFields(doc, p, x)));
        List<ClientVpnRoute> routes = top.list("Routes", (p, x) -> AwsCliJson.route(new JsonFields(doc, p, x)));
        List<AuthorizationRule> rules = top.list("AuthorizationRules", (p, x) -> AwsCliJson.rule(new JsonFields(doc, p, x)));
        String name = top.string("Name");
        if (name == null) {
            name = endpoint.description() != null ? endpoint.description() : source;
        }
        return new Located(new EndpointDesign(name, endpoint, targets, routes, rules), doc);
    }

    public static String write(EndpointDesign design) {
        JsonObject o = new JsonObject();
        o.addProperty("Format", FORMAT);
        o.addProperty("Name", design.name());
        String id = design.endpoint().endpointId();
        o.add("ClientVpnEndpoint", AwsCliJson.endpoint(design.endpoint()));
        JsonArray t = new JsonArray();
        design.targetNetworks().forEach(x -> t.add(AwsCliJson.target(id, x)));
        o.add("ClientVpnTargetNetworks", t);
        JsonArray r = new JsonArray();
        design.routes().forEach(x -> r.add(AwsCliJson.route(id, x)));
        o.add("Routes", r);
        JsonArray a = new JsonArray();
        design.authorizationRules().forEach(x -> a.add(AwsCliJson.rule(id, x)));
        o.add("AuthorizationRules", a);
        return AwsCliJson.GSON.toJson(o) + "\n";
    }

    /** Writes through a temporary file and a rename, so a crash never leaves half a design behind. */
    public static void write(Path file, EndpointDesign design) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, write(design), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
