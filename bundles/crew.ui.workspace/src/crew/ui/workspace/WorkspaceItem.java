package crew.ui.workspace;

import java.nio.file.Path;

/** One thing in the workspace folder that the navigator shows and an editor opens. */
public record WorkspaceItem(Kind kind, Path path, String label) {

    /** What a workspace file is, decided by its folder and name. */
    public enum Kind {
        ENDPOINT_DESIGN("Endpoint designs"), DEVICE_SNAPSHOT("Device snapshots"), LAB_SESSION("Lab sessions"),
        /** Saved {@code aws ec2 describe-client-vpn-*} output: the context menu imports it as designs. */
        AWS_CLI_OUTPUT("AWS CLI output");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        /** The navigator's heading for items of this kind. */
        public String title() {
            return title;
        }
    }
}
