package crew.model.net;

/**
 * Text that is not a valid address or CIDR. The message names the text, the character position (0-based) where the
 * problem was found, and the reason, so a caller can point the user at it.
 */
public class AddressFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final int index;
    private final String reason;

    public AddressFormatException(String input, int index, String reason) {
        super(format(input, index, reason));
        this.input = input;
        this.index = index;
        this.reason = reason;
    }

    private static String format(String input, int index, String reason) {
        String where = index >= 0 ? " at character " + (index + 1) : "";
        return "\"" + input + "\"" + where + ": " + reason;
    }

    /**
     * A character as a message names it: a visible ASCII character in quotes ({@code 'x'}), any other by its code
     * point and Unicode name ({@code U+0020 SPACE}, {@code U+200B ZERO WIDTH SPACE}), since those cannot be seen;
     * a digit of another script (U+0661, U+FF11) is said not to be an ASCII digit.
     */
    public static String describe(char c) {
        if (c > ' ' && c < 0x7F) {
            return "'" + c + "'";
        }
        String name = Character.getName(c);
        return String.format("U+%04X", (int) c) + (name == null ? "" : " " + name)
                + (Character.isDigit(c) ? " (a digit, but not an ASCII digit 0-9: only those count)" : "");
    }

    /** The text that failed to parse. */
    public String input() {
        return input;
    }

    /** 0-based position of the problem in {@link #input()}, or -1 when it concerns the whole text. */
    public int index() {
        return index;
    }

    /** Why the text is invalid, without the text itself. */
    public String reason() {
        return reason;
    }
}
