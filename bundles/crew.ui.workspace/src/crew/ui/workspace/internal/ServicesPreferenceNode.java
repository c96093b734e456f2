package crew.ui.workspace.internal;

import org.eclipse.jface.preference.IPreferenceNode;
import org.eclipse.jface.preference.PreferenceNode;
import org.osgi.service.component.annotations.Component;

/** Adds the services page under CREW's root page in File &gt; Preferences (crew.ui.app collects these services). */
@Component(service = IPreferenceNode.class)
public class ServicesPreferenceNode extends PreferenceNode {
    public ServicesPreferenceNode() {
        super("crew.services", "AWS, OpenVPN and enforcement", null, null);
    }

    @Override
    public void createPage() {
        // a fresh page each time the dialog opens: the dialog disposes the previous one
        setPage(new ServicesPreferencePage());
    }
}
