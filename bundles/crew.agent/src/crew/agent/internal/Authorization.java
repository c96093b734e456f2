package crew.agent.internal;

import java.util.Optional;

/**
 * Who may do what: root and members of the control group (default {@code crew}) may connect, attack, start and
 * stop; everyone else who can reach the socket may read status and events. The rule is in every answer, so a
 * refusal says why.
 */
public final class Authorization {
    /** The control group: the crew.agent.group property, else "crew". */
    public static final String DEFAULT_GROUP = "crew";

    public enum Role { CONTROL, READ }

    /** A decision and the rule that made it. */
    public record Decision(Role role, String rule) {
    }

    private final String group;

    public Authorization(String group) {
        this.group = group;
    }

    public static Authorization fromSystem() {
        return new Authorization(System.getProperty("crew.agent.group", DEFAULT_GROUP));
    }

    public String group() {
        return group;
    }

    public Decision decide(Peer peer) {
        if (peer.isRoot()) {
            return new Decision(Role.CONTROL, "uid 0 (root) may control the agent");
        }
        Optional<Integer> gid = Posix.groupId(group);
        if (gid.isPresent() && peer.groups().contains(gid.get())) {
            return new Decision(Role.CONTROL, "members of group '" + group + "' may control the agent");
        }
        return new Decision(Role.READ, "only root and members of group '" + group + "' may connect, attack, start or stop; "
                + peer + " is neither, so it may read status and events only"
                + (gid.isEmpty() ? " (group '" + group + "' does not exist: 'sudo crew agent install' creates it)" : ""));
    }
}
