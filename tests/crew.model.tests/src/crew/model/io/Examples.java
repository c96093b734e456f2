package crew.model.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example workspace of bundle crew.examples (the test pom passes its path as crew.examples). */
final class Examples {
    private Examples() {
    }

    static Path root() {
        String p = System.getProperty("crew.examples");
        if (p == null) {
            throw new IllegalStateException("system property crew.examples is not set (see the test pom)");
        }
        return Path.of(p);
    }

    static String text(String relative) throws IOException {
        return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
    }
}
