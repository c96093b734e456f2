package crew.ui.endpoint.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

import jakarta.inject.Named;

/** Save (Ctrl+S), Undo (Ctrl+Z) and Redo (Ctrl+Y, Ctrl+Shift+Z) for the active endpoint editor. */
public final class EditorCommandHandler {
    private EditorCommandHandler() {
    }

    public static final class Save {
        @CanExecute
        public boolean canExecute(@Optional @Named(IServiceConstants.ACTIVE_PART) MPart part) {
            return part != null && part.isDirty();
        }

        @Execute
        public void execute(EPartService parts, @Named(IServiceConstants.ACTIVE_PART) MPart part) {
            parts.savePart(part, false);
        }
    }

    public static final class Undo {
        @CanExecute
        public boolean canExecute(@Optional @Named(IServiceConstants.ACTIVE_PART) MPart part) {
            return part != null && part.getObject() instanceof EndpointEditorPart;
        }

        @Execute
        public void execute(@Named(IServiceConstants.ACTIVE_PART) MPart part) {
            ((EndpointEditorPart) part.getObject()).undo();
        }
    }

    public static final class Redo {
        @CanExecute
        public boolean canExecute(@Optional @Named(IServiceConstants.ACTIVE_PART) MPart part) {
            return part != null && part.getObject() instanceof EndpointEditorPart;
        }

        @Execute
        public void execute(@Named(IServiceConstants.ACTIVE_PART) MPart part) {
            ((EndpointEditorPart) part.getObject()).redo();
        }
    }
}
