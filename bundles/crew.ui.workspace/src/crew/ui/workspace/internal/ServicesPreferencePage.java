package crew.ui.workspace.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.prefs.BackingStoreException;

import crew.ui.workspace.CrewPreferences;

/**
 * AWS profile and region, the openvpn binary, the enforcement mode: stored in the instance scope node
 * {@code crew}, where the headless services read them too.
 */
public class ServicesPreferencePage extends PreferencePage {
    private Text profile;
    private Text region;
    private Text openvpn;
    private Button local;
    private Combo mode;

    public ServicesPreferencePage() {
        super("AWS, OpenVPN and enforcement");
        setDescription("Settings the AWS, tunnel and enforcement services use, from the workbench and from ./crew.");
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite box = new Composite(parent, SWT.NONE);
        box.setLayout(new GridLayout(2, false));
        profile = field(box, "AWS &profile:", CrewPreferences.AWS_PROFILE, "", "default credential chain");
        region = field(box, "AWS &region:", CrewPreferences.AWS_REGION, "", "the profile's region, e.g. eu-west-1");
        local = new Button(box, SWT.CHECK);
        local.setText("Use the embedded &local AWS account (no account needed; state in " + CrewPreferences.localAccountState()
                + ", as crew aws --local)");
        local.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        local.setSelection(Boolean.parseBoolean(CrewPreferences.get(CrewPreferences.AWS_LOCAL, "false")));
        openvpn = field(box, "&OpenVPN binary:", CrewPreferences.OPENVPN_PATH, CrewPreferences.DEFAULT_OPENVPN_PATH, "");
        openvpn.addModifyListener(e -> validate());
        new Label(box, SWT.NONE).setText("&Enforcement mode:");
        mode = new Combo(box, SWT.READ_ONLY);
        mode.setItems(CrewPreferences.ENFORCEMENT_MODES);
        mode.setToolTipText("aws: as AWS CRE (main table only); extended: also remove policy rules that bypass protected "
                + "routes; strict: also pin protected destinations to CREW's own table");
        int index = Arrays.asList(CrewPreferences.ENFORCEMENT_MODES)
                .indexOf(CrewPreferences.get(CrewPreferences.ENFORCEMENT_MODE, CrewPreferences.DEFAULT_ENFORCEMENT_MODE));
        mode.select(Math.max(0, index));
        mode.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        validate();
        return box;
    }

    private static Text field(Composite box, String label, String key, String fallback, String hint) {
        new Label(box, SWT.NONE).setText(label);
        Text text = new Text(box, SWT.BORDER);
        text.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        text.setMessage(hint);
        text.setText(CrewPreferences.get(key, fallback));
        return text;
    }

    /** The page's fields in order (profile, region, openvpn), for tests. */
    Text[] fields() {
        return new Text[] {profile, region, openvpn};
    }

    Button localCheck() {
        return local;
    }

    Combo modeCombo() {
        return mode;
    }

    private void validate() {
        String path = openvpn.getText().trim();
        boolean ok = path.isEmpty() || Files.isExecutable(Path.of(path));
        setErrorMessage(ok ? null : "No executable at " + path + " (install OpenVPN 2.6 or give its path)");
    }

    @Override
    protected void performDefaults() {
        profile.setText("");
        region.setText("");
        local.setSelection(false);
        openvpn.setText(CrewPreferences.DEFAULT_OPENVPN_PATH);
        mode.select(0);
        super.performDefaults();
    }

    @Override
    public boolean performOk() {
        try {
            CrewPreferences.put(CrewPreferences.AWS_PROFILE, profile.getText().trim());
            CrewPreferences.put(CrewPreferences.AWS_REGION, region.getText().trim());
            CrewPreferences.put(CrewPreferences.AWS_LOCAL, Boolean.toString(local.getSelection()));
            CrewPreferences.put(CrewPreferences.OPENVPN_PATH, openvpn.getText().trim());
            CrewPreferences.put(CrewPreferences.ENFORCEMENT_MODE, mode.getText());
            return true;
        } catch (BackingStoreException e) {
            setErrorMessage("Could not save the preferences: " + e.getMessage());
            return false;
        }
    }
}
