import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Removes the jar signature files (META-INF/*.SF, *.RSA, *.DSA, *.EC) from the jars named on the command line, keeping
 * every other entry, its order, time and compression. Run by releng/prepare-product.sh as a single-file program
 * ({@code java releng/StripJarSignatures.java JAR...}) on the jars the JVM itself loads, the Equinox launcher,
 * the framework and its extension fragment org.eclipse.osgi.compatibility.state (appended to the framework's class
 * path; its signature check alone loaded 150 classes of the JDK's security code, 300 in all): the JVM checks a signed jar's digests at every class it loads from it (about 0.25 s of each start
 * on 2 cores), while the signature protects nothing there (a jar altered together with its signature files is just
 * an unsigned jar to the JVM). Prints what it removed; a jar without signature files is left as it is.
 */
public final class StripJarSignatures {
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: java StripJarSignatures.java JAR...");
            System.exit(2);
        }
        for (String a : args) {
            strip(Path.of(a));
        }
    }

    static boolean isSignatureFile(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (!n.startsWith("META-INF/") || n.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return n.endsWith(".SF") || n.endsWith(".RSA") || n.endsWith(".DSA") || n.endsWith(".EC") || n.startsWith("META-INF/SIG-");
    }

    static void strip(Path jar) throws IOException {
        int removed = 0;
        Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                if (isSignatureFile(entry.getName())) {
                    removed++;
                    continue;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                copy.setMethod(entry.getMethod());
                if (entry.getMethod() == ZipEntry.STORED) {
                    copy.setSize(entry.getSize());
                    copy.setCompressedSize(entry.getSize());
                    copy.setCrc(entry.getCrc());
                }
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        if (removed == 0) {
            Files.delete(tmp);
            System.out.println(jar.getFileName() + ": not signed, left as it is");
            return;
        }
        // the temporary file is the owner's only (0600): give it the jar's permissions, or other users of an installed
        // product (a root-owned /opt/crew, an archive unpacked by root) could not read the launcher and framework jars
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(jar));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: nothing to keep
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println(jar.getFileName() + ": removed " + removed + " signature files");
    }
}
