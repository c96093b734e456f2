package crew.ui.endpoint.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;

import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.testing.Prerequisites;
import crew.testing.SampleDesigns;
import crew.testing.UiWait;
import crew.ui.workspace.DesignFile;
import crew.ui.workspace.WorkbenchEditors;

/** Real SWT under Xvfb: open a design file, edit, see a marker, undo/redo, save, reopen. */
class EndpointEditorSwtTest {
    private Display display;
    private Shell shell;

    @BeforeEach
    void openShell() {
        Prerequisites.requireDisplay();
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1100, 900);
    }

    @AfterEach
    void closeShell() {
        if (shell != null) {
            shell.dispose();
        }
    }

    private EndpointEditorPart open(Path file) {
        EndpointEditorPart editor = new EndpointEditorPart();
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(WorkbenchEditors.FILE, file.toString());
        editor.part = part;
        editor.createControls(shell);
        shell.open();
        UiWait.until(display, () -> editor.endpoint() != null, 5000, "the design is read and shown");
        return editor;
    }

    private static void type(Text text, String value) {
        text.setText(value); // fires SWT.Modify like typing does
    }

    @Test
    void givenADesignFile_whenEditedWithAnErrorUndoneSavedAndReopened_thenTheFileHoldsTheValidEdits(@TempDir Path folder)
            throws Exception {
        Path file = folder.resolve("corporate.crew.json");
        EndpointDesign original = SampleDesigns.corporate();
        DesignFile.write(file, original);
        EndpointEditorPart editor = open(file);
        assertTrue(editor.heading().contains("corporate"), editor.heading());
        assertFalse(editor.isDirty());

        // every group is there, create-only fields say so, CRE sits first in "Other parameters"
        assertTrue(editor.labelsOf(EndpointField.DETAILS).contains("Client IPv4 CIDR" + EndpointEditorPart.CREATE_ONLY));
        assertTrue(editor.labelsOf(EndpointField.DETAILS).contains("VPN port"), "vpnPort is modifiable");
        assertEquals("Client Route Enforcement (CRE)", editor.labelsOf(EndpointField.OTHER).get(0));
        for (String g : new String[] {EndpointField.AUTHENTICATION, EndpointField.LOGGING, EndpointField.HANDLER}) {
            assertFalse(editor.labelsOf(g).isEmpty(), g);
        }
        Set<String> marked = ClientVpnEndpoint.CREATE_ONLY_FIELDS;
        for (EndpointField f : EndpointField.all()) {
            assertEquals(marked.contains(f.topField()), f.createOnly(), f.path());
        }

        // a valid edit makes the part dirty
        type((Text) editor.control("description"), "Corporate VPN (EU)");
        assertTrue(editor.isDirty());
        assertTrue(editor.part.isDirty(), "MPart dirty follows the editor");

        // input that does not parse: a marker on the field and a row in the problems table; the model keeps the old value
        type((Text) editor.control("clientCidrBlock"), "10.300.0.0/22");
        assertTrue(editor.markerShown("clientCidrBlock"), "marker on the client CIDR field");
        assertTrue(editor.markerText("clientCidrBlock").contains("10.300.0.0"), editor.markerText("clientCidrBlock"));
        assertEquals(1, inputRows(editor), "one input problem row");
        assertEquals(Cidr.parse("10.100.0.0/22"), editor.endpoint().clientCidrBlock());
        type((Text) editor.control("clientCidrBlock"), "10.200.0.0/22");
        assertFalse(editor.markerShown("clientCidrBlock"));
        assertEquals(0, inputRows(editor));

        // CRE off, undo restores it, redo turns it off again
        Button cre = (Button) editor.control("clientRouteEnforcement");
        cre.setSelection(false);
        cre.notifyListeners(SWT.Selection, new Event());
        assertFalse(editor.endpoint().clientRouteEnforcement());
        editor.undo();
        assertTrue(editor.endpoint().clientRouteEnforcement());
        assertTrue(cre.getSelection(), "the checkbox shows the undone value");
        editor.redo();
        assertFalse(editor.endpoint().clientRouteEnforcement());
        editor.undo();

        editor.save();
        assertFalse(editor.isDirty());
        assertFalse(editor.part.isDirty());

        EndpointDesign saved = DesignFile.read(file);
        assertEquals("Corporate VPN (EU)", saved.endpoint().description());
        assertEquals(Cidr.parse("10.200.0.0/22"), saved.endpoint().clientCidrBlock());
        assertTrue(saved.endpoint().clientRouteEnforcement());
        assertEquals(original.routes(), saved.routes(), "routes and rules are untouched by the endpoint editor");
        assertEquals(original.endpoint().authenticationOptions(), saved.endpoint().authenticationOptions());

        shell.dispose();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1100, 900);
        EndpointEditorPart reopened = open(file);
        assertEquals("Corporate VPN (EU)", ((Text) reopened.control("description")).getText());
        assertEquals("10.200.0.0/22", ((Text) reopened.control("clientCidrBlock")).getText());
        assertFalse(reopened.isDirty());
    }

    private static long inputRows(EndpointEditorPart editor) {
        return editor.problems().rows().stream().filter(r -> r.cells().get(1).equals(EndpointEditorPart.INPUT)).count();
    }

    @Test
    void givenAuthenticationFields_whenASelfServiceProviderIsGivenWithoutFederation_thenTheFieldIsMarked(@TempDir Path folder)
            throws Exception {
        Path file = folder.resolve("corporate.crew.json");
        DesignFile.write(file, SampleDesigns.corporate());
        EndpointEditorPart editor = open(file);
        assertEquals("arn:aws:acm:eu-west-1:123456789012:certificate/client-ca",
                ((Text) editor.control("authenticationOptions.certificate")).getText());
        type((Text) editor.control("authenticationOptions.selfService"), "arn:aws:iam::123456789012:saml-provider/portal");
        assertTrue(editor.markerShown("authenticationOptions.selfService"));
        type((Text) editor.control("authenticationOptions.federated"), "arn:aws:iam::123456789012:saml-provider/idp");
        type((Text) editor.control("authenticationOptions.selfService"), "arn:aws:iam::123456789012:saml-provider/portal");
        assertFalse(editor.markerShown("authenticationOptions.selfService"));
        assertEquals(2, editor.endpoint().authenticationOptions().size(), "certificate and federated");
    }

    @Test
    void givenAMalformedFile_whenOpened_thenTheHeadingNamesTheFileAndProblem(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("broken.json");
        java.nio.file.Files.writeString(file, "{ \"name\": \"x\", \"endpoint\": { \"clientCidrBlock\": \"nope\" } }");
        EndpointEditorPart editor = new EndpointEditorPart();
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(WorkbenchEditors.FILE, file.toString());
        editor.part = part;
        editor.createControls(shell);
        UiWait.until(display, () -> editor.heading().startsWith("Cannot open"), 5000, "the error is shown");
        assertTrue(editor.heading().contains("broken.json") && editor.heading().contains("nope"), editor.heading());
    }
}
