package crew.ui.workspace.internal;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;

import jakarta.inject.Named;

/** View menu entries: shows (and activates) the part named by the command parameter {@code crew.ui.part}. */
public class ShowPartHandler {
    public static final String PARAMETER = "crew.ui.part";

    @Execute
    public void execute(EPartService parts, @Named(PARAMETER) String partId) {
        parts.showPart(partId, PartState.ACTIVATE);
    }
}
