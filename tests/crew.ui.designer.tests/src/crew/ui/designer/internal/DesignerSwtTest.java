package crew.ui.designer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.testing.Prerequisites;
import crew.testing.SampleDesigns;
import crew.testing.Screenshots;
import crew.testing.UiWait;
import crew.ui.workspace.DesignFile;
import crew.ui.workspace.RowTable;
import crew.ui.workspace.WorkbenchEditors;

/** Real SWT under Xvfb: the designer lays a design file's routes out as a grid where a missing subnet shows. */
class DesignerSwtTest {
    private Display display;
    private Shell shell;

    @BeforeEach
    void openShell() {
        Prerequisites.requireDisplay();
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1100, 500);
    }

    @AfterEach
    void closeShell() {
        if (shell != null) {
            shell.dispose();
        }
    }

    @Test
    void givenADesignWithARouteMissingASubnet_whenOpened_thenTheGridShowsTheGapAndTheRulesAreListed(@TempDir Path folder)
            throws Exception {
        EndpointDesign sample = SampleDesigns.corporate();
        List<ClientVpnRoute> routes = new ArrayList<>(sample.routes());
        routes.add(new ClientVpnRoute(Cidr.parse("172.16.0.0/12"), "subnet-z", "add-route", null, "stray", null));
        EndpointDesign design = new EndpointDesign(sample.name(), sample.endpoint(), sample.targetNetworks(), routes,
                sample.authorizationRules());
        Path file = folder.resolve("corporate.json");
        DesignFile.write(file, design);

        DesignerPart designer = new DesignerPart();
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(WorkbenchEditors.FILE, file.toString());
        designer.part = part;
        designer.createControls(shell);
        shell.open();
        UiWait.until(display, () -> designer.grid() != null, 5000, "the design is read and shown");

        assertEquals(List.of("Destination", "subnet-a", "subnet-b", "subnet-z (not associated)", "Problem"), designer.gridHeaders());
        List<RowTable.Row> rows = designer.grid().rows();
        assertEquals(3, rows.size());
        RowTable.Row vpc = row(rows, "10.0.0.0/16");
        assertEquals(List.of("10.0.0.0/16", "route", "route", "", ""), vpc.cells());
        assertNull(vpc.background(), "a destination every subnet carries is not highlighted");
        RowTable.Row onPrem = row(rows, "192.168.50.0/24");
        assertEquals(List.of("route", ""), onPrem.cells().subList(1, 3));
        assertTrue(onPrem.cells().get(4).startsWith("no route through subnet-b"), onPrem.cells().get(4));
        assertEquals(DesignerPart.MISSING, onPrem.background());
        RowTable.Row stray = row(rows, "172.16.0.0/12");
        assertEquals(DesignerPart.NOT_ASSOCIATED, stray.background());
        assertTrue(stray.cells().get(4).contains("subnet-z, which is not associated"), stray.cells().get(4));

        assertEquals(3, designer.rules().rows().size());
        assertEquals(List.of("10.0.5.0/24", "finance", "group finance", "finance subnet", "10.0.5.0/24 (wider rules do not apply here)"),
                designer.rules().rows().get(1).cells());
        assertEquals("10.0.0.0/16 except 10.0.5.0/24", designer.rules().rows().get(0).cells().get(4));
        assertEquals(2, designer.subnets().rows().size());
        UiWait.drain(display);
        assertTrue(designer.grid().table().getSize().y > 60 && designer.grid().table().isVisible(),
                "the grid is visible: " + designer.grid().table().getSize());
        Screenshots.save(shell, "designer");
    }

    private static RowTable.Row row(List<RowTable.Row> rows, String destination) {
        return rows.stream().filter(r -> r.cells().get(0).equals(destination)).findFirst().orElseThrow();
    }
}
