package crew.model.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Reads the text files CREW takes as input (designs, AWS CLI output, route tables, profiles): UTF-8 only, so that a
 * file saved as UTF-16 (PowerShell's {@code >} does that), a binary file or one with a stray Latin-1 byte is refused
 * with what it is and where, instead of a decoder's "Input length = 1". A leading UTF-8 byte order mark is skipped:
 * it carries no content.
 */
public final class TextFiles {

    private TextFiles() {
    }

    /**
     * The file's text.
     *
     * @throws IOException            when it cannot be read ({@link #reason(IOException)} says why in words)
     * @throws SourceFormatException when it is not UTF-8 text, naming the byte offset and the line
     */
    public static String read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory");
        }
        return decode(file.toString(), Files.readAllBytes(file));
    }

    /** {@code bytes} as UTF-8 text, or a {@link SourceFormatException} saying what they are instead and where. */
    public static String decode(String source, byte[] bytes) {
        String bom = byteOrderMark(bytes);
        if (bom != null) {
            throw new SourceFormatException(source, 1, "the file is " + bom + " (it starts with that byte order mark); CREW reads UTF-8: "
                    + "convert it, e.g. iconv -f " + bom + " -t UTF-8");
        }
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                String utf16 = looksLikeUtf16(bytes, start);
                String what = utf16 != null ? "it looks like " + utf16 + " without a byte order mark (NUL bytes between the characters); "
                        + "CREW reads UTF-8: convert it, e.g. iconv -f " + utf16 + " -t UTF-8"
                        : "it is not a text file";
                throw new SourceFormatException(source, lineAt(bytes, i), "a NUL byte at byte offset " + i + ": " + what);
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            StringBuilder seq = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + result.length()); i++) {
                seq.append(seq.length() == 0 ? "" : " ").append(String.format("0x%02X", bytes[i] & 0xFF));
            }
            throw new SourceFormatException(source, lineAt(bytes, at), "byte " + seq + " at byte offset " + at
                    + " is not UTF-8 (is the file in another encoding, such as Latin-1 or Windows-1252?): save it as UTF-8");
        }
        out.flip();
        return out.toString();
    }

    /** The encoding a byte order mark at the start names, other than UTF-8's; null when there is none. */
    private static String byteOrderMark(byte[] b) {
        int b0 = b.length > 0 ? b[0] & 0xFF : -1;
        int b1 = b.length > 1 ? b[1] & 0xFF : -1;
        int b2 = b.length > 2 ? b[2] & 0xFF : -1;
        int b3 = b.length > 3 ? b[3] & 0xFF : -1;
        if (b0 == 0x00 && b1 == 0x00 && b2 == 0xFE && b3 == 0xFF) {
            return "UTF-32BE";
        }
        if (b0 == 0xFF && b1 == 0xFE && b2 == 0x00 && b3 == 0x00) {
            return "UTF-32LE";
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            return "UTF-16BE";
        }
        if (b0 == 0xFF && b1 == 0xFE) {
            return "UTF-16LE";
        }
        return null;
    }

    /** UTF-16LE or BE when the NUL bytes of the first characters fall on odd or even offsets (ASCII text), else null. */
    private static String looksLikeUtf16(byte[] b, int start) {
        int n = Math.min(b.length - start, 64) / 2 * 2;
        if (n < 2) {
            return null;
        }
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < n; i++) {
            if (b[start + i] == 0) {
                if (i % 2 == 0) {
                    evenNul++;
                } else {
                    oddNul++;
                }
            }
        }
        if (oddNul * 2 >= n / 2 && evenNul == 0) {
            return "UTF-16LE";
        }
        if (evenNul * 2 >= n / 2 && oddNul == 0) {
            return "UTF-16BE";
        }
        return null;
    }

    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * Why a file could not be read, in words: "no such file", "permission denied", "is a directory", "not a directory"
     * (a parent is a file), or the system's own reason.
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String r = f.getReason();
            return r.isEmpty() ? r : Character.toLowerCase(r.charAt(0)) + r.substring(1);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
