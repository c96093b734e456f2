package crew.design;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.RouteSnapshot;
import crew.model.io.WorkspaceFile;

/** The example workspace, for tests (crew.examples system property from the test pom). */
public final class Designs {
    private Designs() {
    }

    public static Path root() {
        return Path.of(System.getProperty("crew.examples"));
    }

    public static EndpointDesign example(String name) {
        try {
            Path p = root().resolve("designs/" + name + ".crew.json");
            return WorkspaceFile.read(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static List<DeviceRoute> device(String file) {
        try {
            return new ArrayList<>(RouteSnapshot.read(root().resolve("devices/" + file)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
