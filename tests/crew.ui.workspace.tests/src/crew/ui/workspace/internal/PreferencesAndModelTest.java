package crew.ui.workspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.jface.preference.IPreferenceNode;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import crew.testing.Prerequisites;
import crew.ui.app.CrewUi;
import crew.ui.workspace.CrewPreferences;

/**
 * The services preference page stores in the node headless services read; the model fragment points at real things;
 * the local AWS account's default state file is under CREW's home, as for {@code crew aws --local}.
 */
class PreferencesAndModelTest {

    @Test
    void givenThePreferenceNodeService_whenThePageIsFilledAndOked_thenTheInstanceNodeCrewHoldsTheValues() throws Exception {
        Prerequisites.requireDisplay();
        BundleContext context = FrameworkUtil.getBundle(ServicesPreferencePage.class).getBundleContext();
        ServiceReference<IPreferenceNode> ref = context.getServiceReference(IPreferenceNode.class);
        assertNotNull(ref, "the page is offered as an IPreferenceNode service for crew.ui.app's dialog");
        IPreferenceNode node = context.getService(ref);
        Shell shell = new Shell(Display.getDefault(), SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        try {
            node.createPage();
            ServicesPreferencePage page = (ServicesPreferencePage) node.getPage();
            page.createControl(shell);
            page.fields()[0].setText("crew-lab");
            page.fields()[1].setText("eu-west-1");
            page.fields()[2].setText("/no/such/openvpn");
            assertTrue(page.getErrorMessage() != null && page.getErrorMessage().contains("/no/such/openvpn"), page.getErrorMessage());
            page.fields()[2].setText("");
            page.modeCombo().select(2);
            assertTrue(page.performOk());
            assertEquals("crew-lab", CrewPreferences.node().get(CrewPreferences.AWS_PROFILE, null));
            assertEquals("eu-west-1", CrewPreferences.node().get(CrewPreferences.AWS_REGION, null));
            assertEquals("strict", CrewPreferences.node().get(CrewPreferences.ENFORCEMENT_MODE, null));
            assertEquals(crew.enforce.EnforcementMode.STRICT,
                    crew.enforce.EnforcementMode.parse(CrewPreferences.node().get(CrewPreferences.ENFORCEMENT_MODE, null)));
        } finally {
            node.disposeResources();
            shell.dispose();
            context.ungetService(ref);
            CrewPreferences.node().clear();
        }
    }

    @Test
    void givenTheModelFragment_whenRead_thenItsClassesLoadAndItsParentsAreCrewUiContainers() throws Exception {
        Bundle bundle = FrameworkUtil.getBundle(ServicesPreferencePage.class);
        assertEquals("fragment.e4xmi", bundle.getHeaders().get("Model-Fragment"));
        Document doc;
        try (InputStream in = bundle.getEntry("fragment.e4xmi").openStream()) {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        Set<String> parents = Set.of("xpath:/", CrewUi.STACK_NAVIGATOR, CrewUi.STACK_VIEWS, CrewUi.TRIM_BOTTOM, CrewUi.MENU_FILE,
                CrewUi.MENU_VIEW, "crew.ui.bindings.window");
        NodeList fragments = doc.getElementsByTagName("fragments");
        for (int i = 0; i < fragments.getLength(); i++) {
            String parent = ((Element) fragments.item(i)).getAttribute("parentElementId");
            assertTrue(parents.contains(parent), "unknown parent " + parent);
        }
        NodeList all = doc.getElementsByTagName("*");
        int classes = 0;
        for (int i = 0; i < all.getLength(); i++) {
            String uri = ((Element) all.item(i)).getAttribute("contributionURI");
            if (uri.startsWith("bundleclass://crew.ui.workspace/")) {
                assertNotNull(bundle.loadClass(uri.substring("bundleclass://crew.ui.workspace/".length())), uri);
                classes++;
            }
        }
        assertEquals(7, classes, "navigator, error log, progress area and four handlers");
    }

    @Test
    void givenCrewHome_whenNoStateFileIsSet_thenTheLocalAccountIsUnderCrewHomeAsForCrewAwsLocal(@TempDir Path dir) {
        String previous = System.getProperty("crew.home");
        System.setProperty("crew.home", dir.toString());
        try {
            CrewPreferences.node().remove(CrewPreferences.AWS_LOCAL_STATE);
            assertEquals(dir.resolve("aws-local.json"), CrewPreferences.localAccountState());
        } finally {
            if (previous == null) {
                System.clearProperty("crew.home");
            } else {
                System.setProperty("crew.home", previous);
            }
        }
    }
}
