package crew.agent.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;

/**
 * A user's own copies of the client profiles of a lab the agent runs (the agent sends their content; its files are
 * root's): $CREW_HOME/agent-lab/ID/clients/NAME.ovpn, 0600, apart from the labs an in-process crew keeps under lab/.
 */
public final class LabCopies {

    private LabCopies() {
    }

    public static Path directory(Path crewHome, String labId) {
        return crewHome.resolve("agent-lab").resolve(labId).resolve("clients");
    }

    /** Writes {@code profiles} (client name to .ovpn text, as lab.up answers) and returns the files, in that order. */
    public static List<Path> write(Path crewHome, String labId, JsonObject profiles) throws IOException {
        Path dir = directory(crewHome, labId);
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (String name : profiles.keySet()) {
            if (!name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
                throw new IOException("the agent named a lab client '" + name + "', which is not a file name");
            }
            Path f = dir.resolve(name + ".ovpn");
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, profiles.get(name).getAsString());
            written.add(f);
        }
        return written;
    }
}
