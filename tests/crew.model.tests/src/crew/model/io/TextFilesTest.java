package crew.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input files in another encoding than UTF-8, binary ones, and files that cannot be read, each said in words. */
class TextFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void givenUtf16WithAByteOrderMark_whenRead_thenTheEncodingIsNamed() throws Exception {
        String design = Examples.text("designs/split-tunnel.crew.json");
        for (String cs : new String[] {"UTF-16LE", "UTF-16BE"}) {
            byte[] bom = cs.endsWith("LE") ? new byte[] {(byte) 0xFF, (byte) 0xFE} : new byte[] {(byte) 0xFE, (byte) 0xFF};
            byte[] body = design.getBytes(Charset.forName(cs));
            byte[] all = new byte[bom.length + body.length];
            System.arraycopy(bom, 0, all, 0, 2);
            System.arraycopy(body, 0, all, 2, body.length);
            Path p = write("d.crew.json", all);
            SourceFormatException e = assertThrows(SourceFormatException.class, () -> WorkspaceFile.read(p));
            assertEquals(p + ":1: the file is " + cs + " (it starts with that byte order mark); CREW reads UTF-8: convert it, e.g. iconv -f " + cs
                    + " -t UTF-8", e.getMessage());
        }
    }

    @Test
    void givenUtf16WithoutAByteOrderMark_whenRead_thenRecognised() throws Exception {
        Path p = write("route.txt", "default via 192.168.1.1 dev eth0\n".getBytes(StandardCharsets.UTF_16LE));
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> RouteSnapshot.read(p));
        assertTrue(e.getMessage().contains("a NUL byte at byte offset 1: it looks like UTF-16LE without a byte order mark"), e.getMessage());
    }

    @Test
    void givenBinaryOrLatin1_whenRead_thenByteOffsetAndLine() throws Exception {
        Path binary = write("b.json", new byte[] {'{', '\n', '\n', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        SourceFormatException nul = assertThrows(SourceFormatException.class, () -> TextFiles.read(binary));
        assertEquals(binary + ":3: a NUL byte at byte offset 3: it is not a text file", nul.getMessage());
        byte[] latin1 = "{\"Name\":\n \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        Path p = write("l.json", latin1);
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> TextFiles.read(p));
        assertEquals(2, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("byte 0xE9 at byte offset 14 is not UTF-8"), e.getMessage());
    }

    @Test
    void givenUtf8WithAByteOrderMark_whenRead_thenTheMarkIsSkipped() throws Exception {
        byte[] body = "{\"Routes\": [{\"DestinationCidr\": \"10.0.0.0/8\", \"TargetSubnet\": \"s\"}]}".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + 3];
        all[0] = (byte) 0xEF;
        all[1] = (byte) 0xBB;
        all[2] = (byte) 0xBF;
        System.arraycopy(body, 0, all, 3, body.length);
        String text = TextFiles.read(write("r.json", all));
        assertEquals('{', text.charAt(0));
        assertEquals(1, AwsCliJson.readRoutes("r.json", text).size());
        assertEquals("caf\u00e9 \u2603", TextFiles.decode("x", "caf\u00e9 \u2603".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void givenFilesThatCannotBeRead_whenRead_thenTheReasonInWords() throws Exception {
        IOException missing = assertThrows(IOException.class, () -> TextFiles.read(dir.resolve("nope.json")));
        assertEquals("no such file", TextFiles.reason(missing));
        IOException directory = assertThrows(IOException.class, () -> TextFiles.read(dir));
        assertEquals("is a directory", TextFiles.reason(directory));
        Path file = write("f", new byte[0]);
        IOException notDir = assertThrows(IOException.class, () -> TextFiles.read(file.resolve("x.json")));
        assertEquals("not a directory", TextFiles.reason(notDir));
        // root reads any file, so the denial the JDK reports for another user is checked as the JDK reports it
        assertEquals("permission denied", TextFiles.reason(new AccessDeniedException("/etc/shadow")));
    }
}
