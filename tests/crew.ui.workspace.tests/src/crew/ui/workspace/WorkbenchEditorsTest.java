package crew.ui.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tab titles of the editors of one design file. */
class WorkbenchEditorsTest {

    private static MPartDescriptor descriptor(String id, String label) {
        MPartDescriptor d = org.eclipse.e4.ui.model.application.descriptor.basic.MBasicFactory.INSTANCE.createPartDescriptor();
        d.setElementId(id);
        d.setLabel(label);
        return d;
    }

    @Test
    void givenOneDesignFile_whenTitledForTheEndpointEditorAndTheDesigner_thenTheTabsDifferAndTheTooltipsNameThePath(@TempDir Path dir) {
        Path file = dir.resolve("dual-stack.crew.json");
        MPart editor = MBasicFactory.INSTANCE.createPart();
        MPart designer = MBasicFactory.INSTANCE.createPart();
        WorkbenchEditors.title(editor, descriptor(WorkbenchEditors.ENDPOINT_EDITOR, "Endpoint"), file);
        WorkbenchEditors.title(designer, descriptor(WorkbenchEditors.DESIGNER, "Designer"), file);
        assertEquals("dual-stack.crew \u2014 Endpoint", editor.getLabel());
        assertEquals("dual-stack.crew \u2014 Designer", designer.getLabel());
        assertNotEquals(editor.getTooltip(), designer.getTooltip());
        for (MPart p : new MPart[] {editor, designer}) {
            assertTrue(p.getTooltip().contains(file.toAbsolutePath().normalize().toString()), p.getTooltip());
        }
        // a descriptor without a label still gives a distinct title
        MPart other = MBasicFactory.INSTANCE.createPart();
        WorkbenchEditors.title(other, descriptor("some.part", null), file);
        assertEquals("dual-stack.crew \u2014 some.part", other.getLabel());
    }
}
