package crew.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** The class path of bundles of this framework, for a plain-java process the tests start (an agent to kill, a probe). */
final class TestClassPath {

    private TestClassPath() {
    }

    /** Each wanted bundle's jar, or its target/classes when it is a folder of the reactor. */
    static List<Path> of(Predicate<String> wanted) {
        List<Path> out = new ArrayList<>();
        for (Bundle b : FrameworkUtil.getBundle(TestClassPath.class).getBundleContext().getBundles()) {
            if (b.getSymbolicName() == null || !wanted.test(b.getSymbolicName())) {
                continue;
            }
            // "initial@reference:file:../../bundles/x/target/x.jar", relative to the framework's install area
            String loc = b.getLocation().replaceFirst("^initial@", "").replaceFirst("^reference:", "").replaceFirst("^file:", "");
            File f = new File(loc);
            if (!f.isAbsolute()) {
                f = new File(System.getProperty("osgi.install.area", "").replaceFirst("^file:", ""), loc);
            }
            Path src = f.toPath().normalize();
            if (Files.isDirectory(src.resolve("target/classes"))) {
                src = src.resolve("target/classes");
            }
            out.add(src);
        }
        return out;
    }

    /** What a killable agent needs (AgentMain). */
    static String agent() {
        return String.join(File.pathSeparator, of(n -> n.startsWith("crew.") || n.equals("com.google.gson") || n.startsWith("com.sun.jna")
                || n.startsWith("bc")).stream().map(Path::toString).toList());
    }
}
