package crew.ui.app.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.jface.preference.IPreferenceNode;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.preference.PreferenceManager;
import org.eclipse.jface.preference.PreferenceNode;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import crew.ui.app.CrewUi;
import jakarta.inject.Named;

/**
 * File &gt; Preferences: a dialog whose root node is CREW's general page. UI bundles add their pages by registering
 * an {@link IPreferenceNode} OSGi service; they appear under the root, sorted by label.
 */
public class PreferencesHandler {

    @Execute
    public void execute(@Named("activeShell") Shell shell) {
        PreferenceDialog dialog = new PreferenceDialog(shell, createManager());
        dialog.open();
    }

    static PreferenceManager createManager() {
        PreferenceManager manager = new PreferenceManager();
        PreferenceNode root = new PreferenceNode(CrewUi.PREFERENCES_ROOT, new GeneralPreferencePage());
        manager.addToRoot(root);
        for (IPreferenceNode node : contributedNodes()) {
            root.add(node);
        }
        return manager;
    }

    private static List<IPreferenceNode> contributedNodes() {
        List<IPreferenceNode> nodes = new ArrayList<>();
        BundleContext context = FrameworkUtil.getBundle(PreferencesHandler.class).getBundleContext();
        try {
            for (ServiceReference<IPreferenceNode> ref : context.getServiceReferences(IPreferenceNode.class, null)) {
                IPreferenceNode node = context.getService(ref);
                if (node != null) {
                    nodes.add(node);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // null filter cannot be invalid
        }
        nodes.sort((a, b) -> a.getLabelText().compareToIgnoreCase(b.getLabelText()));
        return nodes;
    }
}
