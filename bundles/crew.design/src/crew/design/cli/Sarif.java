package crew.design.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.google.gson.GsonBuilder;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.model.io.SourcePosition;

/**
 * A SARIF 2.1.0 log of lint findings, so CI systems can annotate the design file: the file as a URI (a relative one
 * against {@link #SRCROOT}, the directory crew ran in, when the user named it relatively), each finding's place in
 * the file as a region.
 */
final class Sarif {
    /** The base id of relative artifact URIs, the one code scanning services know. */
    static final String SRCROOT = "%SRCROOT%";

    private Sarif() {
    }

    /**
     * Where the linted file is: {@code uri} a URI reference, relative to {@code baseUri} when {@code uriBaseId} is set.
     */
    record Artifact(String uri, String uriBaseId, String baseUri) {

        /** A file the user named relatively: a relative reference against the working directory's file: URI. */
        static Artifact relative(Path typed, Path workingDirectory) {
            StringBuilder uri = new StringBuilder();
            Path normal = typed.normalize();
            for (int i = 0; i < normal.getNameCount(); i++) {
                uri.append(i == 0 ? "" : "/").append(encodeSegment(normal.getName(i).toString()));
            }
            String base = workingDirectory.toAbsolutePath().normalize().toUri().toASCIIString();
            return new Artifact(uri.toString(), SRCROOT, base.endsWith("/") ? base : base + "/");
        }

        /** A file named absolutely (or an example): its file: URI. */
        static Artifact absolute(Path file) {
            return new Artifact(file.toAbsolutePath().normalize().toUri().toASCIIString(), null, null);
        }

        Map<String, Object> location() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uri", uri);
            if (uriBaseId != null) {
                m.put("uriBaseId", uriBaseId);
            }
            return m;
        }
    }

    /**
     * One path segment percent-encoded (RFC 3986): unreserved characters and sub-delimiters stay, everything else is
     * encoded as UTF-8 bytes, ':' too, so that a first segment never reads as a scheme.
     */
    static String encodeSegment(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    /**
     * The log. {@code positions} gives where a JSON path of the design file starts (or null), for the regions; a
     * finding whose element is no place in the file ({@link DesignElements#jsonPath}) gets none.
     */
    static String log(List<LintRule> rules, List<LintFinding> findings, Artifact artifact, Function<String, SourcePosition> positions) {
        List<Object> ruleDescriptors = new ArrayList<>();
        for (LintRule r : rules) {
            ruleDescriptors.add(Map.of("id", r.id(), "name", r.name(), "shortDescription", Map.of("text", r.description()),
                    "defaultConfiguration", Map.of("level", r.severity().sarifLevel())));
        }
        List<Object> results = new ArrayList<>();
        for (LintFinding f : findings) {
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("ruleId", f.ruleId());
            res.put("level", f.severity().sarifLevel());
            res.put("message", Map.of("text", f.element() + ": " + f.message()));
            Map<String, Object> physical = new LinkedHashMap<>();
            physical.put("artifactLocation", artifact.location());
            String path = DesignElements.jsonPath(f.element());
            SourcePosition at = path == null ? null : positions.apply(path);
            if (at != null && at.line() > 0) {
                Map<String, Object> region = new LinkedHashMap<>();
                region.put("startLine", at.line());
                if (at.column() > 0) {
                    region.put("startColumn", at.column());
                }
                physical.put("region", region);
            }
            res.put("locations", List.of(Map.of("physicalLocation", physical, "logicalLocations", List.of(Map.of("name", f.element())))));
            results.add(res);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "crew lint");
        driver.put("rules", ruleDescriptors);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        if (artifact.uriBaseId() != null) {
            run.put("originalUriBaseIds", Map.of(artifact.uriBaseId(), Map.of("uri", artifact.baseUri())));
        }
        // the readers count columns in UTF-16 code units, as Java strings do
        run.put("columnKind", "utf16CodeUnits");
        run.put("results", results);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        log.put("runs", List.of(run));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(log);
    }
}
