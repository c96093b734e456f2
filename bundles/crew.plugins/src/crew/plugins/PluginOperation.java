package crew.plugins;

import java.util.List;

/**
 * What an install or a removal did.
 *
 * @param ok       whether the profile changed as asked
 * @param exitCode the {@code crew} exit code: 0 done, 2 bad input (no such repository or unit), 4 refused or failed
 * @param units    the root units installed or removed
 * @param messages the director's report: what it installed or removed, or why not (naming each untrusted unit)
 */
public record PluginOperation(boolean ok, int exitCode, List<String> units, List<String> messages) {
}
