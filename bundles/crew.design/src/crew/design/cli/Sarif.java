package crew.design.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.GsonBuilder;

import crew.design.LintFinding;
import crew.design.LintRule;

/** A SARIF 2.1.0 log of lint findings, so CI systems can annotate the design file. */
final class Sarif {
    private Sarif() {
    }

    static String log(List<LintRule> rules, List<LintFinding> findings, String file) {
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
            Map<String, Object> location = Map.of("physicalLocation", Map.of("artifactLocation", Map.of("uri", file.replace('\\', '/'))),
                    "logicalLocations", List.of(Map.of("name", f.element())));
            res.put("locations", List.of(location));
            results.add(res);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "crew lint");
        driver.put("rules", ruleDescriptors);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        log.put("runs", List.of(run));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(log);
    }
}
