package crew.aws;

import java.util.List;

import crew.model.endpoint.EndpointDesign;

/** What a pull brings home: the design, the endpoint's client connections and its exported client configuration. */
public record PulledEndpoint(EndpointDesign design, List<ActiveConnection> connections, String clientConfiguration) {
    public PulledEndpoint {
        connections = connections == null ? List.of() : List.copyOf(connections);
    }
}
