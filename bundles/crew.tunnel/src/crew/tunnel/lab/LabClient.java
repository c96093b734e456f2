package crew.tunnel.lab;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A user of the lab: a client certificate with this common name, and the directory groups the lab treats the user
 * as a member of (what Active Directory or SAML would say for a real endpoint; certificates carry no groups at AWS).
 */
public record LabClient(String name, Set<String> groups) {
    public LabClient {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("lab client name '" + name + "' may contain only letters, digits, '.', '_' and '-' (at most 63)");
        }
        groups = groups == null ? Set.of() : Set.copyOf(new TreeSet<>(groups));
    }

    /** Parses {@code name} or {@code name:group1,group2}. */
    public static LabClient parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new LabClient(text, Set.of());
        }
        String groups = text.substring(colon + 1);
        return new LabClient(text.substring(0, colon), groups.isEmpty() ? Set.of() : Set.copyOf(List.of(groups.split(","))));
    }

    @Override
    public String toString() {
        return groups.isEmpty() ? name : name + ":" + String.join(",", new TreeSet<>(groups));
    }
}
