package crew.ui.workspace.internal;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

import crew.ui.workspace.WorkbenchEditors;

/** Ctrl+Shift+D: opens the navigator's selected design in the designer. */
public class OpenInDesignerHandler {
    @Execute
    public void execute(EPartService parts) {
        MPart part = parts.findPart(NavigatorPart.ID);
        if (part != null && part.getObject() instanceof NavigatorPart navigator) {
            navigator.openSelected(WorkbenchEditors.DESIGNER);
        }
    }
}
