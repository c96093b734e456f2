package crew.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A command's parsed arguments: options checked against what the command declared, and positionals in order. */
public final class Arguments {
    private final Map<String, List<String>> options;
    private final List<String> positionals;

    private Arguments(Map<String, List<String>> options, List<String> positionals) {
        this.options = options;
        this.positionals = positionals;
    }

    /**
     * Parses {@code tokens} against {@code accepted}. {@code --} ends options; a single {@code -} is a positional
     * (stdin by convention).
     *
     * @throws CommandException (bad input) naming an unknown option, a missing value or a repeated option
     */
    public static Arguments parse(List<String> tokens, List<Option> accepted) throws CommandException {
        Map<String, Option> byName = new LinkedHashMap<>();
        for (Option o : accepted) {
            byName.put(o.name(), o);
        }
        Map<String, List<String>> options = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean onlyPositionals = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (onlyPositionals || !token.startsWith("--")) {
                if (!onlyPositionals && token.startsWith("-") && token.length() > 1) {
                    throw CommandException.badInput("unknown option '" + token + "' (options are written --name)");
                }
                positionals.add(token);
                continue;
            }
            if (token.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            String name = token.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = byName.get(name);
            if (option == null) {
                throw CommandException.badInput("unknown option '--" + name + "'" + suggestion(name, byName.keySet()));
            }
            if (option.takesValue()) {
                if (value == null) {
                    if (i + 1 >= tokens.size()) {
                        throw CommandException.badInput("option --" + name + " needs a value (" + option.valueName() + ")");
                    }
                    value = tokens.get(++i);
                }
            } else if (value != null) {
                throw CommandException.badInput("option --" + name + " takes no value");
            }
            List<String> values = options.computeIfAbsent(name, k -> new ArrayList<>());
            if (!values.isEmpty() && !option.repeatable()) {
                throw CommandException.badInput("option --" + name + " given more than once");
            }
            values.add(value == null ? "" : value);
        }
        return new Arguments(options, Collections.unmodifiableList(positionals));
    }

    /** " (did you mean --x?)" for the closest known option within two edits, or "". */
    private static String suggestion(String name, Iterable<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = editDistance(name, k);
            if (d < bestDistance || (k.startsWith(name) && best == null)) {
                best = k;
                bestDistance = Math.min(d, bestDistance);
            }
        }
        return best == null ? "" : " (did you mean --" + best + "?)";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public Optional<String> value(String name) {
        List<String> v = options.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    public String value(String name, String defaultValue) {
        return value(name).orElse(defaultValue);
    }

    public List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    public List<String> positionals() {
        return positionals;
    }

    /** The positional at {@code index}, or a bad-input error saying which argument ({@code what}) is missing. */
    public String positional(int index, String what) throws CommandException {
        if (index >= positionals.size()) {
            throw CommandException.badInput("missing " + what);
        }
        return positionals.get(index);
    }

    /** Fails when more than {@code max} positionals were given. */
    public void expectAtMostPositionals(int max) throws CommandException {
        if (positionals.size() > max) {
            throw CommandException.badInput("unexpected argument '" + positionals.get(max) + "'");
        }
    }

    /** An integer option, with a bad-input error naming the option when the value is not a number. */
    public int intValue(String name, int defaultValue) throws CommandException {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw CommandException.badInput("option --" + name + " needs a whole number, not '" + v.get() + "'");
        }
    }
}
