package crew.ui.designer.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import crew.model.device.DeviceRoute;

/**
 * This device's routing table through the {@code crew.routing.api.RoutingBackends} service, whose package this
 * bundle imports optionally: without crew.routing.api installed (or without a backend) there is simply no such
 * choice. The service's best usable backend is the live one where it can be read, else the simulated one.
 */
final class LiveDeviceTable {

    private LiveDeviceTable() {
    }

    /** The choice's label, naming the backend, when the service is there. */
    static Optional<String> label() {
        try {
            return Access.backend().map(b -> "This device (" + b + " routing backend)");
        } catch (LinkageError e) {
            return Optional.empty(); // crew.routing.api is not installed
        }
    }

    static List<DeviceRoute> read() throws IOException {
        try {
            return Access.read();
        } catch (LinkageError e) {
            throw new IOException("the routing service (crew.routing.api) is not installed", e);
        }
    }

    /** Loaded only when crew.routing.api is wired. */
    private static final class Access {
        static Optional<crew.routing.api.RoutingBackend> best() {
            Bundle bundle = FrameworkUtil.getBundle(LiveDeviceTable.class);
            BundleContext context = bundle == null ? null : bundle.getBundleContext();
            if (context == null) {
                return Optional.empty();
            }
            ServiceReference<crew.routing.api.RoutingBackends> ref = context.getServiceReference(crew.routing.api.RoutingBackends.class);
            if (ref == null) {
                return Optional.empty();
            }
            crew.routing.api.RoutingBackends backends = context.getService(ref);
            try {
                return backends == null ? Optional.empty() : backends.best();
            } finally {
                context.ungetService(ref);
            }
        }

        static Optional<String> backend() {
            return best().map(crew.routing.api.RoutingBackend::platform);
        }

        static List<DeviceRoute> read() throws IOException {
            crew.routing.api.RoutingBackend b = best().orElseThrow(() -> new IOException("no usable routing backend"));
            try {
                return b.routes();
            } catch (crew.routing.api.RoutingException e) {
                throw new IOException(b.platform() + " routing backend: " + e.getMessage(), e);
            }
        }
    }
}
