package crew.ui.app.internal;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;

import crew.ui.app.CrewUi;

/** Help &gt; Welcome (F1): shows the welcome part again after it was closed. */
public class ShowWelcomeHandler {
    @Execute
    public void execute(EPartService parts) {
        parts.showPart(CrewUi.PART_WELCOME, PartState.ACTIVATE);
    }
}
