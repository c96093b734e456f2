package crew.ui.designer.internal;

import java.util.ArrayList;
import java.util.List;

import crew.design.device.DevicePrediction;
import crew.design.device.DevicePredictor;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;

/**
 * The prediction tab's fleet table, as {@code crew predict --devices DIR} prints it: every device snapshot of the
 * workspace against the design as it is, what each device loses under CRE and what would leave outside the tunnel
 * without it.
 */
final class FleetPrediction {

    /** One device: its snapshot, its routes, what CRE removes, what would leak without CRE; or why it was not predicted. */
    record Device(String label, int routes, List<DeviceRoute> removed, List<DevicePrediction.Leak> leaks, String error) {
    }

    private FleetPrediction() {
    }

    /** Runs off the UI thread: reads every snapshot source (not this device's live table) and predicts it. */
    static List<Device> compute(EndpointDesign design, List<DeviceSources.Source> sources, DesignAnalysis.Settings settings) {
        List<Device> out = new ArrayList<>();
        for (DeviceSources.Source s : sources) {
            if (s.live()) {
                continue;
            }
            try {
                List<DeviceRoute> table = DeviceSources.read(s);
                DevicePrediction p = DevicePredictor.predict(DesignAnalysis.request(design, table, settings));
                List<DeviceRoute> removed = p.enforced() ? p.conflicts().stream().map(c -> c.route()).toList() : List.of();
                out.add(new Device(s.label(), table.size(), removed, p.leaks(), null));
            } catch (java.io.IOException | RuntimeException e) {
                out.add(new Device(s.label(), 0, List.of(), List.of(), e.getMessage()));
            }
        }
        return out;
    }
}
