package crew.ui.tunnel.internal;

import java.nio.file.Path;

/**
 * A client profile the console offers: a workspace profile (profiles/*.ovpn), an imported one, or a client profile
 * of a lab that is up (then its device namespace is where the tunnel runs).
 *
 * @param label     what the profile list shows
 * @param file      the .ovpn file
 * @param namespace the lab's device namespace, or null for this host
 * @param labId     the lab, or null
 * @param client    the lab client's name, or null
 */
record ProfileEntry(String label, Path file, String namespace, String labId, String client) {

    static ProfileEntry host(String label, Path file) {
        return new ProfileEntry(label, file, null, null, null);
    }

    boolean lab() {
        return labId != null;
    }

    /** The session id CREW uses for a tunnel from this profile (names its folder under $CREW_HOME/tunnel). */
    String sessionId() {
        if (lab()) {
            return labId + "-" + client;
        }
        String name = file.getFileName().toString().replaceAll("\\.ovpn$", "").replaceAll("[^A-Za-z0-9_.-]", "_");
        return "ui-" + (name.isEmpty() ? "profile" : name);
    }
}
