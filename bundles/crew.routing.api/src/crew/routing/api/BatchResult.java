package crew.routing.api;

import java.util.ArrayList;
import java.util.List;

import crew.model.device.DeviceRoute;

/** The outcome of a batch: which changes the OS accepted and which it refused, each with the reason. */
public record BatchResult(List<DeviceRoute> done, List<Failure> failed) {

    public BatchResult {
        done = List.copyOf(done);
        failed = List.copyOf(failed);
    }

    public record Failure(DeviceRoute route, RoutingException error) {
    }

    public boolean allDone() {
        return failed.isEmpty();
    }

    /** One route's deletion, for {@link #deleteEach}. */
    @FunctionalInterface
    public interface Deletion {
        void delete(DeviceRoute route) throws RoutingException;
    }

    /**
     * {@link RoutingBackend#deleteAll} for an OS without a batch call: each route deleted in turn with {@code delete},
     * a route already gone ({@link RoutingException#isNotFound}) counted as done, every other refusal kept with its
     * route; one refusal does not stop the rest.
     *
     * @since 1.1
     */
    public static BatchResult deleteEach(List<DeviceRoute> routes, Deletion delete) {
        List<DeviceRoute> done = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        for (DeviceRoute r : routes) {
            try {
                delete.delete(r);
                done.add(r);
            } catch (RoutingException e) {
                if (e.isNotFound()) {
                    done.add(r);
                } else {
                    failed.add(new Failure(r, e));
                }
            }
        }
        return new BatchResult(done, failed);
    }
}
