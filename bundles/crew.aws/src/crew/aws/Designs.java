package crew.aws;

import crew.model.endpoint.EndpointDesign;

/** Small transformations of designs that plan and apply need. */
public final class Designs {
    private Designs() {
    }

    /** {@code design} with its endpoint's id replaced by {@code endpointId} (null: a new endpoint). */
    public static EndpointDesign withEndpointId(EndpointDesign design, String endpointId) {
        return design.withEndpoint(design.endpoint().withEndpointId(endpointId));
    }
}
