package crew.cli;

/**
 * One option a command accepts: a flag ({@code --follow}) or an option with a value ({@code --format sarif} or
 * {@code --format=sarif}).
 *
 * @param name        the long name without dashes
 * @param valueName   the value's placeholder in help ({@code FILE}), or {@code null} for a flag
 * @param description one line for {@code --help}
 * @param repeatable  whether the option may be given more than once
 */
public record Option(String name, String valueName, String description, boolean repeatable) {

    public static Option flag(String name, String description) {
        return new Option(name, null, description, false);
    }

    public static Option value(String name, String valueName, String description) {
        return new Option(name, valueName, description, false);
    }

    public static Option repeatable(String name, String valueName, String description) {
        return new Option(name, valueName, description, true);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    /** How the option is written in help: {@code --format FORMAT}. */
    public String synopsis() {
        return "--" + name + (takesValue() ? " " + valueName : "");
    }
}
