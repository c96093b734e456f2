package crew.routing.api;

import java.util.Set;

import crew.model.net.IpFamily;

/**
 * What a backend can do on this machine, now.
 *
 * @param families      address families it reads and writes
 * @param allTables     whether it sees every routing table (Linux) or only the main one
 * @param policyRules   whether it reads policy rules
 * @param events        whether changes arrive as events (false: consumers must poll)
 * @param canWrite      whether add/delete/replace can succeed here (privilege present)
 * @param usable        whether the backend works here at all
 * @param description   one line for humans: what it is and, if limited, why (e.g. "read-only: not root")
 */
public record Capabilities(Set<IpFamily> families, boolean allTables, boolean policyRules, boolean events, boolean canWrite,
        boolean usable, String description) {

    public Capabilities {
        families = Set.copyOf(families);
    }
}
