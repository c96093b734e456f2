package crew.model.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;

/**
 * Turns the AWS CLI's {@code aws ec2 describe-client-vpn-endpoints}, {@code -routes}, {@code -authorization-rules}
 * and {@code -target-networks} outputs ({@code --output json}), in any combination of files and directories, into
 * one design per endpoint. Each file is recognised by its top-level list ({@code ClientVpnEndpoints}, {@code Routes},
 * {@code AuthorizationRules}, {@code ClientVpnTargetNetworks}); each element goes to the design of its
 * {@code ClientVpnEndpointId}. Routes, rules or target networks of an endpoint that no describe-client-vpn-endpoints
 * output describes are an error naming the endpoint, as is an element without an endpoint id when several
 * endpoints are read. What AWS reports but a design cannot set (DeletionTime, SelfServicePortalUrl,
 * AssociatedTargetNetworks, VpnProtocol, the target networks' SecurityGroups) is named in {@link Result#notes()}.
 */
public final class AwsCliImport {

    /** What the files hold that a design does not carry: AWS computes them, no API call sets them. */
    static final Map<String, String> READ_ONLY = Map.of("DeletionTime", "the time AWS deleted the endpoint",
            "SelfServicePortalUrl", "AWS's URL for the self-service portal (the design keeps SelfServicePortal enabled or not)",
            "AssociatedTargetNetworks", "AWS's deprecated copy of the target networks (the design keeps ClientVpnTargetNetworks)",
            "VpnProtocol", "always openvpn", "SecurityGroups", "the endpoint's SecurityGroupIds, which AWS applies to every association");

    private AwsCliImport() {
    }

    /**
     * @param designs one per endpoint, in the order the endpoints were read
     * @param files   the files read, each with the kind of output it is
     * @param notes   fields of the inputs a design does not carry (AWS-computed), by file and JSON path
     */
    public record Result(List<EndpointDesign> designs, Map<Path, String> files, List<String> notes) {
        /** The design of one endpoint. */
        public EndpointDesign design(String endpointId) {
            return designs.stream().filter(d -> endpointId.equals(d.endpoint().endpointId())).findFirst().orElse(null);
        }
    }

