package crew.aws;

import java.util.ArrayList;
import java.util.List;

import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.EndpointDesign;

/**
 * The account's endpoints that an earlier apply of a design already made, so that applying a design without an
 * endpoint id again (or with {@code --new}) does not silently create a second endpoint: the endpoint its completed
 * apply state records, and the endpoints that carry the design's name (its Name tag, else its description, the
 * name {@link AccountReader} gives a pulled endpoint). Deleted endpoints do not count.
 */
public final class AppliedEndpoints {

    /** One endpoint found, and why it is taken for this design's. */
    public record Found(String endpointId, String why) {
        @Override
        public String toString() {
            return endpointId + " (" + why + ")";
        }
    }

    private AppliedEndpoints() {
    }

    /**
     * @param state      the design's apply state, or null when it has none (or it is not kept)
     * @param stateFile  where that state is, for the message
     * @param account    the account's endpoints ({@link AccountReader#endpoints()})
     */
    public static List<Found> find(EndpointDesign design, ApplyState state, String stateFile, List<ClientVpnEndpoint> account) {
        List<ClientVpnEndpoint> live = account.stream().filter(e -> !"deleted".equals(e.status())).toList();
        List<Found> found = new ArrayList<>();
        if (state != null && state.complete() && state.endpointId() != null
                && live.stream().anyMatch(e -> state.endpointId().equals(e.endpointId()))) {
            found.add(new Found(state.endpointId(), "recorded by the completed apply in " + stateFile));
        }
        ClientVpnEndpoint want = design.endpoint();
        String tag = want.tags().get("Name");
        for (ClientVpnEndpoint e : live) {
            if (found.stream().anyMatch(f -> f.endpointId().equals(e.endpointId()))) {
                continue;
            }
            if (tag != null && !tag.isBlank() && tag.equals(e.tags().get("Name"))) {
                found.add(new Found(e.endpointId(), "Name tag \"" + tag + "\""));
            } else if ((tag == null || tag.isBlank()) && want.description() != null && !want.description().isBlank()
                    && e.tags().get("Name") == null && want.description().equals(e.description())) {
                found.add(new Found(e.endpointId(), "description \"" + want.description() + "\""));
            }
        }
        return found;
    }

    /** "this design was already applied: the account has endpoint ID (why)." for a non-empty {@code found}. */
    public static String describe(List<Found> found) {
        return "this design was already applied: the account has " + (found.size() == 1 ? "endpoint " : "endpoints ")
                + String.join(", ", found.stream().map(Found::toString).toList()) + ".";
    }
}
