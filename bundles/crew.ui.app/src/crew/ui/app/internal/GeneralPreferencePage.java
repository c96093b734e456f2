package crew.ui.app.internal;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.prefs.BackingStoreException;

import crew.ui.app.CrewUi;

/**
 * The root preference page. Values live in the instance scope node {@code crew}, which headless services read too.
 */
public class GeneralPreferencePage extends PreferencePage {
    /** Folder of endpoint designs shown at start; empty means the bundled example workspace. */
    public static final String KEY_WORKSPACE = "workspace";
    /** Whether the welcome part opens at start. */
    public static final String KEY_SHOW_WELCOME = "showWelcome";

    private Text workspace;
    private Button showWelcome;

    public GeneralPreferencePage() {
        super("CREW");
        setDescription("General settings. Other CREW components add their pages below this one.");
    }

    static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode(CrewUi.PREFERENCES_ROOT);
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite box = new Composite(parent, SWT.NONE);
        box.setLayout(new GridLayout(2, false));
        new Label(box, SWT.NONE).setText("Workspace folder:");
        workspace = new Text(box, SWT.BORDER);
        workspace.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        workspace.setMessage("the example workspace");
        workspace.setText(node().get(KEY_WORKSPACE, ""));
        showWelcome = new Button(box, SWT.CHECK);
        showWelcome.setText("Show the welcome page at start");
        showWelcome.setSelection(node().getBoolean(KEY_SHOW_WELCOME, true));
        showWelcome.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        return box;
    }

    @Override
    protected void performDefaults() {
        workspace.setText("");
        showWelcome.setSelection(true);
        super.performDefaults();
    }

    @Override
    public boolean performOk() {
        IEclipsePreferences prefs = node();
        prefs.put(KEY_WORKSPACE, workspace.getText().trim());
        prefs.putBoolean(KEY_SHOW_WELCOME, showWelcome.getSelection());
        try {
            prefs.flush();
            return true;
        } catch (BackingStoreException e) {
            setErrorMessage("Could not save the preferences: " + e.getMessage());
            return false;
        }
    }
}
