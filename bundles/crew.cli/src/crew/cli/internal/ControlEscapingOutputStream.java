package crew.cli.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 output with the characters that act on a terminal instead of showing written as escapes (ESC as
 * backslash-u001b): C0 controls but tab and newline (ESC starts the sequences that recolour, move the cursor,
 * retitle the window), DEL, C1 controls, the bidirectional controls that make text read in another order than it
 * is stored (U+061C, U+200E/F, U+202A..E, U+2066..9) and the line and paragraph separators. What a design, a route
 * table or a user typed reaches the terminal as visible text. Inside a JSON string the replacement is the JSON escape
 * of the same character, so JSON output stays valid and means the same. Bytes that are not UTF-8 come out as
 * {@code \xNN}. A character split over two writes is judged whole.
 */
public final class ControlEscapingOutputStream extends FilterOutputStream {
    private final byte[] pending = new byte[4];
    private int pendingLength;
    private int expected;

    public ControlEscapingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        int v = b & 0xFF;
        if (pendingLength > 0) {
            if ((v & 0xC0) == 0x80) {
                pending[pendingLength++] = (byte) v;
                if (pendingLength == expected) {
                    finishSequence();
                }
                return;
            }
            invalidPending();
        }
        if (v < 0x80) {
            if (v < 0x20 && v != '\t' && v != '\n' || v == 0x7F) {
                escape(v);
            } else {
                out.write(v);
            }
        } else if (v >= 0xC2 && v <= 0xF4) {
            pending[0] = (byte) v;
            pendingLength = 1;
            expected = v < 0xE0 ? 2 : v < 0xF0 ? 3 : 4;
        } else {
            hex(v);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public void close() throws IOException {
        if (pendingLength > 0) {
            invalidPending();
        }
        super.close();
    }

    private void finishSequence() throws IOException {
        int b0 = pending[0] & 0xFF;
        int cp = b0 & (pendingLength == 2 ? 0x1F : pendingLength == 3 ? 0x0F : 0x07);
        for (int i = 1; i < pendingLength; i++) {
            cp = cp << 6 | pending[i] & 0x3F;
        }
        boolean valid = pendingLength == 2 || pendingLength == 3 && cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)
                || pendingLength == 4 && cp >= 0x10000 && cp <= 0x10FFFF;
        if (!valid) {
            invalidPending();
        } else if (acts(cp)) {
            escape(cp);
        } else {
            out.write(pending, 0, pendingLength);
        }
        pendingLength = 0;
    }

    private void invalidPending() throws IOException {
        for (int i = 0; i < pendingLength; i++) {
            hex(pending[i] & 0xFF);
        }
        pendingLength = 0;
    }

    /** Whether a code point above ASCII acts on the terminal or the text's order instead of showing. */
    static boolean acts(int cp) {
        return cp >= 0x80 && cp <= 0x9F || cp == 0x061C || cp == 0x200E || cp == 0x200F || cp >= 0x202A && cp <= 0x202E
                || cp >= 0x2066 && cp <= 0x2069 || cp == 0x2028 || cp == 0x2029;
    }

    private void escape(int cp) throws IOException {
        out.write(String.format("\\u%04x", cp).getBytes(StandardCharsets.US_ASCII));
    }

    private void hex(int v) throws IOException {
        out.write(String.format("\\x%02x", v).getBytes(StandardCharsets.US_ASCII));
    }
}
