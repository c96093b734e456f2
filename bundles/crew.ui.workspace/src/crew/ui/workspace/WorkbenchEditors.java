package crew.ui.workspace;

import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;

import crew.ui.app.CrewUi;

/**
 * Opens workspace files in editors contributed by other UI bundles, by part descriptor id, so that the navigator
 * needs no compile-time dependency on them. An editor reads its file from the part's persisted state
 * {@link #FILE}.
 */
public final class WorkbenchEditors {
    /** Persisted-state key of an editor part: the absolute path of the file it edits. */
    public static final String FILE = "crew.file";
    /** Part descriptor of crew.ui.endpoint's endpoint editor. */
    public static final String ENDPOINT_EDITOR = "crew.ui.endpoint.editor";
    /** Part descriptor of crew.ui.designer's route/authorization designer. */
    public static final String DESIGNER = "crew.ui.designer.part";

    private WorkbenchEditors() {
    }

    /**
     * Shows the editor {@code descriptorId} for {@code file}: the one already open, or a new one in the editors
     * stack. Empty when no bundle contributes that descriptor.
     */
    public static Optional<MPart> open(EPartService parts, EModelService models, MApplication app, String descriptorId, Path file) {
        String path = file.toAbsolutePath().normalize().toString();
        for (MPart part : parts.getParts()) {
            if (descriptorId.equals(part.getElementId()) && path.equals(part.getPersistedState().get(FILE))) {
                parts.showPart(part, PartState.ACTIVATE);
                return Optional.of(part);
            }
        }
        MPartDescriptor descriptor = models.getPartDescriptor(descriptorId);
        if (descriptor == null) {
            return Optional.empty();
        }
        MPart part = parts.createPart(descriptorId);
        part.getPersistedState().put(FILE, path);
        title(part, descriptor, file);
        MPartStack stack = (MPartStack) models.find(CrewUi.STACK_EDITORS, app);
        if (stack != null) {
            stack.getChildren().add(part);
        }
        parts.showPart(part, PartState.ACTIVATE);
        return Optional.of(part);
    }

    /**
     * Titles {@code part}'s tab "FILE — KIND" (KIND: the descriptor's label, e.g. Endpoint or Designer), so that the
     * editors of one design differ; the tooltip says the kind and the file's absolute path.
     */
    public static void title(MPart part, MPartDescriptor descriptor, Path file) {
        String name = file.getFileName().toString();
        String kind = descriptor.getLabel() == null || descriptor.getLabel().isBlank() ? descriptor.getElementId() : descriptor.getLabel();
        part.setLabel((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + " \u2014 " + kind);
        part.setTooltip(kind + ": " + file.toAbsolutePath().normalize());
    }
}
