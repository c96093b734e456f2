package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may change network devices and routes (root, or the CAP_NET_ADMIN capability). */
final class NetworkPrivileges {
    static final String NEEDED = "A tunnel needs root or CAP_NET_ADMIN: CREW configures the tunnel device and installs and protects its"
            + " routes itself. Start the workbench as root (sudo ./crew).";
    static final String NEEDED_LAB = "The lab needs root or CAP_NET_ADMIN: it creates network namespaces, interfaces and an openvpn server."
            + " Start the workbench as root (sudo ./crew).";
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
