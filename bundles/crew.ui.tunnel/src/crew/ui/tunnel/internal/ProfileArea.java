package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import crew.tunnel.TunnelException;
import crew.tunnel.TunnelProfile;
import crew.ui.workspace.CrewWorkspace;

/**
 * The console's profile area: the profile list (workspace profiles, imported files, lab users' profiles), what CREW
 * says about the chosen one, and the credential fields it asks for. Secrets stay in the fields until a connect
 * takes them.
 */
final class ProfileArea {
    /** What a connect takes from the fields: null fields for what the profile does not ask. */
    record Credentials(String username, char[] password, char[] keyPassphrase) {
    }

    private final TunnelPart console;
    private final Combo combo;
    private final Label notes;
    private final Composite credentialsRow;
    private final Text username;
    private final Text password;
    private final Text keyPassphrase;
    private final Button importButton;
    private final Button refreshButton;
    private final List<ProfileEntry> profiles = new ArrayList<>();
    private final List<ProfileEntry> imported = new ArrayList<>();
    private String wanted;

    ProfileArea(Composite parent, TunnelPart console) {
        this.console = console;
        Composite profileRow = TunnelPart.row(parent, 5);
        new Label(profileRow, SWT.NONE).setText("&Profile:");
        combo = new Combo(profileRow, SWT.READ_ONLY);
        combo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        combo.addListener(SWT.Selection, e -> chosen());
        importButton = TunnelPart.button(profileRow, "&Import .ovpn...", this::importDialog);
        refreshButton = TunnelPart.button(profileRow, "&Refresh", console::refresh);
        new Label(profileRow, SWT.NONE);
        notes = new Label(parent, SWT.WRAP);
        notes.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        // shown only for profiles that ask: auth-user-pass (Active Directory) or an encrypted private key
        credentialsRow = TunnelPart.row(parent, 6);
        new Label(credentialsRow, SWT.NONE).setText("User&name:");
        username = new Text(credentialsRow, SWT.BORDER);
        username.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(credentialsRow, SWT.NONE).setText("Pass&word:");
        password = new Text(credentialsRow, SWT.BORDER | SWT.PASSWORD);
        password.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(credentialsRow, SWT.NONE).setText("&Key passphrase:");
        keyPassphrase = new Text(credentialsRow, SWT.BORDER | SWT.PASSWORD);
        keyPassphrase.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        showCredentials(false, false);
    }

    /** Reads the workspace's profiles/*.ovpn (in a job); problems go to {@code problems}. */
    static List<ProfileEntry> workspaceProfiles(Path workspace, List<String> problems) {
        List<ProfileEntry> found = new ArrayList<>();
        Path dir = workspace.resolve("profiles");
        if (Files.isDirectory(dir)) {
            try (var s = Files.newDirectoryStream(dir, "*.ovpn")) {
                List<Path> files = new ArrayList<>();
                s.forEach(files::add);
                files.sort(null);
                files.forEach(f -> found.add(ProfileEntry.host(f.getFileName().toString() + " (workspace)", f)));
            } catch (IOException e) {
                problems.add("profiles/: " + e.getMessage());
            }
        }
        return found;
    }

    /** Shows {@code found} (and the imported profiles), keeping the chosen or wanted one. */
    void fill(List<ProfileEntry> found, List<String> problems) {
        String selected = selected().map(ProfileEntry::label).orElse(wanted);
        profiles.clear();
        profiles.addAll(found);
        for (ProfileEntry i : imported) {
            if (profiles.stream().noneMatch(p -> p.file().equals(i.file()))) {
                profiles.add(i);
            }
        }
        combo.removeAll();
        profiles.forEach(p -> combo.add(p.label()));
        int index = 0;
        for (int i = 0; i < profiles.size(); i++) {
            if (profiles.get(i).label().equals(selected)) {
                index = i;
            }
        }
        if (!profiles.isEmpty()) {
            combo.select(index);
        }
        chosen();
        if (!problems.isEmpty()) {
            notes.setText(notes.getText() + " Could not read " + String.join("; ", problems));
        }
    }

    /** The profile to choose after the next refresh (a lab user's, once the lab is up). */
    void want(String label) {
        combo.deselectAll();
        wanted = label;
    }

    /** Selects the first profile that matches; false when none does. */
    boolean select(Predicate<ProfileEntry> which) {
        for (int i = 0; i < profiles.size(); i++) {
            if (which.test(profiles.get(i))) {
                combo.select(i);
                chosen();
                return true;
            }
        }
        return false;
    }

    Optional<ProfileEntry> selected() {
        int i = combo.getSelectionIndex();
        return i < 0 || i >= profiles.size() ? Optional.empty() : Optional.of(profiles.get(i));
    }

    /**
     * The credentials the chosen profile asks for, taken out of the fields (secrets stay in memory for the session
     * only); empty, with the console told why, when one is missing.
     */
    Optional<Credentials> takeCredentials() {
        String user = username.isEnabled() ? username.getText().trim() : null;
        char[] pass = password.isEnabled() ? password.getText().toCharArray() : null;
        char[] keyPass = keyPassphrase.isEnabled() ? keyPassphrase.getText().toCharArray() : null;
        if (username.isEnabled() && (user.isEmpty() || pass.length == 0)) {
            console.showError("This profile asks for a username and password (auth-user-pass): enter them above.");
            return Optional.empty();
        }
        if (keyPassphrase.isEnabled() && keyPass.length == 0) {
            console.showError("This profile's private key is encrypted: enter its passphrase above.");
            return Optional.empty();
        }
        password.setText("");
        keyPassphrase.setText("");
        return Optional.of(new Credentials(user, pass, keyPass));
    }

