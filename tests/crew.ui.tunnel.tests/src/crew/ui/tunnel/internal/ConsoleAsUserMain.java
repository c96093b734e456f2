package crew.ui.tunnel.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * The main class of the workbench process {@link TunnelConsoleAsUserTest} starts as an ordinary user: an OSGi
 * framework (Equinox, through the standard launch API) with the test runtime's bundles as the test listed them,
 * then {@link ConsoleAsUserDriver} loaded from crew.ui.tunnel and run on the main thread. Only the framework's
 * launch API here: this class is loaded from the plain class path, outside OSGi. Arguments: LAUNCH_PROPERTIES
 * DRIVER_ARGS...; the properties hold the framework's ({@code framework.*}) and {@code bundles}, each
 * {@code LOCATION@LEVEL[:start]} as in a config.ini.
 */
public final class ConsoleAsUserMain {

    private ConsoleAsUserMain() {
    }

    public static void main(String[] args) throws Exception {
        int rc = 70;
        try {
            Properties launch = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
                launch.load(r);
            }
            Map<String, String> config = new HashMap<>();
            launch.stringPropertyNames().stream().filter(k -> k.startsWith("framework.")).forEach(k -> config.put(k.substring(10), launch.getProperty(k)));
            Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
            framework.start();
            BundleContext context = framework.getBundleContext();
            install(context, launch.getProperty("bundles"));
            framework.adapt(FrameworkStartLevel.class).setStartLevel(6);
            Bundle host = Arrays.stream(context.getBundles()).filter(b -> "crew.ui.tunnel".equals(b.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("crew.ui.tunnel is not installed"));
            Class<?> driver = host.loadClass(ConsoleAsUserMain.class.getPackageName() + ".ConsoleAsUserDriver");
            rc = (Integer) driver.getMethod("run", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (Throwable t) {
            System.out.println("FAIL the driver did not run: " + t);
            t.printStackTrace(System.out);
        } finally {
            System.out.flush();
            // the console's agent sessions outlive this process by design; nothing here needs an orderly end
            Runtime.getRuntime().halt(rc);
        }
    }

    private static void install(BundleContext context, String bundles) throws Exception {
        for (String entry : bundles.split(",")) {
            String location = entry;
            int level = 4;
            boolean start = false;
            int at = entry.lastIndexOf('@');
            if (at > 0) {
                location = entry.substring(0, at);
                String[] spec = entry.substring(at + 1).split(":");
                level = spec[0].isEmpty() ? 4 : Integer.parseInt(spec[0]);
                start = spec.length > 1 && spec[1].equals("start");
            }
            Bundle b = context.installBundle(location);
            b.adapt(BundleStartLevel.class).setStartLevel(level);
            if (start && b.getHeaders().get("Fragment-Host") == null) {
                b.start();
            }
        }
    }

    /** For the test: whether {@code p} is readable by every user (each folder above it searchable). */
    static boolean worldReadable(Path p) throws IOException {
        for (Path q = p.toAbsolutePath(); q != null; q = q.getParent()) {
            var perms = Files.getPosixFilePermissions(q);
            boolean ok = Files.isDirectory(q) ? perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)
                    && (q.equals(p.toAbsolutePath()) ? perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ) : true)
                    : perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
