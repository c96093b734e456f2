package crew.plugins;

import java.util.List;

/**
 * One bundle of a plugin, as this process sees it.
 *
 * @param symbolicName its Bundle-SymbolicName
 * @param version      its version
 * @param state        {@code ACTIVE}, {@code RESOLVED}, {@code INSTALLED} (not resolved), or {@code NOT LOADED} (installed
 *                     after this process started: it runs from the next start)
 * @param services     the service interfaces its components provide ({@code crew.cli.CliCommand}, ...)
 * @param problems     what keeps it from working: the resolver's message, an activation's exception, a component
 *                     waiting for a service; empty when it works
 */
public record PluginBundle(String symbolicName, String version, String state, List<String> services, List<String> problems) {
}
