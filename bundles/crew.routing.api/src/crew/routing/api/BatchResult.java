package crew.routing.api;

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
}
