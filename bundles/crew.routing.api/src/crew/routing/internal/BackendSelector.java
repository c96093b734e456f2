package crew.routing.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;

/**
 * Keeps every registered backend with its service ranking and offers the best usable one. It binds the backends'
 * service references and gets a backend (which creates it: the Linux one loads JNA) only when it is asked for:
 * {@link #forPlatform} gets the one whose {@link RoutingBackend#PLATFORM} property matches, {@link #best} the
 * backends in ranking order until one is usable, {@link #all} every one (docs/startup.md).
 */
@Component(service = RoutingBackends.class)
public class BackendSelector implements RoutingBackends {
    /** A bound backend: its reference, and the backend once someone asked for it. */
    private static final class Slot {
        RoutingBackend backend;
    }

    private final Map<ServiceReference<RoutingBackend>, Slot> backends = new ConcurrentHashMap<>();
    private volatile BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        context = bundleContext;
    }

    @Reference(service = RoutingBackend.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBackend(ServiceReference<RoutingBackend> reference) {
        backends.put(reference, new Slot());
    }

    void removeBackend(ServiceReference<RoutingBackend> reference) {
        Slot slot = backends.remove(reference);
        BundleContext c = context;
        if (slot != null && c != null) {
            synchronized (slot) {
                if (slot.backend != null) {
                    slot.backend = null;
                    try {
                        c.ungetService(reference);
                    } catch (IllegalStateException e) {
                        // this bundle is stopping: the framework releases it
                    }
                }
            }
        }
    }

    /** The references, best first (ranking, then the framework's order). */
    private List<ServiceReference<RoutingBackend>> ranked() {
        List<ServiceReference<RoutingBackend>> refs = new ArrayList<>(backends.keySet());
        refs.sort(Comparator.comparingInt(BackendSelector::ranking).reversed());
        return refs;
    }

    private static int ranking(ServiceReference<?> reference) {
        return reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    /** The backend of a reference, got from the framework the first time; empty when it is gone or failed. */
    private Optional<RoutingBackend> backend(ServiceReference<RoutingBackend> reference) {
        Slot slot = backends.get(reference);
        BundleContext c = context;
        if (slot == null || c == null) {
            return Optional.empty();
        }
        synchronized (slot) {
            if (slot.backend == null) {
                try {
                    slot.backend = c.getService(reference);
                } catch (IllegalStateException e) {
                    slot.backend = null;
                }
            }
            return Optional.ofNullable(slot.backend);
        }
    }

    @Override
    public List<RoutingBackend> all() {
        List<RoutingBackend> list = new ArrayList<>();
        for (ServiceReference<RoutingBackend> r : ranked()) {
            backend(r).ifPresent(list::add);
        }
        return list;
    }

    @Override
    public Optional<RoutingBackend> best() {
        for (ServiceReference<RoutingBackend> r : ranked()) {
            Optional<RoutingBackend> b = backend(r);
            if (b.isPresent() && b.get().capabilities().usable()) {
                return b;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<RoutingBackend> forPlatform(String platform) {
        for (ServiceReference<RoutingBackend> r : ranked()) {
            Object declared = r.getProperty(RoutingBackend.PLATFORM);
            // a backend registered without the property is asked for its platform
            if (declared == null || platform.equals(declared)) {
                Optional<RoutingBackend> b = backend(r);
                if (b.isPresent() && b.get().platform().equals(platform)) {
                    return b;
                }
            }
        }
        return Optional.empty();
    }
}
