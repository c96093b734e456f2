package crew.plugins;

import java.util.List;

/**
 * A plugin in the product's p2 profile: a root installable unit (usually a feature) that the product itself does
 * not require, with the bundles it brought.
 *
 * @param id       the unit's id, what {@code crew plugin remove} takes (for a feature, {@code NAME.feature.group})
 * @param version  its version
 * @param name     its name (the feature's label), or the id
 * @param provider its provider, or ""
 * @param bundles  the bundles installed for it and not shared with CREW itself, with their state in this process
 */
public record InstalledPlugin(String id, String version, String name, String provider, List<PluginBundle> bundles) {

    /** Whether every bundle runs: resolved, started, no component failed. */
    public boolean healthy() {
        return bundles.stream().allMatch(b -> b.problems().isEmpty());
    }
}
