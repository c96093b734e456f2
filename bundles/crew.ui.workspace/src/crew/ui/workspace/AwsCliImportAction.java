package crew.ui.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import crew.model.endpoint.EndpointDesign;
import crew.model.io.AwsCliImport;
import crew.model.io.SourceFormatException;
import crew.model.io.TextFiles;
import crew.model.io.WorkspaceFile;

/**
 * The workbench's import of AWS CLI output (File > Import AWS CLI Output and the navigator's context menu), as
 * {@code crew import aws-cli} does it: the describe-client-vpn-* outputs of a folder become one design per endpoint,
 * written into the workspace's {@code designs} folder under a name that is not taken yet.
 */
public final class AwsCliImportAction {

    /** What an import wrote, or why it wrote nothing; notes name the fields a design does not carry. */
    public record Result(List<Path> written, List<String> notes, String error) {
        public String summary() {
            if (error != null) {
                return "Import failed: " + error;
            }
            return "Imported " + written.size() + " design" + (written.size() == 1 ? "" : "s") + ": "
                    + String.join(", ", written.stream().map(p -> p.getFileName().toString()).toList());
        }
    }

    private AwsCliImportAction() {
    }

    /** Imports {@code inputs} (folders or files) into {@code workspace}/designs. Runs off the UI thread. */
    public static Result importInto(List<Path> inputs, Path workspace) {
        AwsCliImport.Result r;
        try {
            r = AwsCliImport.read(inputs);
        } catch (IOException e) {
            return new Result(List.of(), List.of(), "cannot read " + inputs.get(0) + ": " + TextFiles.reason(e));
        } catch (SourceFormatException e) {
            return new Result(List.of(), List.of(), e.getMessage());
        }
        if (r.designs().isEmpty()) {
            return new Result(List.of(), r.notes(), "no describe-client-vpn-endpoints output in " + inputs.get(0) + ", so no endpoint to import");
        }
        Path dir = workspace.resolve("designs");
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (EndpointDesign d : r.designs()) {
                Path target = free(dir, AwsCliImport.fileName(d));
                WorkspaceFile.write(target, d);
                written.add(target);
            }
        } catch (IOException e) {
            return new Result(written, r.notes(), "cannot write into " + dir + ": " + TextFiles.reason(e));
        }
        return new Result(written, r.notes(), null);
    }

    /** {@code name} in {@code dir}, or NAME-2.crew.json, NAME-3... when it is taken: an import never overwrites a design. */
    static Path free(Path dir, String name) {
        Path p = dir.resolve(name);
        String base = name.substring(0, name.length() - WorkspaceFile.SUFFIX.length());
        for (int n = 2; Files.exists(p); n++) {
            p = dir.resolve(base + "-" + n + WorkspaceFile.SUFFIX);
        }
        return p;
    }
}
