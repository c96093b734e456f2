package crew.ui.workspace.internal;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/** F5: rereads the workspace folder into the navigator. */
public class RefreshWorkspaceHandler {
    @Execute
    public void execute(EPartService parts) {
        MPart part = parts.findPart(NavigatorPart.ID);
        if (part != null && part.getObject() instanceof NavigatorPart navigator) {
            navigator.refresh();
        }
    }
}
