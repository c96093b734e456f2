package crew.aws.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The parameters of one EC2 Query request: {@code Name}, lists as {@code Name.1, Name.2}, members as {@code Name.Member}. */
final class QueryParameters {
    private final Map<String, String> values;

    QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    String get(String name) {
        return values.get(name);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw new LocalApiException("MissingParameter", "The request must contain the parameter " + name);
        }
        return v;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Boolean bool(String name) {
        String v = values.get(name);
        return v == null ? null : Boolean.valueOf(v);
    }

    Integer integer(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new LocalApiException("InvalidParameterValue", "Value (" + v + ") for parameter " + name + " is invalid. It must be a number.");
        }
    }

    /** {@code prefix.1}, {@code prefix.2}, ... until the first gap. */
    List<String> list(String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; values.containsKey(prefix + "." + i); i++) {
            out.add(values.get(prefix + "." + i));
        }
        return out;
    }

    /** How many members a list of structures has ({@code prefix.N.anything}). */
    int structures(String prefix) {
        int n = 0;
        while (true) {
            String p = prefix + "." + (n + 1) + ".";
            boolean found = values.keySet().stream().anyMatch(k -> k.startsWith(p));
            if (!found) {
                return n;
            }
            n++;
        }
    }

    String action() {
        return values.get("Action");
    }
}
