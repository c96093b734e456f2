package crew.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a live test needs from the machine (a display, root, a binary). A missing prerequisite skips the test with
 * the stated reason; when the build runs strict ({@code CREW_TESTS_STRICT=1}, as .ci/run sets it) it fails the
 * test instead, so that CI can never pass by skipping.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    /** Whether missing prerequisites fail tests instead of skipping them. */
    public static boolean strict() {
        String p = System.getProperty("crew.tests.strict", "");
        String e = System.getenv("CREW_TESTS_STRICT");
        return "1".equals(p) || "true".equalsIgnoreCase(p) || "1".equals(e) || "true".equalsIgnoreCase(e);
    }

    /** Skips (or, strict, fails) with {@code reason} unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (strict()) {
            Assertions.fail("prerequisite missing in a strict run: " + reason);
        }
        Assumptions.assumeTrue(false, "skipped: " + reason);
    }

    /** An X display (run the build under xvfb-run). */
    public static void requireDisplay() {
        String display = System.getenv("DISPLAY");
        require(display != null && !display.isBlank(), "no X display (DISPLAY is unset): run the build under 'xvfb-run -a'");
    }

    /** Root, for network namespaces and route changes. */
    public static void requireRoot() {
        require(isRoot(), "needs root (network namespaces and route changes need CAP_NET_ADMIN)");
    }

    public static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** An executable on PATH (or at an absolute path); returns its path. */
    public static Path requireExecutable(String name, String why) {
        Optional<Path> found = findExecutable(name);
        require(found.isPresent(), "'" + name + "' not found on PATH (" + why + ")");
        return found.orElseThrow();
    }

    public static Optional<Path> findExecutable(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        path += ":/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The test module's build output folder (target/), where screenshots and reports go. */
    public static Path buildDirectory() {
        return Path.of(System.getProperty("crew.build.dir", "target"));
    }
}
