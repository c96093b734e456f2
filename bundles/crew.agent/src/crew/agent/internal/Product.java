package crew.agent.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The product this process runs from: its folder, its Equinox launcher, the Java running it. */
record Product(Path directory, Optional<Path> launcher, String java) {

    static Product current() {
        String area = System.getProperty("osgi.install.area", "").replaceFirst("^file:", "");
        Path dir = Path.of(area.isEmpty() ? "." : area).toAbsolutePath().normalize();
        Optional<Path> launcher = Optional.empty();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.resolve("plugins"), "org.eclipse.equinox.launcher_*.jar")) {
            for (Path p : s) {
                launcher = Optional.of(p);
            }
        } catch (IOException e) {
            // not run from a product
        }
        return new Product(dir, launcher, ProcessHandle.current().info().command().orElse("java"));
    }

    /**
     * The command line of {@code crew agent} in this product, with its own CREW home and configuration area, from the
     * agent's configuration (CREW's own bundles: docs/agent.md) when the product has one.
     */
    List<String> agentCommand(Path home, Path socket) {
        Path shared = directory.resolve("configuration-agent");
        if (!Files.isRegularFile(shared.resolve("config.ini"))) {
            shared = directory.resolve("configuration");
        }
        List<String> c = new ArrayList<>(List.of(java, "-Dosgi.requiredJavaVersion=17", "-Djava.awt.headless=true", "-Dcrew.home=" + home,
                "-Dosgi.sharedConfiguration.area=" + shared, "-Dosgi.configuration.cascaded=true", "-jar",
                launcher.orElseThrow().toString(), "-configuration", home.resolve("configuration").toString(), "-data", home.resolve("workspace").toString(),
                "-application", "crew.cli.app", "agent", "--socket", socket.toString()));
        return c;
    }
}