    /** Reads the chosen profile in a job and shows what CREW changes in it or cannot do. */
    private void chosen() {
        console.updateButtons();
        Optional<ProfileEntry> p = selected();
        if (p.isEmpty()) {
            notes.setText(TunnelPart.NO_PROFILES);
            console.layout();
            return;
        }
        wanted = p.get().label();
        Path file = p.get().file();
        showCredentials(false, false);
        Job.create("Reading profile " + file.getFileName(), monitor -> {
            String text = describe(file);
            boolean[] asks = credentialsAsked(file);
            console.ui(() -> {
                if (selected().map(x -> x.file().equals(file)).orElse(false)) {
                    notes.setText(text);
                    showCredentials(asks[0], asks[1]);
                    console.layout();
                }
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    /** What TunnelProfile says about a profile: its notes, or why it cannot be used (with the line). */
    static String describe(Path file) {
        try {
            TunnelProfile profile = TunnelProfile.read(file);
            String auth = (profile.needsCredentials() ? "; asks for a username and password (enter them below)" : "")
                    + (profile.hasEncryptedKey() ? "; its private key is encrypted (enter the passphrase below)" : "");
            return file + auth + (profile.notes().isEmpty() ? "; nothing CREW changes." : "; notes: " + String.join("; ", profile.notes()));
        } catch (TunnelException e) {
            return "Cannot use this profile: " + e.getMessage();
        }
    }

    /** Whether the profile asks for a username and password, and for a key passphrase. */
    static boolean[] credentialsAsked(Path file) {
        try {
            TunnelProfile profile = TunnelProfile.read(file);
            return new boolean[] {profile.needsCredentials(), profile.hasEncryptedKey()};
        } catch (TunnelException e) {
            return new boolean[] {false, false};
        }
    }

    private void showCredentials(boolean login, boolean key) {
        boolean any = login || key;
        credentialsRow.setVisible(any);
        ((GridData) credentialsRow.getLayoutData()).exclude = !any;
        username.setEnabled(login);
        password.setEnabled(login);
        keyPassphrase.setEnabled(key);
    }

    private void importDialog() {
        FileDialog dialog = new FileDialog(combo.getShell(), SWT.OPEN);
        dialog.setText("Import a client profile");
        dialog.setFilterExtensions(new String[] {"*.ovpn", "*"});
        String chosen = dialog.open();
        if (chosen != null) {
            importProfile(Path.of(chosen));
        }
    }

    /**
     * Imports a profile: read and checked in a job; a usable one is copied into the workspace's profiles/ folder
     * (when there is a workspace) and chosen; the notes (or the refusal, with its line) are shown either way.
     */
    void importProfile(Path file) {
        Job.create("Importing " + file.getFileName(), monitor -> {
            TunnelProfile profile;
            try {
                profile = TunnelProfile.read(file);
            } catch (TunnelException e) {
                console.ui(() -> {
                    notes.setText("Import refused: " + e.getMessage());
                    console.layout();
                });
                return Status.OK_STATUS;
            }
            Path target = file.toAbsolutePath().normalize();
            String where = "";
            Optional<Path> folder = CrewWorkspace.folder();
            if (folder.isPresent() && !target.startsWith(folder.get())) {
                try {
                    Path dir = folder.get().resolve("profiles");
                    Files.createDirectories(dir);
                    Path copy = dir.resolve(file.getFileName());
                    String name = file.getFileName().toString().replaceAll("\\.ovpn$", "");
                    for (int n = 2; Files.exists(copy) && Files.mismatch(copy, file) != -1; n++) {
                        copy = dir.resolve(name + "-" + n + ".ovpn");
                    }
                    Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    target = copy;
                    where = " (copied to " + copy + ")";
                } catch (IOException e) {
                    where = " (not copied into the workspace: " + e.getMessage() + ")";
                }
            }
            ProfileEntry entry = ProfileEntry.host(target.getFileName() + " (imported)", target);
            String text = "Imported " + file + where + ". " + (profile.notes().isEmpty() ? "Nothing CREW changes in it."
                    : "Notes: " + String.join("; ", profile.notes()));
            console.ui(() -> {
                imported.removeIf(i -> i.file().equals(entry.file()));
                imported.add(entry);
                profiles.removeIf(i -> i.file().equals(entry.file()));
                profiles.add(entry);
                combo.removeAll();
                profiles.forEach(p -> combo.add(p.label()));
                combo.select(profiles.size() - 1);
                wanted = entry.label();
                console.updateButtons();
                notes.setText(text);
                console.layout();
            });
            return Status.OK_STATUS;
        }).schedule();
    }

    void updateButtons() {
        importButton.setEnabled(true);
        refreshButton.setEnabled(true);
    }

    Button refreshButton() {
        return refreshButton;
    }

    // ---- for tests ----

    Combo combo() {
        return combo;
    }

    List<ProfileEntry> profiles() {
        return List.copyOf(profiles);
    }

    String notes() {
        return notes.getText();
    }

    Text usernameField() {
        return username;
    }

    Text passwordField() {
        return password;
    }

    Text keyPassphraseField() {
        return keyPassphrase;
    }

    boolean credentialsShown() {
        return credentialsRow.isVisible();
    }
}
