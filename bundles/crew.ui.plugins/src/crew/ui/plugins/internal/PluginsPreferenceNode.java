package crew.ui.plugins.internal;

import org.eclipse.jface.preference.IPreferenceNode;
import org.eclipse.jface.preference.PreferenceNode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import crew.plugins.PluginManager;

/** Adds the Plugins page under CREW's root page in File &gt; Preferences (crew.ui.app collects these services). */
@Component(service = IPreferenceNode.class)
public class PluginsPreferenceNode extends PreferenceNode {
    private final PluginManager plugins;

    @Activate
    public PluginsPreferenceNode(@Reference PluginManager plugins) {
        super("crew.plugins", "Plugins", null, null);
        this.plugins = plugins;
    }

    @Override
    public void createPage() {
        // a fresh page each time the dialog opens: the dialog disposes the previous one
        setPage(new PluginsPreferencePage(plugins));
    }
}
