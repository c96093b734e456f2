package crew.ui.app.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import crew.testing.Prerequisites;
import crew.testing.Screenshots;

/** Real SWT under Xvfb: the welcome part says what CREW is and lists the installed CREW bundles. */
class WelcomePartSwtTest {
    private Display display;
    private Shell shell;

    @BeforeEach
    void openShell() {
        Prerequisites.requireDisplay();
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setText("CREW welcome test");
        shell.setLayout(new FillLayout());
        shell.setSize(1000, 650);
    }

    @AfterEach
    void closeShell() {
        if (shell != null) {
            shell.dispose();
        }
    }

    @Test
    void givenTheInstalledBundles_whenTheWelcomePartIsShown_thenItDescribesCrewAndListsCapabilities() throws Exception {
        WelcomePart part = new WelcomePart();
        part.createControls(shell);
        shell.open();
        List<String> bundles = new ArrayList<>();
        for (TableItem item : part.capabilityTable().getItems()) {
            bundles.add(item.getText(2));
        }
        assertTrue(bundles.contains("crew.model"), "lists crew.model: " + bundles);
        assertTrue(bundles.contains("crew.ui.app"), "lists crew.ui.app: " + bundles);
        assertTrue(bundles.stream().noneMatch(b -> b.endsWith(".tests")), "test bundles are not capabilities: " + bundles);
        Path png = Screenshots.save(shell, "welcome");
        assertTrue(Files.size(png) > 1000, "screenshot written: " + png);
    }
}
