package crew.ui.app.internal;

import java.util.List;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.IPresentationEngine;

import jakarta.inject.Named;

/**
 * Ctrl+M: maximizes the stack of the active part (the Tunnel console, an editor ...) to the whole window, or
 * restores the layout when it is maximized: what double-clicking the part's tab does, from the keyboard. The
 * minimize/maximize add-on does the work when the stack's MAXIMIZED tag changes.
 */
public class MaximizePartHandler {
    @Execute
    public void execute(@Optional @Named(IServiceConstants.ACTIVE_PART) MPart part) {
        if (part == null) {
            return;
        }
        MUIElement shown = part.getCurSharedRef() != null ? part.getCurSharedRef() : part;
        Object parent = shown.getParent();
        MUIElement target = parent instanceof MPartStack stack ? stack : shown;
        List<String> tags = target.getTags();
        if (tags.contains(IPresentationEngine.MAXIMIZED)) {
            tags.remove(IPresentationEngine.MAXIMIZED);
        } else {
            tags.remove(IPresentationEngine.MINIMIZED);
            tags.add(IPresentationEngine.MAXIMIZED);
        }
    }
}
