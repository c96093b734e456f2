package crew.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The byte-level filter behind every command's output: characters split over writes, bytes that are not UTF-8. */
class ControlEscapingOutputStreamTest {

    private static String through(byte[]... writes) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (ControlEscapingOutputStream out = new ControlEscapingOutputStream(sink)) {
            for (byte[] w : writes) {
                out.write(w);
            }
        }
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void givenCharactersSplitAcrossWrites_whenFiltered_thenJudgedWhole() throws IOException {
        byte[] rlo = "\u202e".getBytes(StandardCharsets.UTF_8);
        byte[] e = "\u00e9".getBytes(StandardCharsets.UTF_8);
        assertEquals("a\\u202eb\u00e9", through("a".getBytes(StandardCharsets.US_ASCII), new byte[] {rlo[0]}, new byte[] {rlo[1], rlo[2], 'b', e[0]},
                new byte[] {e[1]}));
    }

    @Test
    void givenBytesThatAreNotUtf8_whenFiltered_thenHexEscapes() throws IOException {
        // a lone C1 CSI byte (0x9B) acts as ESC [ on some terminals; a truncated sequence; an encoded surrogate
        assertEquals("\\x9bx\\xe2\\x80y\\xed\\xa0\\x80", through(new byte[] {(byte) 0x9B, 'x', (byte) 0xE2, (byte) 0x80, 'y', (byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertEquals("\\xc3", through(new byte[] {(byte) 0xC3}));
    }

    @Test
    void givenJsonWithBidiControls_whenFiltered_thenStillTheSameJson() throws IOException {
        String json = "{\"Name\": \"a\u202eb\u2066c\u0085\"}";
        String shown = through(json.getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"Name\": \"a\\u202eb\\u2066c\\u0085\"}", shown);
        assertEquals(com.google.gson.JsonParser.parseString(json), com.google.gson.JsonParser.parseString(shown));
    }
}
