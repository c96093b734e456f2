package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may change network devices and routes (root, or the CAP_NET_ADMIN capability). */
final class NetworkPrivileges {
    static final String NEEDED = "A tunnel needs root: CREW's privileged agent runs it for you, and no agent runs. Start one with"
            + " 'sudo ./crew agent' (or install it for systemd: 'sudo ./crew agent install'), and join group crew: 'sudo usermod -aG crew $USER'"
            + " (docs/agent.md).";
    static final String NEEDED_LAB = "The lab needs root: CREW's privileged agent runs it for you, and no agent runs. Start one with"
            + " 'sudo ./crew agent' (or install it for systemd: 'sudo ./crew agent install'), and join group crew: 'sudo usermod -aG crew $USER'"
            + " (docs/agent.md).";
    private static final int CAP_NET_ADMIN = 12;

    private NetworkPrivileges() {
    }

    /** From the effective capability set of /proc/self/status (root has every capability). */
    static boolean canAdministerNetwork() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << CAP_NET_ADMIN)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no way to tell, let the backend say
            return true;
        }
        return false;
    }
}
