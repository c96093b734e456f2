package crew.routing.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingBackends;

/** Keeps every registered backend with its service ranking and offers the best usable one. */
@Component(service = RoutingBackends.class)
public class BackendSelector implements RoutingBackends {
    private final Map<RoutingBackend, Integer> rankings = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addBackend(RoutingBackend backend, Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        rankings.put(backend, ranking instanceof Integer i ? i : 0);
    }

    public void removeBackend(RoutingBackend backend) {
        rankings.remove(backend);
    }

    @Override
    public List<RoutingBackend> all() {
        List<RoutingBackend> list = new ArrayList<>(rankings.keySet());
        list.sort(Comparator.comparing((RoutingBackend b) -> rankings.getOrDefault(b, 0)).reversed());
        return list;
    }

    @Override
    public Optional<RoutingBackend> best() {
        return all().stream().filter(b -> b.capabilities().usable()).findFirst();
    }

    @Override
    public Optional<RoutingBackend> forPlatform(String platform) {
        return all().stream().filter(b -> b.platform().equals(platform)).findFirst();
    }
}
