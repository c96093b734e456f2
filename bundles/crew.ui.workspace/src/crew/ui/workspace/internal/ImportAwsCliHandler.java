package crew.ui.workspace.internal;

import java.nio.file.Path;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Shell;

import jakarta.inject.Named;

/**
 * File > Import AWS CLI Output: choose a folder holding aws ec2 describe-client-vpn-* output (--output json); its
 * endpoints become designs of the workspace (the navigator's import, {@link NavigatorPart#importFolder}).
 */
public class ImportAwsCliHandler {
    @Execute
    public void execute(EPartService parts, @Named("activeShell") Shell shell) {
        MPart part = parts.showPart(NavigatorPart.ID, EPartService.PartState.VISIBLE);
        if (part == null || !(part.getObject() instanceof NavigatorPart navigator)) {
            return;
        }
        DirectoryDialog dialog = new DirectoryDialog(shell);
        dialog.setText("Import AWS CLI Output");
        dialog.setMessage("A folder with the JSON of aws ec2 describe-client-vpn-endpoints, -routes, -authorization-rules, -target-networks");
        String chosen = dialog.open();
        if (chosen != null) {
            navigator.importFolder(Path.of(chosen));
        }
    }
}
