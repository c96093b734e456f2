package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import crew.agent.api.AgentTransport;

/** Whether this process may change network devices and routes (root, or the CAP_NET_ADMIN capability). */
final class NetworkPrivileges {
    /** How to get an agent, in the words every "no agent" message ends with. */
    static final String HOW_TO_START = "Start one with 'sudo ./crew agent' (or install it for systemd: 'sudo ./crew agent install'), and join"
            + " group crew to control it: 'sudo usermod -aG crew $USER', then log in again (docs/agent.md).";
    private static final int CAP_NET_ADMIN = 12;

    private NetworkPrivileges() {
    }

    /** Why a tunnel cannot start from this workbench, and how to start the agent that runs it. */
    static String needed() {
        return "No CREW agent runs at " + AgentTransport.system().address() + ": the agent runs tunnels for you (they change the device's routes)."
                + " " + HOW_TO_START;
    }

    /** Why a lab cannot start from this workbench, and how to start the agent that runs it. */
    static String neededForLab() {
        return "No CREW agent runs at " + AgentTransport.system().address() + ": the agent runs labs for you (network namespaces and an openvpn"
                + " server). " + HOW_TO_START;
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
