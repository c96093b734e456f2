package crew.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeSet;

/**
 * The state file of an apply: the plan, its id (the base of every client token), the endpoint id once known and
 * the steps done. Written after every step, so an interrupted apply resumes where it stopped. It holds no
 * credentials: only the plan's own data.
 */
public record ApplyState(String applyId, Plan plan, String endpointId, List<Integer> done) {

    public ApplyState {
        done = List.copyOf(new TreeSet<>(done));
    }

    public ApplyState withDone(int step, String newEndpointId) {
        List<Integer> d = new java.util.ArrayList<>(done);
        d.add(step);
        return new ApplyState(applyId, plan, newEndpointId, d);
    }

    public boolean complete() {
        return done.size() == plan.steps().size();
    }

    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, AwsJson.GSON.toJson(this), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static ApplyState load(Path file) throws IOException {
        try {
            ApplyState s = AwsJson.GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), ApplyState.class);
            if (s == null || s.plan() == null || s.applyId() == null) {
                throw new IOException(file + ": not an apply state file");
            }
            return s;
        } catch (com.google.gson.JsonParseException e) {
            throw new IOException(file + ": not an apply state file: " + e.getMessage(), e);
        }
    }
}
