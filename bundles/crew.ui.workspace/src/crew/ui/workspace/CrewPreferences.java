package crew.ui.workspace;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;

/**
 * Keys of the instance scope preference node {@code crew}. The workbench's preference pages write them; headless
 * services read the same node (InstanceScope.INSTANCE.getNode("crew")).
 */
public final class CrewPreferences {
    /** The node name, shared with crew.ui.app's general page. */
    public static final String NODE = "crew";
    /** Workspace folder (written by crew.ui.app's general page). */
    public static final String WORKSPACE = "workspace";
    /** AWS named profile (~/.aws/config) used by pull/plan/apply; empty: the SDK's default chain. */
    public static final String AWS_PROFILE = "aws.profile";
    /** AWS region, e.g. eu-west-1; empty: the profile's region. */
    public static final String AWS_REGION = "aws.region";
    /**
     * "true": AWS actions use the embedded local account (crew.aws.local, as {@code crew aws --local}) instead of an
     * AWS account; no credentials needed.
     */
    public static final String AWS_LOCAL = "aws.local";
    /** The local account's state file; empty: $CREW_HOME/aws-local.json, the same as {@code crew aws --local}. */
    public static final String AWS_LOCAL_STATE = "aws.local.state";
    /** Path of the openvpn binary. */
    public static final String OPENVPN_PATH = "openvpn.path";
    /** Enforcement mode: a {@link crew.enforce.EnforcementMode} name in lower case (aws, extended, strict). */
    public static final String ENFORCEMENT_MODE = "enforcement.mode";

    /** Defaults, also what headless services assume when a key is absent. */
    public static final String DEFAULT_OPENVPN_PATH = "/usr/sbin/openvpn";
    public static final String DEFAULT_ENFORCEMENT_MODE = crew.enforce.EnforcementMode.AWS.name().toLowerCase(java.util.Locale.ROOT);
    /** The enforcement modes crew.enforce offers, in its order. */
    public static final String[] ENFORCEMENT_MODES = java.util.Arrays.stream(crew.enforce.EnforcementMode.values())
            .map(m -> m.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);

    private CrewPreferences() {
    }

    public static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode(NODE);
    }

    public static String get(String key, String fallback) {
        return node().get(key, fallback);
    }

    /** The local account's state file ({@link #AWS_LOCAL_STATE}, else $CREW_HOME/aws-local.json: {@link crew.model.io.CrewHome}). */
    public static java.nio.file.Path localAccountState() {
        String p = get(AWS_LOCAL_STATE, "").trim();
        return p.isEmpty() ? crew.model.io.CrewHome.localAwsAccount() : java.nio.file.Path.of(p);
    }

    /** Stores and flushes; a failed flush is reported to the caller, never swallowed. */
    public static void put(String key, String value) throws BackingStoreException {
        IEclipsePreferences node = node();
        node.put(key, value);
        node.flush();
    }
}
