package crew.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A code-signing key made at test time with the JDK's keytool (self-signed, in a scratch keystore whose password
 * is a throwaway), and jarsigner to sign with it. Nothing of it outlives the test's folder.
 */
final class TestSigner {
    private static final String PASSWORD = "test-only-" + ProcessHandle.current().pid();
    final Path keystore;
    final String alias;

    private TestSigner(Path keystore, String alias) {
        this.keystore = keystore;
        this.alias = alias;
    }

    static TestSigner create(Path dir, String alias, String dname) throws Exception {
        Path ks = dir.resolve(alias + ".p12");
        run(tool("keytool"), "-genkeypair", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD,
                "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", dname);
        return new TestSigner(ks, alias);
    }

    /** Exports the certificate (PEM) to {@code file}. */
    Path exportCertificate(Path file) throws Exception {
        run(tool("keytool"), "-exportcert", "-rfc", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-alias", alias, "-file", file.toString());
        return file;
    }

    void sign(Path jar) throws Exception {
        run(tool("jarsigner"), "-keystore", keystore.toString(), "-storepass", PASSWORD, jar.toString(), alias);
    }

    /** A small jar with a manifest and {@code entries} (name, content). */
    static Path jar(Path file, String... entries) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), m)) {
            for (int i = 0; i < entries.length; i += 2) {
                out.putNextEntry(new JarEntry(entries[i]));
                out.write(entries[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return file;
    }

    static String tool(String name) {
        Path p = Path.of(System.getProperty("java.home"), "bin", name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("no " + name + " in " + p.getParent() + ": the tests need a JDK, not a JRE");
        }
        return p.toString();
    }

    static void run(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd.get(0) + " failed: " + out);
        }
    }
}