    /** Whether {@code text} is one of the four describe outputs (its top-level object has one of their lists). */
    public static boolean isAwsCliOutput(String text) {
        try {
            JsonElement root = com.google.gson.JsonParser.parseString(text);
            return root.isJsonObject() && kindOf(root.getAsJsonObject()) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String kindOf(JsonObject o) {
        for (String k : List.of("ClientVpnEndpoints", "Routes", "AuthorizationRules", "ClientVpnTargetNetworks")) {
            if (o.has(k)) {
                return k;
            }
        }
        return null;
    }

    /** The {@code .json} files of {@code inputs}: files as given, directories' {@code *.json} files (not recursive), sorted. */
    public static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().endsWith(WorkspaceFile.SUFFIX)
                            && Files.isRegularFile(p)).sorted().forEach(out::add);
                }
            } else {
                out.add(in);
            }
        }
        return out;
    }

    /** Reads files and directories (see {@link #expand}). */
    public static Result read(List<Path> inputs) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, Path> paths = new LinkedHashMap<>();
        for (Path p : expand(inputs)) {
            texts.put(p.toString(), TextFiles.read(p));
            paths.put(p.toString(), p);
        }
        if (texts.isEmpty()) {
            throw new SourceFormatException(String.valueOf(inputs.isEmpty() ? "" : inputs.get(0)), 1,
                    "no .json files here (expected the output of aws ec2 describe-client-vpn-endpoints and its -routes, -authorization-rules, "
                            + "-target-networks)");
        }
        Result r = parse(texts);
        Map<Path, String> files = new LinkedHashMap<>();
        r.files().forEach((k, v) -> files.put(paths.getOrDefault(k.toString(), k), v));
        return new Result(r.designs(), files, r.notes());
    }

    /** Parses texts by source name (a file name for messages). */
    public static Result parse(Map<String, String> texts) {
        Map<String, ClientVpnEndpoint> endpoints = new LinkedHashMap<>();
        Map<String, List<TargetNetwork>> targets = new TreeMap<>();
        Map<String, List<ClientVpnRoute>> routes = new TreeMap<>();
        Map<String, List<AuthorizationRule>> rules = new TreeMap<>();
        Map<String, List<String>> unowned = new LinkedHashMap<>(); // elements without an endpoint id: source + path
        Map<Path, String> files = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, String> t : texts.entrySet()) {
            String source = t.getKey();
            LocatedJson doc = LocatedJson.parse(source, t.getValue());
            if (!doc.root.isJsonObject()) {
                throw doc.error("$", "expected a JSON object (the output of an aws ec2 describe-client-vpn-* command)");
            }
            String kind = kindOf(doc.root.getAsJsonObject());
            if (kind == null) {
                throw doc.error("$", "not the output of aws ec2 describe-client-vpn-endpoints, -routes, -authorization-rules or -target-networks "
                        + "(none of ClientVpnEndpoints, Routes, AuthorizationRules, ClientVpnTargetNetworks at the top; a CREW design is a "
                        + WorkspaceFile.SUFFIX + " file)");
            }
            JsonFields top = new JsonFields(doc, "$", doc.root).allow(Set.of(kind, "NextToken"));
            if (top.has("NextToken")) {
                notes.add(source + ": $.NextToken: the output was paged; run the command without --max-items (or with --no-paginate off) to read every item");
            }
            files.put(Path.of(source), switch (kind) {
                case "ClientVpnEndpoints" -> "describe-client-vpn-endpoints";
                case "Routes" -> "describe-client-vpn-routes";
                case "AuthorizationRules" -> "describe-client-vpn-authorization-rules";
                default -> "describe-client-vpn-target-networks";
            });
            top.list(kind, (path, e) -> {
                JsonFields f = new JsonFields(doc, path, e);
                String id = f.string("ClientVpnEndpointId");
                for (String ro : READ_ONLY.keySet()) {
                    if (f.has(ro)) {
                        notes.add(source + ": " + path + "." + ro + " is not part of the design: " + READ_ONLY.get(ro));
                    }
                }
                switch (kind) {
                    case "ClientVpnEndpoints" -> {
                        if (id == null) {
                            throw doc.error(path, "an endpoint without ClientVpnEndpointId");
                        }
                        if (endpoints.containsKey(id)) {
                            throw doc.error(path + ".ClientVpnEndpointId", "endpoint " + id + " is described twice");
                        }
                        endpoints.put(id, AwsCliJson.endpoint(f));
                    }
                    case "Routes" -> add(routes, unowned, id, AwsCliJson.route(f), source + ":" + path);
                    case "AuthorizationRules" -> add(rules, unowned, id, AwsCliJson.rule(f), source + ":" + path);
                    default -> add(targets, unowned, id, AwsCliJson.target(f), source + ":" + path);
                }
                return null;
            });
        }
        if (!unowned.isEmpty()) {
            Set<String> ids = new LinkedHashSet<>(endpoints.keySet());
            ids.addAll(routes.keySet());
            ids.addAll(rules.keySet());
            ids.addAll(targets.keySet());
            ids.remove("");
            if (ids.size() != 1) {
                String where = unowned.values().iterator().next().get(0);
                throw new SourceFormatException(where.substring(0, where.indexOf(':')), 1, where.substring(where.indexOf(':') + 1)
                        + " has no ClientVpnEndpointId and " + (ids.isEmpty() ? "no endpoint is described" : ids.size() + " endpoints are read " + ids)
                        + ": it cannot be given to one");
            }
            String only = ids.iterator().next();
            moveUnowned(routes, only);
            moveUnowned(rules, only);
            moveUnowned(targets, only);
        }
        for (Map<String, ? extends List<?>> m : List.of(routes, rules, targets)) {
            for (String id : m.keySet()) {
                if (!endpoints.containsKey(id)) {
                    throw new SourceFormatException(texts.keySet().iterator().next(), 1, "routes, rules or target networks of endpoint " + id
                            + " but no describe-client-vpn-endpoints output describes it: add the output of aws ec2 describe-client-vpn-endpoints "
                            + "--client-vpn-endpoint-ids " + id + " --output json");
                }
            }
        }
        List<EndpointDesign> designs = new ArrayList<>();
        for (Map.Entry<String, ClientVpnEndpoint> e : endpoints.entrySet()) {
            String id = e.getKey();
            ClientVpnEndpoint ep = e.getValue();
            String name = ep.tags().get("Name");
            if (name == null || name.isBlank()) {
                name = ep.description() != null && !ep.description().isBlank() ? ep.description() : id;
            }
            designs.add(new EndpointDesign(name, ep, targets.getOrDefault(id, List.of()), routes.getOrDefault(id, List.of()),
                    rules.getOrDefault(id, List.of())));
        }
        return new Result(designs, files, notes);
    }

    private static <T> void add(Map<String, List<T>> byId, Map<String, List<String>> unowned, String id, T item, String where) {
        String key = id == null ? "" : id;
        if (id == null) {
            unowned.computeIfAbsent("", k -> new ArrayList<>()).add(where);
        }
        byId.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
    }

    private static <T> void moveUnowned(Map<String, List<T>> byId, String only) {
        List<T> u = byId.remove("");
        if (u != null) {
            byId.computeIfAbsent(only, k -> new ArrayList<>()).addAll(u);
        }
    }

    /** A file name for a design: its Name tag (or id) reduced to letters, digits, '.', '_' and '-', then {@code .crew.json}. */
    public static String fileName(EndpointDesign d) {
        String base = d.name().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|-+$", "");
        return (base.isEmpty() ? String.valueOf(d.endpoint().endpointId()) : base) + WorkspaceFile.SUFFIX;
    }
}
